/**
 * Phase 2, resolve: layer platform defaults, then the environment, then the
 * region, then any explicit per-target override, into one resolved spec per
 * target (platform × environment × region). Each leaf field records which
 * layer, and so which file, set it.
 */
import { managedCapabilities, type ManagedCapabilities } from "./describe/addon-capabilities.ts";
import { DependencyCycleError, layerComponents } from "./graph/dependency.ts";
import { ManifoldError, combineErrors } from "./errors.ts";
import type { Problem } from "./check/shape.ts";
import { componentShape } from "./describe/schema.ts";
import type {
  ComponentOverride,
  EnvironmentDescription,
  LayerOverride,
  PlatformDescription,
  RegionDescription,
} from "./describe/types.ts";
import type { Loaded, Project } from "./model/project.ts";
import { platformHooks } from "./sync/hooks.ts";
import { jsonCopy } from "./json.ts";
import { remembered } from "./remember.ts";
import type { Provenance, ResolvedTarget, TargetFilter } from "./model/target.ts";

const REFERENCE_KINDS = new Set(["secret", "url", "config", "ingress-url"]);

function isMergeable(v: unknown): v is Record<string, unknown> {
  return (
    typeof v === "object" &&
    v !== null &&
    !Array.isArray(v) &&
    !REFERENCE_KINDS.has((v as { kind?: string }).kind ?? "")
  );
}

function clone<T>(v: T): T {
  return v === undefined ? v : (jsonCopy(v) as T);
}

/**
 * Records `origin` for every leaf of `value` at `path`, forgetting what was
 * recorded for `path` before. Entries below `path` can only exist when the
 * value it replaces was an object (`replacedObject`); only then are all keys
 * scanned, so layering stays linear in the number of fields.
 */
function record(
  value: unknown,
  path: string,
  origin: Provenance,
  provenance: Record<string, Provenance>,
  replacedObject = true,
): void {
  if (replacedObject) {
    const prefix = path + ".";
    for (const key of Object.keys(provenance)) if (key === path || key.startsWith(prefix)) delete provenance[key];
  } else delete provenance[path];
  if (isMergeable(value)) {
    for (const [k, v] of Object.entries(value)) record(v, `${path}.${k}`, origin, provenance, false);
  } else provenance[path] = origin;
}

/** Deep-merges `override` into `base` (mutating it). Objects merge; lists, scalars, references and `false` replace. */
function merge(
  base: Record<string, unknown>,
  override: Record<string, unknown>,
  path: string,
  origin: Provenance,
  provenance: Record<string, Provenance>,
  refineOnly: boolean,
): void {
  for (const [key, value] of Object.entries(override)) {
    if (value === undefined) continue;
    const here = `${path}.${key}`;
    const current = base[key];
    if (refineOnly && current === undefined) continue;
    if (isMergeable(value) && isMergeable(current)) {
      merge(current, value, here, origin, provenance, refineOnly);
    } else if (isMergeable(value) && refineOnly) {
      continue; // a defaults layer never creates an object field (e.g. autoscale on a component without one)
    } else {
      base[key] = clone(value);
      record(value, here, origin, provenance, isMergeable(current));
    }
  }
}

/** A layer's alert tuning: its thresholds win over earlier ones, and the alerts it turns off add to theirs. */
function applyAlertTuning(target: ResolvedTarget, tuning: LayerOverride["alerting"], origin: Provenance): void {
  if (!tuning || !target.alerting) return;
  const a = target.alerting;
  a.thresholds = { ...a.thresholds, ...tuning.thresholds };
  for (const key of Object.keys(tuning.thresholds ?? {})) target.provenance[`alerting.thresholds.${key}`] = origin;
  if (tuning.off) {
    a.off = [...new Set([...(a.off ?? []), ...tuning.off])].sort();
    target.provenance["alerting.off"] = origin;
  }
}

