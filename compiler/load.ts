/**
 * Phase 1, load: import the descriptions (platforms, environments, regions)
 * and check them at run time. Every problem names the file and the field.
 */
import { jsonDataProblems } from "./check/json-data.ts";
import { readdirSync, existsSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { ManifoldError, combineErrors } from "./errors.ts";
import type { Shape, Problem } from "./check/shape.ts";
import { addonShape, argoCdShape, environmentShape, platformShape, regionShape } from "./describe/schema.ts";
import type {
  AddonDescription,
  ArgoCdDescription,
  EnvironmentDescription,
  PlatformDescription,
  RegionDescription,
  LayerOverride,
  EnvValue,
} from "./describe/types.ts";
import { isUrlRef } from "./describe/refs.ts";
import { DependencyCycleError, layerComponents } from "./graph/dependency.ts";
import { HOOK_NAMES } from "./sync/hooks.ts";
import { importDescription, prepareDescriptions, type DescriptionBundler } from "./precompiled.ts";
import { isDescriptionFile } from "./check/description-files.ts";
import { projectFrame } from "./stack.ts";
import { didYouMean } from "./suggest.ts";
import type { Loaded, ProjectSources, Project } from "./model/project.ts";

function listModules(root: string, dir: string): string[] {
  const full = join(root, dir);
  if (!existsSync(full)) return [];
  return readdirSync(full)
    .filter(isDescriptionFile)
    .sort()
    .map((f) => join(dir, f));
}

function firstLine(message: string): string {
  return message
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(0, 2)
    .join(" ");
}

async function importDefault(
  root: string,
  file: string,
  errors: ManifoldError[],
): Promise<Loaded<unknown> | undefined> {
  try {
    const mod = (await importDescription(root, file)) as { default?: unknown };
    if (mod.default === undefined) {
      errors.push(new ManifoldError("has no default export; export the description with `export default …`", { file }));
      return undefined;
    }
    return { file, value: mod.default };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const cleaned = message.replaceAll(root + "/", "").replaceAll(pathToFileURL(root).href + "/", "");
    const at = projectFrame(e, root);
    const where = at?.file === file ? { file: `${file}:${at.line}` } : { file };
    const thrown = at && at.file !== file ? ` (thrown at ${at.file}:${at.line})` : "";
    errors.push(new ManifoldError(`cannot be loaded: ${firstLine(cleaned)}${thrown}`, where));
    return undefined;
  }
}

/**
 * Imports every description module under `root`. Files whose name starts with `_` are skipped. With `fresh`, none is
 * taken from the description cache (precompiled.ts). With a `bundler`, the stale ones are bundled by it (the helper
 * thread) when it can.
 */
export async function importProject(
  root: string,
  fresh = false,
  bundler?: DescriptionBundler,
): Promise<ProjectSources> {
  const errors: ManifoldError[] = [];
  const load = async (dir: string) => {
    const out: Loaded<unknown>[] = [];
    for (const file of listModules(root, dir)) {
      const loaded = await importDefault(root, file, errors);
      if (loaded) out.push(loaded);
    }
    return out;
  };
  await prepareDescriptions(
    root,
    ["platforms", "environments", "regions", "argocd", "addons"].flatMap((dir) => listModules(root, dir)),
    fresh,
    bundler,
  );
  const sources = {
    root,
    platforms: await load("platforms"),
    environments: await load("environments"),
    regions: await load("regions"),
    argocd: await load("argocd"),
    addons: await load("addons"),
  };
  if (errors.length) throw combineErrors(errors);
  return sources;
}

/** Checks one loaded module against its shape; every problem becomes an error naming the file and the field. */
function checkShape<T>(
  loaded: Loaded<unknown>,
  shape: Shape<T>,
  errors: ManifoldError[],
  target?: string,
): loaded is Loaded<T> {
  const problems: Problem[] = [];
  shape(loaded.value, "", problems);
  for (const p of problems)
    errors.push(new ManifoldError(p.message, { file: loaded.file, field: p.path || undefined, target }));
  return problems.length === 0;
}

/** What the cross-file checks know about the whole project. */
interface Known {
  /** Every environment file's name, even one with problems, so one bad field does not also make it "unknown". */
  envNames: Set<string>;
  regionByName: Map<string, Loaded<RegionDescription>>;
  /** The environments whose shape is sound. */
  environments: Loaded<EnvironmentDescription>[];
}

/** One platform being checked: where its problems are reported, and its component names. */
interface PlatformScope {
  file: string;
  value: PlatformDescription;
  components: Set<string>;
  errors: ManifoldError[];
}

function checkUrlRefs(values: Record<string, EnvValue> | undefined, scope: PlatformScope, field: string): void {
  const { components, file, value } = scope;
  for (const [k, v] of Object.entries(values ?? {})) {
    if (isUrlRef(v) && !components.has(v.component)) {
      scope.errors.push(
        new ManifoldError(
          `refers to unknown component "${v.component}"${didYouMean(v.component, components)}; known: ${[...components].join(", ")}`,
          {
            file,
            field: `${field}.${k}`,
            target: value.name,
          },
        ),
      );
    }
  }
}

function checkLayerNames(layer: LayerOverride | undefined, scope: PlatformScope, field: string): void {
  if (!layer) return;
  const { components, file, value } = scope;
  for (const name of Object.keys(layer.components ?? {})) {
    if (!components.has(name))
      scope.errors.push(
        new ManifoldError(
          `overrides unknown component "${name}"${didYouMean(name, components)}; known: ${[...components].join(", ")}`,
          {
            file,
            field: `${field}.components.${name}`,
            target: value.name,
          },
        ),
      );
  }
  checkUrlRefs(layer.config, scope, `${field}.config`);
}

/** Each description's `name` matches its file: `environments/dev.ts` holds `name: "dev"`. */
function checkFileName(loaded: Loaded<{ name: string }>, dir: string, errors: ManifoldError[]): void {
  const expected = `${dir}/${loaded.value.name}.ts`;
  if (loaded.file.replace(/\.(mts|js|mjs)$/, ".ts") !== expected)
    errors.push(
      new ManifoldError(`name "${loaded.value.name}" must match the file name (${expected})`, {
        file: loaded.file,
        field: "name",
      }),
    );
}

/** An environment with a global domain names the Route 53 hosted zone of its records, and only then. */
function checkEnvironmentGlobalZone(env: Loaded<EnvironmentDescription>, errors: ManifoldError[]): void {
  const { file, value } = env;
  if (value.globalDomain && !value.globalZoneId)
    errors.push(
      new ManifoldError(
        `declares globalDomain "${value.globalDomain}" but not the Route 53 hosted zone its latency records go in`,
        { file, field: "globalZoneId", target: value.name },
      ),
    );
  if (value.globalZoneId && !value.globalDomain)
    errors.push(
      new ManifoldError("names a Route 53 hosted zone but no globalDomain whose records it would hold", {
        file,
        field: "globalZoneId",
        target: value.name,
      }),
    );
}

/** An environment's regions exist, each has a cluster for it, none is listed twice, and exactly one is primary. */
function checkEnvironmentRegions(env: Loaded<EnvironmentDescription>, known: Known, errors: ManifoldError[]): void {
  const { regionByName } = known;
  const { file, value } = env;
  const primaries = [...new Set(value.regions)].filter((r) => regionByName.get(r)?.value.role === "primary");
  value.regions.forEach((name, i) => {
    const region = regionByName.get(name);
    if (!region) {
      errors.push(
        new ManifoldError(`unknown region "${name}"; known regions: ${[...regionByName.keys()].join(", ") || "none"}`, {
          file,
          field: `regions[${i}]`,
          target: value.name,
        }),
      );
    } else if (!region.value.clusters[value.name]) {
      errors.push(
        new ManifoldError(`has no cluster for environment "${value.name}"`, {
          file: region.file,
          field: `clusters.${value.name}`,
          target: `${value.name}/${name}`,
        }),
      );
    }
  });
  if (new Set(value.regions).size !== value.regions.length)
    errors.push(new ManifoldError("lists a region twice", { file, field: "regions", target: value.name }));
  if (value.regions.every((r) => regionByName.has(r)) && primaries.length !== 1) {
    errors.push(
      new ManifoldError(`must include exactly one region whose role is primary (found ${primaries.length})`, {
        file,
        field: "regions",
        target: value.name,
      }),
    );
  }
}

/** A region's clusters are keyed by environments that exist. */
function checkRegionClusters(region: Loaded<RegionDescription>, known: Known, errors: ManifoldError[]): void {
  for (const env of Object.keys(region.value.clusters)) {
    if (!known.envNames.has(env))
      errors.push(
        new ManifoldError(`names unknown environment "${env}"; known: ${[...known.envNames].join(", ")}`, {
          file: region.file,
          field: `clusters.${env}`,
        }),
      );
  }
}

/** A handover is step one of a switchover: only the primary region hands over, to another known region. */
function checkRegionHandover(region: Loaded<RegionDescription>, known: Known, errors: ManifoldError[]): void {
  const { handover, role, name } = region.value;
  if (handover === undefined) return;
  const problem =
    role !== "primary"
      ? `only the primary region hands its databases over (this region is ${role})`
      : handover === name
        ? "names this region itself; name the region that takes over the primary role"
        : !known.regionByName.has(handover)
          ? `unknown region "${handover}"; known regions: ${[...known.regionByName.keys()].join(", ")}`
          : undefined;
  if (problem) errors.push(new ManifoldError(problem, { file: region.file, field: "handover" }));
}

/** Platform names and namespaces are unique across the project; returns the platform names. */
function checkPlatformNames(platforms: Loaded<PlatformDescription>[], errors: ManifoldError[]): Set<string> {
  const platformNames = new Set<string>();
  const namespaces = new Map<string, string>();
  for (const { file, value } of platforms) {
    if (platformNames.has(value.name))
      errors.push(new ManifoldError(`platform name "${value.name}" is used twice`, { file, field: "name" }));
    platformNames.add(value.name);
    if (namespaces.has(value.namespace))
      errors.push(
        new ManifoldError(
          `namespace "${value.namespace}" is already used by platform ${namespaces.get(value.namespace)}`,
          { file, field: "namespace", target: value.name },
        ),
      );
    namespaces.set(value.namespace, value.name);
  }
  return platformNames;
}

/** Component dependencies name known components other than themselves, without a cycle; env URLs too. */
function checkComponentGraph(scope: PlatformScope): void {
  const { file, value, components, errors } = scope;
  let graphOk = true;
  for (const [name, c] of Object.entries(value.components)) {
    (c.dependsOn ?? []).forEach((dep, i) => {
      const at = { file, field: `components.${name}.dependsOn[${i}]`, target: value.name };
      if (!components.has(dep))
        errors.push(
          new ManifoldError(
            `depends on unknown component "${dep}"${didYouMean(dep, components)}; known: ${[...components].join(", ")}`,
            at,
          ),
        );
      if (dep === name) errors.push(new ManifoldError(`depends on itself: ${name} -> ${name}`, at));
      if (!components.has(dep) || dep === name) graphOk = false;
    });
    checkUrlRefs(c.env, scope, `components.${name}.env`);
  }
  if (!graphOk) return;
  try {
    layerComponents(value.components, { file, target: value.name }); // a cycle names its whole path
  } catch (e) {
    if (e instanceof ManifoldError) errors.push(e);
    else throw e;
  }
}

/** No component takes the name of a hook Job Manifold renders. */
function checkReservedNames(scope: PlatformScope): void {
  const { file, value, components, errors } = scope;
  for (const reserved of HOOK_NAMES) {
    if (components.has(reserved))
      errors.push(
        new ManifoldError(`"${reserved}" is the name of a hook Job Manifold renders; choose another component name`, {
          file,
          field: `components.${reserved}`,
          target: value.name,
        }),
      );
  }
}

/** A relational database needs migrations, and the migrations depend on known components. */
function checkMigrations(scope: PlatformScope): void {
  const { file, value, components, errors } = scope;
  const relational = Object.keys(value.components).filter((k) => {
    const c = value.components[k];
    return c.type === "store" && c.engine === "postgres";
  });
  if (relational.length && !value.migrations) {
    errors.push(
      new ManifoldError(
        `declares a relational database (${relational.join(", ")}) but no migrations; add \`migrations: ` +
          `{ image, command, dependsOn: ["${relational[0]}"] }\` so the schema is migrated before the services start`,
        { file, field: "migrations", target: value.name },
      ),
    );
  }
  (value.migrations?.dependsOn ?? []).forEach((dep, i) => {
    if (!components.has(dep))
      errors.push(
        new ManifoldError(
          `depends on unknown component "${dep}"${didYouMean(dep, components)}; known: ${[...components].join(", ")}`,
          {
            file,
            field: `migrations.dependsOn[${i}]`,
            target: value.name,
          },
        ),
      );
  });
  checkUrlRefs(value.migrations?.env, scope, "migrations.env");
}

/** `runsIn` and the per-environment layers name known environments. */
function checkEnvironmentLayers(scope: PlatformScope, known: Known): void {
  const { file, value, errors } = scope;
  const unknown = (e: string, field: string) =>
    new ManifoldError(`unknown environment "${e}"; known: ${[...known.envNames].join(", ")}`, {
      file,
      field,
      target: value.name,
    });
  (value.runsIn ?? []).forEach((e, i) => {
    if (!known.envNames.has(e)) errors.push(unknown(e, `runsIn[${i}]`));
  });
  for (const [e, layer] of Object.entries(value.environments ?? {})) {
    if (!known.envNames.has(e)) errors.push(unknown(e, `environments.${e}`));
    checkLayerNames(layer, scope, `environments.${e}`);
  }
}

/** The per-region layers name known regions; the per-target layers name environments that run in those regions. */
function checkRegionAndTargetLayers(scope: PlatformScope, known: Known): void {
  const { file, value, errors } = scope;
  for (const [r, layer] of Object.entries(value.regions ?? {})) {
    if (!known.regionByName.has(r))
      errors.push(
        new ManifoldError(`unknown region "${r}"; known: ${[...known.regionByName.keys()].join(", ")}`, {
          file,
          field: `regions.${r}`,
          target: value.name,
        }),
      );
    checkLayerNames(layer, scope, `regions.${r}`);
  }
  for (const [key, layer] of Object.entries(value.targets ?? {})) {
    const [e, r] = key.split("/");
    const env = known.environments.find((x) => x.value.name === e);
    if (!env || !env.value.regions.includes(r))
      errors.push(
        new ManifoldError(`"${key}" is not a target: environment ${e} does not run in region ${r}`, {
          file,
          field: `targets.${key}`,
          target: value.name,
        }),
      );
    checkLayerNames(layer, scope, `targets.${key}`);
  }
}

/** Every cross-reference inside one platform, in the order its problems are reported. */
function checkPlatform(platform: Loaded<PlatformDescription>, known: Known, errors: ManifoldError[]): void {
  const { file, value } = platform;
  const scope: PlatformScope = { file, value, components: new Set(Object.keys(value.components)), errors };
  checkComponentGraph(scope);
  checkUrlRefs(value.config, scope, "config");
  checkReservedNames(scope);
  checkMigrations(scope);
  checkEnvironmentLayers(scope, known);
  checkRegionAndTargetLayers(scope, known);
}

/**
 * Every description exports JSON data only (check/json-data.ts): otherwise one error per value that is not, naming
 * the file and the field, before any other check reads the values.
 */
function checkJsonData(sources: ProjectSources): void {
  const all = [
    ...sources.platforms,
    ...sources.environments,
    ...sources.regions,
    ...(sources.argocd ?? []),
    ...(sources.addons ?? []),
  ];
  const errors = all.flatMap((loaded) =>
    jsonDataProblems(loaded.value).map(
      (p) => new ManifoldError(p.message, { file: loaded.file, field: p.path || undefined }),
    ),
  );
  if (errors.length) throw combineErrors(errors);
}

/** Checks loaded sources against the description shapes and each other. Throws one error listing every problem. */
export function checkProject(sources: ProjectSources): Project {
  checkJsonData(sources);
  const errors: ManifoldError[] = [];
  const environments = sources.environments.filter((e) => checkShape(e, environmentShape, errors));
  const regions = sources.regions.filter((r) => checkShape(r, regionShape, errors));
  const platforms = sources.platforms.filter((p) =>
    checkShape(p, platformShape, errors, (p.value as { name?: string })?.name),
  );
  environments.forEach((e) => checkFileName(e, "environments", errors));
  regions.forEach((r) => checkFileName(r, "regions", errors));
  platforms.forEach((p) => checkFileName(p, "platforms", errors));

  const known: Known = {
    envNames: new Set(
      sources.environments
        .map((e) => (e.value as { name?: unknown })?.name)
        .filter((n): n is string => typeof n === "string"),
    ),
    regionByName: new Map(regions.map((r) => [r.value.name, r])),
    environments,
  };
  for (const env of environments) {
    checkEnvironmentRegions(env, known, errors);
    checkEnvironmentGlobalZone(env, errors);
  }
  for (const region of regions) {
    checkRegionClusters(region, known, errors);
    checkRegionHandover(region, known, errors);
  }
  const platformNames = checkPlatformNames(platforms, errors);
  for (const platform of platforms) checkPlatform(platform, known, errors);
  const argocd = checkArgoCd(sources.argocd ?? [], known.envNames, platformNames, errors);
  const addons = (sources.addons ?? []).filter((a) =>
    checkShape(a, addonShape, errors, (a.value as { name?: string })?.name),
  );
  addons.forEach((a) => checkFileName(a, "addons", errors));
  checkAddons(addons, known, errors);
  if (errors.length) throw combineErrors(errors);
  return {
    root: sources.root,
    platforms,
    environments,
    regions,
    ...(argocd ? { argocd } : {}),
    ...(addons.length ? { addons } : {}),
  };
}

/** Add-on layers and `runsIn` name known environments and regions; `dependsOn` names known add-ons, without a cycle. */
function checkAddons(addons: Loaded<AddonDescription>[], known: Known, errors: ManifoldError[]): void {
  const names = new Set(addons.map((a) => a.value.name));
  const fail = (a: Loaded<AddonDescription>, field: string, message: string) =>
    errors.push(new ManifoldError(message, { file: a.file, field, target: a.value.name }));
  for (const a of addons) {
    const { value } = a;
    (value.runsIn ?? []).forEach((e, i) => {
      if (!known.envNames.has(e)) fail(a, `runsIn[${i}]`, `unknown environment "${e}"${didYouMean(e, known.envNames)}`);
    });
    for (const e of Object.keys(value.environments ?? {}))
      if (!known.envNames.has(e))
        fail(a, `environments.${e}`, `unknown environment "${e}"${didYouMean(e, known.envNames)}`);
    for (const r of Object.keys(value.regions ?? {}))
      if (!known.regionByName.has(r))
        fail(a, `regions.${r}`, `unknown region "${r}"${didYouMean(r, known.regionByName.keys())}`);
    for (const t of Object.keys(value.targets ?? {})) {
      const [e, r] = t.split("/");
      // An environment that failed its own checks has its own error; its clusters are not judged from it.
      const env = known.environments.find((x) => x.value.name === e);
      if (!known.envNames.has(e))
        fail(a, `targets.${t}`, `"${t}" is not a cluster: unknown environment "${e}"${didYouMean(e, known.envNames)}`);
      else if (env && !env.value.regions.includes(r))
        fail(a, `targets.${t}`, `"${t}" is not a cluster: environment ${e} does not run in region ${r}`);
    }
    (value.dependsOn ?? []).forEach((d, i) => {
      if (!names.has(d)) fail(a, `dependsOn[${i}]`, `unknown add-on "${d}"${didYouMean(d, names)}`);
    });
  }
  const graph = Object.fromEntries(
    addons.map((a) => [a.value.name, { dependsOn: (a.value.dependsOn ?? []).filter((d) => names.has(d)) }]),
  );
  try {
    layerComponents(graph);
  } catch (e) {
    if (!(e instanceof DependencyCycleError)) throw e;
    const first = addons.find((a) => a.value.name === e.members[0])!;
    errors.push(
      new ManifoldError(`add-ons depend on each other in a cycle: ${e.members.join(" -> ")}`, {
        file: first.file,
        field: "dependsOn",
        target: first.value.name,
      }),
    );
  }
}

/**
 * Checks the optional `argocd/` description: one module, its shape, a policy
 * for every environment, no clash with platform projects.
 */
function checkArgoCd(
  modules: Loaded<unknown>[],
  envNames: Set<string>,
  platformNames: Set<string>,
  errors: ManifoldError[],
): Loaded<ArgoCdDescription> | undefined {
  if (modules.length === 0) return undefined;
  if (modules.length > 1) {
    errors.push(
      new ManifoldError(`argocd/ must hold one description; found ${modules.map((m) => m.file).join(", ")}`, {
        file: modules[1].file,
      }),
    );
    return undefined;
  }
  const [loaded] = modules;
  if (!checkShape(loaded, argoCdShape, errors)) return undefined;
  checkArgoCdNames(loaded, envNames, platformNames, errors);
  return loaded;
}

/** The Argo CD layer has a sync policy for exactly the known environments, and no platform takes a reserved project. */
function checkArgoCdNames(
  loaded: Loaded<ArgoCdDescription>,
  envNames: Set<string>,
  platformNames: Set<string>,
  errors: ManifoldError[],
): void {
  const { file, value } = loaded;
  for (const env of envNames) {
    if (!value.environments[env])
      errors.push(
        new ManifoldError(`has no sync policy for environment "${env}"`, { file, field: `environments.${env}` }),
      );
  }
  for (const env of Object.keys(value.environments)) {
    if (!envNames.has(env))
      errors.push(
        new ManifoldError(`unknown environment "${env}"; known: ${[...envNames].join(", ")}`, {
          file,
          field: `environments.${env}`,
        }),
      );
  }
  for (const name of platformNames) {
    if (name === "default" || name === value.bootstrap.project) {
      const clash = name === "default" ? "Argo CD's locked-down default project" : "the bootstrap project";
      errors.push(
        new ManifoldError(`platform "${name}" would share its AppProject name with ${clash}`, {
          file,
          field: "bootstrap.project",
        }),
      );
    }
  }
}

/**
 * Phase 1 entry point: import and check every description under `root`. With `fresh`, the precompiled CLI bundles
 * every description again instead of taking its bundle from the cache.
 */
export async function load(
  root: string,
  options: { fresh?: boolean; bundler?: DescriptionBundler } = {},
): Promise<Project> {
  return checkProject(await importProject(root, options.fresh, options.bundler));
}

/** A path relative to the project root, for messages. */
export function relativeTo(root: string, path: string): string {
  return relative(root, path) || ".";
}
