/**
 * Phase 1, load: import the descriptions (platforms, environments, regions)
 * and check them at run time. Every problem names the file and the field.
 */
import { readdirSync, existsSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { ManifoldError, combineErrors } from "./errors.ts";
import type { Shape, Problem } from "./check/shape.ts";
import { argoCdShape, environmentShape, platformShape, regionShape } from "./describe/schema.ts";
import type {
  ArgoCdDescription,
  EnvironmentDescription,
  PlatformDescription,
  RegionDescription,
  LayerOverride,
  EnvValue,
} from "./describe/types.ts";
import { isUrlRef } from "./describe/refs.ts";
import { layerComponents } from "./graph/dependency.ts";
import { HOOK_NAMES } from "./sync/hooks.ts";
import { importDescription } from "./precompiled.ts";
import { projectFrame } from "./stack.ts";
import { didYouMean } from "./suggest.ts";
import type { Loaded, ProjectSources, Project } from "./model/project.ts";

function listModules(root: string, dir: string): string[] {
  const full = join(root, dir);
  if (!existsSync(full)) return [];
  return readdirSync(full)
    .filter((f) => /\.(ts|mts|js|mjs)$/.test(f) && !f.endsWith(".d.ts") && !f.startsWith("_"))
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

/** Imports every description module under `root`. Files whose name starts with `_` are skipped. */
export async function importProject(root: string): Promise<ProjectSources> {
  const errors: ManifoldError[] = [];
  const load = async (dir: string) => {
    const out: Loaded<unknown>[] = [];
    for (const file of listModules(root, dir)) {
      const loaded = await importDefault(root, file, errors);
      if (loaded) out.push(loaded);
    }
    return out;
  };
  const sources = {
    root,
    platforms: await load("platforms"),
    environments: await load("environments"),
    regions: await load("regions"),
    argocd: await load("argocd"),
  };
  if (errors.length) throw combineErrors(errors);
  return sources;
}

function checkShape<T>(
  loaded: Loaded<unknown>,
  shape: Shape,
  errors: ManifoldError[],
  target?: string,
): loaded is Loaded<T> {
  const problems: Problem[] = [];
  shape(loaded.value, "", problems);
  for (const p of problems)
    errors.push(new ManifoldError(p.message, { file: loaded.file, field: p.path || undefined, target }));
  return problems.length === 0;
}

function checkUrlRefs(
  values: Record<string, EnvValue> | undefined,
  components: Set<string>,
  file: string,
  field: string,
  target: string,
  errors: ManifoldError[],
): void {
  for (const [k, v] of Object.entries(values ?? {})) {
    if (isUrlRef(v) && !components.has(v.component)) {
      errors.push(
        new ManifoldError(
          `refers to unknown component "${v.component}"${didYouMean(v.component, components)}; known: ${[...components].join(", ")}`,
          {
            file,
            field: `${field}.${k}`,
            target,
          },
        ),
      );
    }
  }
}

function checkLayerNames(
  layer: LayerOverride | undefined,
  components: Set<string>,
  file: string,
  field: string,
  target: string,
  errors: ManifoldError[],
): void {
  if (!layer) return;
  for (const name of Object.keys(layer.components ?? {})) {
    if (!components.has(name))
      errors.push(
        new ManifoldError(
          `overrides unknown component "${name}"${didYouMean(name, components)}; known: ${[...components].join(", ")}`,
          {
            file,
            field: `${field}.components.${name}`,
            target,
          },
        ),
      );
  }
  checkUrlRefs(layer.config, components, file, `${field}.config`, target, errors);
}

/** Checks loaded sources against the description shapes and each other. Throws one error listing every problem. */
export function checkProject(sources: ProjectSources): Project {
  const errors: ManifoldError[] = [];
  const environments = sources.environments.filter((e) =>
    checkShape<EnvironmentDescription>(e, environmentShape, errors),
  );
  const regions = sources.regions.filter((r) => checkShape<RegionDescription>(r, regionShape, errors));
  const platforms = sources.platforms.filter((p) =>
    checkShape<PlatformDescription>(p, platformShape, errors, (p.value as { name?: string })?.name),
  );

  const expectName = (l: Loaded<{ name: string }>, dir: string) => {
    const expected = `${dir}/${l.value.name}.ts`;
    if (l.file.replace(/\.(mts|js|mjs)$/, ".ts") !== expected)
      errors.push(
        new ManifoldError(`name "${l.value.name}" must match the file name (${expected})`, {
          file: l.file,
          field: "name",
        }),
      );
  };
  environments.forEach((e) => expectName(e as Loaded<{ name: string }>, "environments"));
  regions.forEach((r) => expectName(r as Loaded<{ name: string }>, "regions"));
  platforms.forEach((p) => expectName(p as Loaded<{ name: string }>, "platforms"));

  const regionByName = new Map(regions.map((r) => [r.value.name, r]));
  // names of every environment file, even one with problems, so one bad field does not also make it "unknown" elsewhere
  const envNames = new Set(
    sources.environments
      .map((e) => (e.value as { name?: unknown })?.name)
      .filter((n): n is string => typeof n === "string"),
  );
  for (const env of environments) {
    const primaries = [...new Set(env.value.regions)].filter((r) => regionByName.get(r)?.value.role === "primary");
    env.value.regions.forEach((name, i) => {
      const region = regionByName.get(name);
      if (!region) {
        errors.push(
          new ManifoldError(
            `unknown region "${name}"; known regions: ${[...regionByName.keys()].join(", ") || "none"}`,
            { file: env.file, field: `regions[${i}]`, target: env.value.name },
          ),
        );
      } else if (!region.value.clusters[env.value.name]) {
        errors.push(
          new ManifoldError(`has no cluster for environment "${env.value.name}"`, {
            file: region.file,
            field: `clusters.${env.value.name}`,
            target: `${env.value.name}/${name}`,
          }),
        );
      }
    });
    if (new Set(env.value.regions).size !== env.value.regions.length)
      errors.push(
        new ManifoldError("lists a region twice", { file: env.file, field: "regions", target: env.value.name }),
      );
    if (env.value.regions.every((r) => regionByName.has(r)) && primaries.length !== 1) {
      errors.push(
        new ManifoldError(`must include exactly one region whose role is primary (found ${primaries.length})`, {
          file: env.file,
          field: "regions",
          target: env.value.name,
        }),
      );
    }
  }
  for (const region of regions) {
    for (const env of Object.keys(region.value.clusters)) {
      if (!envNames.has(env))
        errors.push(
          new ManifoldError(`names unknown environment "${env}"; known: ${[...envNames].join(", ")}`, {
            file: region.file,
            field: `clusters.${env}`,
          }),
        );
    }
  }
  const platformNames = new Set<string>();
  const namespaces = new Map<string, string>();
  for (const p of platforms) {
    const { file, value } = p;
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
    const components = new Set(Object.keys(value.components));
    let graphOk = true;
    for (const [name, c] of Object.entries(value.components)) {
      (c.dependsOn ?? []).forEach((dep, i) => {
        if (!components.has(dep))
          errors.push(
            new ManifoldError(
              `depends on unknown component "${dep}"${didYouMean(dep, components)}; known: ${[...components].join(", ")}`,
              {
                file,
                field: `components.${name}.dependsOn[${i}]`,
                target: value.name,
              },
            ),
          );
        if (dep === name)
          errors.push(
            new ManifoldError(`depends on itself: ${name} -> ${name}`, {
              file,
              field: `components.${name}.dependsOn[${i}]`,
              target: value.name,
            }),
          );
        if (!components.has(dep) || dep === name) graphOk = false;
      });
      checkUrlRefs(c.env, components, file, `components.${name}.env`, value.name, errors);
    }
    if (graphOk) {
      try {
        layerComponents(value.components, { file, target: value.name }); // a cycle names its whole path
      } catch (e) {
        if (e instanceof ManifoldError) errors.push(e);
        else throw e;
      }
    }
    checkUrlRefs(value.config, components, file, "config", value.name, errors);
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
    const relational = Object.keys(value.components).filter(
      (k) => value.components[k].type === "store" && (value.components[k] as { engine?: string }).engine === "postgres",
    );
    if (relational.length && !value.migrations) {
      errors.push(
        new ManifoldError(
          `declares a relational database (${relational.join(", ")}) but no migrations; add \`migrations: { image, command, dependsOn: ["${relational[0]}"] }\` so the schema is migrated before the services start`,
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
    checkUrlRefs(value.migrations?.env, components, file, "migrations.env", value.name, errors);
    (value.runsIn ?? []).forEach((e, i) => {
      if (!envNames.has(e))
        errors.push(
          new ManifoldError(`unknown environment "${e}"; known: ${[...envNames].join(", ")}`, {
            file,
            field: `runsIn[${i}]`,
            target: value.name,
          }),
        );
    });
    for (const [e, layer] of Object.entries(value.environments ?? {})) {
      if (!envNames.has(e))
        errors.push(
          new ManifoldError(`unknown environment "${e}"; known: ${[...envNames].join(", ")}`, {
            file,
            field: `environments.${e}`,
            target: value.name,
          }),
        );
      checkLayerNames(layer, components, file, `environments.${e}`, value.name, errors);
    }
    for (const [r, layer] of Object.entries(value.regions ?? {})) {
      if (!regionByName.has(r))
        errors.push(
          new ManifoldError(`unknown region "${r}"; known: ${[...regionByName.keys()].join(", ")}`, {
            file,
            field: `regions.${r}`,
            target: value.name,
          }),
        );
      checkLayerNames(layer, components, file, `regions.${r}`, value.name, errors);
    }
    for (const [key, layer] of Object.entries(value.targets ?? {})) {
      const [e, r] = key.split("/");
      const env = environments.find((x) => x.value.name === e);
      if (!env || !env.value.regions.includes(r))
        errors.push(
          new ManifoldError(`"${key}" is not a target: environment ${e} does not run in region ${r}`, {
            file,
            field: `targets.${key}`,
            target: value.name,
          }),
        );
      checkLayerNames(layer, components, file, `targets.${key}`, value.name, errors);
    }
  }
  const argocd = checkArgoCd(sources.argocd ?? [], envNames, platformNames, errors);
  if (errors.length) throw combineErrors(errors);
  return { root: sources.root, platforms, environments, regions, ...(argocd ? { argocd } : {}) };
}

/**
 * Checks the optional `argocd/` description: one module, its shape, a policy for every environment, no clash with
 * platform projects.
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
  if (!checkShape<ArgoCdDescription>(loaded, argoCdShape, errors)) return undefined;
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
      errors.push(
        new ManifoldError(
          `platform "${name}" would share its AppProject name with ${name === "default" ? "Argo CD's locked-down default project" : "the bootstrap project"}`,
          { file, field: "bootstrap.project" },
        ),
      );
    }
  }
  return loaded;
}

/** Phase 1 entry point: import and check every description under `root`. */
export async function load(root: string): Promise<Project> {
  return checkProject(await importProject(root));
}

/** A path relative to the project root, for messages. */
export function relativeTo(root: string, path: string): string {
  return relative(root, path) || ".";
}