function applyLayer(target: ResolvedTarget, layer: LayerOverride | undefined, origin: Provenance): void {
  if (!layer) return;
  applyAlertTuning(target, layer.alerting, origin);
  if (layer.config) {
    target.config = { ...target.config };
    for (const [k, v] of Object.entries(layer.config)) {
      target.config[k] = clone(v);
      target.provenance[`config.${k}`] = origin;
    }
  }
  if (layer.defaults) {
    for (const [name, component] of Object.entries(target.components)) {
      merge(
        component as unknown as Record<string, unknown>,
        layer.defaults as Record<string, unknown>,
        `components.${name}`,
        origin,
        target.provenance,
        true,
      );
    }
  }
  for (const [name, override] of Object.entries(layer.volumes ?? {})) {
    const volume = target.volumes?.[name];
    if (!volume)
      throw new ManifoldError(
        `names unknown volume "${name}"; the platform declares ${Object.keys(target.volumes ?? {}).join(", ") || "none"}`,
        { file: origin.file, field: `volumes.${name}`, target: target.id },
      );
    target.volumes = { ...target.volumes, [name]: { ...volume, ...override } };
    for (const key of Object.keys(override)) target.provenance[`volumes.${name}.${key}`] = origin;
  }
  for (const [name, override] of Object.entries(layer.components ?? {})) {
    merge(
      target.components[name] as unknown as Record<string, unknown>,
      override as ComponentOverride as Record<string, unknown>,
      `components.${name}`,
      origin,
      target.provenance,
      false,
    );
  }
}

/**
 * Finds the layer most likely responsible for a problem at `path`: the latest layer that set it or anything under
 * it; undefined when no override layer did (the platform's own field, or one nothing set).
 */
export function blame(target: ResolvedTarget, path: string): Provenance | undefined {
  let best: Provenance | undefined;
  for (const [key, origin] of Object.entries(target.provenance)) {
    if (key === path || key.startsWith(path + ".") || key.startsWith(path + "[") || path.startsWith(key + ".")) {
      if (!best || origin.rank > best.rank) best = origin;
    }
  }
  return best;
}

/** One target to resolve: a platform, an environment it runs in, one of that environment's regions. */
interface Placement {
  platform: Loaded<PlatformDescription>;
  environment: Loaded<EnvironmentDescription>;
  region: Loaded<RegionDescription>;
  /** The environment's primary region. */
  primary: RegionDescription;
  /** Every environment's primary region, by environment name. */
  primaries: Record<string, RegionDescription>;
  /** What the cluster layer's add-ons give the placement's cluster. */
  managed: ManagedCapabilities[];
  /** The environment's other regions. */
  peers: RegionDescription[];
}

/** Every placement the environments declare and the filter selects, in platform, environment, region order. */
function placements(project: Project, filter: TargetFilter): Placement[] {
  const regions = new Map(project.regions.map((r) => [r.value.name, r]));
  const addons = (project.addons ?? []).map((a) => a.value);
  const out: Placement[] = [];
  const primaries: Record<string, RegionDescription> = {};
  for (const e of project.environments) {
    const name = e.value.regions.find((r) => regions.get(r)?.value.role === "primary");
    if (name) primaries[e.value.name] = regions.get(name)!.value;
  }
  for (const platform of project.platforms) {
    if (filter.platform && filter.platform !== platform.value.name) continue;
    for (const environment of project.environments) {
      const env = environment.value;
      if (filter.environment && filter.environment !== env.name) continue;
      if (platform.value.runsIn && !platform.value.runsIn.includes(env.name)) continue;
      const primaryName = env.regions.find((r) => regions.get(r)?.value.role === "primary")!;
      const primary = regions.get(primaryName)!.value;
      for (const regionName of env.regions) {
        if (filter.region && filter.region !== regionName) continue;
        const managed = managedCapabilities(addons, env.name, regionName);
        const peers = env.regions.filter((r) => r !== regionName).map((r) => regions.get(r)!.value);
        out.push({ platform, environment, region: regions.get(regionName)!, primary, primaries, peers, managed });
      }
    }
  }
  return out;
}

/** The target before any layer: the platform's own fields, placed in its environment and region. */
function unlayeredTarget({
  platform: p,
  environment: e,
  region: r,
  primary,
  primaries,
  peers,
  managed,
}: Placement): ResolvedTarget {
  const [platform, env, region] = [p.value, e.value, r.value];
  return {
    id: `${platform.name}/${env.name}/${region.name}`,
    platform: platform.name,
    environment: env.name,
    region: region.name,
    role: region.role,
    namespace: platform.namespace,
    namePrefix: platform.namePrefix ?? "",
    description: platform.description,
    cluster: region.clusters[env.name],
    primary: {
      region: primary.name,
      cluster: primary.clusters[env.name],
      objectStore: primary.backups,
      ...(primary.handover ? { handover: primary.handover } : {}),
      ...(primary.promotionTokens ? { promotionTokens: primary.promotionTokens } : {}),
    },
    peers: peers.map((x) => ({ region: x.name, role: x.role, cluster: x.clusters[env.name], objectStore: x.backups })),
    secretStore: region.secretStore,
    managedCapabilities: managed,
    objectStore: region.backups,
    backupSources: Object.fromEntries(
      Object.entries(primaries).map(([name, r]) => [name, { region: r.name, objectStore: r.backups }]),
    ),
    policy: { ...env.policy },
    config: {},
    components: clone(platform.components),
    patches: (platform.patches ?? []).filter(
      (rule) =>
        (!rule.environments || rule.environments.includes(env.name)) &&
        (!rule.regions || rule.regions.includes(region.name)),
    ),
    hooks: {},
    waveHooks: {},
    dashboards: platform.dashboards,
    ingresses: platform.ingresses,
    storageClasses: platform.storageClasses,
    volumes: platform.volumes,
    mesh: platform.mesh,
    alerts: platform.alerts,
    recordingRules: platform.recordingRules,
    prometheusStack: platform.prometheusStack,
    globalDomain: env.globalDomain,
    globalZoneId: env.globalZoneId,
    alerting: clone(platform.alerting),
    slos: platform.slos,
    tracing: platform.tracing,
    provenance: {},
    sources: [p.file, e.file, r.file],
  };
}

/** One override layer of a target: where it sits (file, and key path inside it), its rank and what it sets. */
export interface OverrideLayer {
  /** The layer's label, e.g. `environment dev` or `platform regions.us-east-1`. */
  layer: string;
  file: string;
  /** Position in the layering order, after the platform itself (rank 0); later layers win. */
  rank: number;
  /** Key path of the layer inside its file (`["overrides"]`, `["environments", "dev"]`...). */
  at: string[];
  value: LayerOverride | undefined;
}

/**
 * The override layers of a platform in an environment and region, in the order resolve applies them: the
 * environment, the platform's environment override, the region, the platform's region override, the per-target
 * override. The one list both resolve and explain walk.
 */
export function overrideLayers(
  p: Loaded<PlatformDescription>,
  e: Loaded<EnvironmentDescription>,
  r: Loaded<RegionDescription>,
): OverrideLayer[] {
  const [platform, env, region] = [p.value, e.value, r.value];
  const target = `${env.name}/${region.name}`;
  return [
    { layer: `environment ${env.name}`, file: e.file, rank: 1, at: ["overrides"], value: env.overrides },
    {
      layer: `platform environments.${env.name}`,
      file: p.file,
      rank: 2,
      at: ["environments", env.name],
      value: platform.environments?.[env.name],
    },
    { layer: `region ${region.name}`, file: r.file, rank: 3, at: ["overrides"], value: region.overrides },
    {
      layer: `platform regions.${region.name}`,
      file: p.file,
      rank: 4,
      at: ["regions", region.name],
      value: platform.regions?.[region.name],
    },
    { layer: `target ${target}`, file: p.file, rank: 5, at: ["targets", target], value: platform.targets?.[target] },
  ];
}

/**
 * Layers the platform's config, the environment, the region and the per-target overrides, in rank order. Only the
 * override layers are recorded in the provenance: a field it does not list is the platform's own (rank 0, in
 * `sources[0]`), so the platform's fields, most of every target, are neither recorded nor hashed into its cache key.
 */
function applyLayers(target: ResolvedTarget, { platform: p, environment: e, region: r }: Placement): void {
  const config: ResolvedTarget["config"] = {};
  for (const [k, v] of Object.entries(p.value.config ?? {})) config[k] = clone(v);
  target.config = config;
  for (const { layer, file, rank, value } of overrideLayers(p, e, r)) applyLayer(target, value, { layer, file, rank });
}

/** The platform's hooks for this target: those it renders, and the Sync-phase ones the waves wait on. */
function attachHooks(target: ResolvedTarget, { platform, environment, region }: Placement): void {
  const hooks = platformHooks(platform.value, target.components, {
    serviceName: (key) => target.namePrefix + key,
    context: `${platform.value.name} in ${environment.value.name}/${region.value.name}`,
    primary: region.value.role === "primary",
  });
  target.hooks = Object.fromEntries(Object.entries(hooks).filter(([, h]) => h.render));
  target.waveHooks = Object.fromEntries(Object.entries(hooks).filter(([, h]) => h.phase === "Sync"));
}

/** An error at `field`, blamed on the layer that set it (named when it is not the platform itself). */
function blamedError(target: ResolvedTarget, message: string, field: string, platformFile: string): ManifoldError {
  return blamedAt(target, message, { field, origin: blame(target, field) }, platformFile);
}

function blamedAt(
  target: ResolvedTarget,
  message: string,
  { field, origin }: { field: string; origin: Provenance | undefined },
  platformFile: string,
): ManifoldError {
  return new ManifoldError(message + (origin && origin.rank > 0 ? ` (set by ${origin.layer})` : ""), {
    file: origin?.file ?? platformFile,
    field,
    target: target.id,
  });
}

/**
 * The shape problems of component `name` (their paths under `components.<name>`), kept by its name and JSON: the same
 * component in another region (most of a fleet's) is checked once. Components are JSON data (load refuses anything
 * else) and the shape reads nothing but the value, so equal JSON means equal problems.
 */
const shapeProblems = remembered(
  (name: string, component: unknown): Problem[] => {
    const problems: Problem[] = [];
    componentShape(component, `components.${name}`, problems);
    return problems;
  },
  (name, component) => `${name}\0${JSON.stringify(component)}`,
  20_000,
);

/** Re-checks each layered component's shape: a layer can set a value the platform alone could not. */
function componentProblems(target: ResolvedTarget, platformFile: string): ManifoldError[] {
  return Object.entries(target.components).flatMap(([name, component]) =>
    shapeProblems(name, component).map((problem) => blamedError(target, problem.message, problem.path, platformFile)),
  );
}

/**
 * A layer that changes dependsOn can leave a dangling name or close a cycle in this target only. A cycle is
 * blamed on the edge a layer added: the member whose dependsOn the latest layer set.
 */
function dependencyProblems(target: ResolvedTarget, platformFile: string): ManifoldError[] {
  try {
    layerComponents(target.components, { file: platformFile, target: target.id });
    return [];
  } catch (e) {
    if (!(e instanceof ManifoldError)) throw e;
    const members = e instanceof DependencyCycleError ? e.members : [];
    const fields = [e.field, ...members.map((m) => `components.${m}.dependsOn`)].filter((f): f is string => !!f);
    const blamed = fields
      .map((f) => ({ field: f, origin: blame(target, f) }))
      .reduce((a, b) => ((b.origin?.rank ?? 0) > (a.origin?.rank ?? 0) ? b : a));
    return [blamedAt(target, e.message, blamed, platformFile)];
  }
}

/** Phase 2 entry point: every target the environments declare, each fully layered and re-checked. */
export function resolve(project: Project, filter: TargetFilter = {}): ResolvedTarget[] {
  const errors: ManifoldError[] = [];
  const targets = placements(project, filter).map((placement) => {
    const target = unlayeredTarget(placement);
    applyLayers(target, placement);
    attachHooks(target, placement);
    errors.push(...componentProblems(target, placement.platform.file));
    errors.push(...dependencyProblems(target, placement.platform.file));
    return target;
  });
  if (errors.length) throw combineErrors(errors);
  return targets;
}
