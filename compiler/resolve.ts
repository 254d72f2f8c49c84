/**
 * Phase 2, resolve: layer platform defaults, then the environment, then the
 * region, then any explicit per-target override, into one resolved spec per
 * target (platform × environment × region). Each leaf field records which
 * layer, and so which file, set it.
 */
import { layerComponents } from "./graph/dependency.ts";
import { ManifoldError, combineErrors } from "./errors.ts";
import type { Problem } from "./check/shape.ts";
import { componentShape } from "./describe/schema.ts";
import type {
  ClusterDescription,
  Component,
  ComponentOverride,
  EnvironmentPolicy,
  EnvValue,
  IngressDescription,
  LayerOverride,
  PatchRule,
  PlatformDescription,
  RegionRole,
} from "./describe/types.ts";
import type { Project } from "./model/project.ts";
import { platformHooks } from "./sync/hooks.ts";
import { type HookSpec } from "./model/hook.ts";
import { jsonCopy } from "./json.ts";
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

function applyLayer(target: ResolvedTarget, layer: LayerOverride | undefined, origin: Provenance): void {
  if (!layer) return;
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

/** Finds the layer most likely responsible for a problem at `path`: the latest layer that set it or anything under it. */
export function blame(target: ResolvedTarget, path: string): Provenance | undefined {
  let best: Provenance | undefined;
  for (const [key, origin] of Object.entries(target.provenance)) {
    if (key === path || key.startsWith(path + ".") || key.startsWith(path + "[") || path.startsWith(key + ".")) {
      if (!best || origin.rank > best.rank) best = origin;
    }
  }
  return best;
}

/** Phase 2 entry point: every target the environments declare, each fully layered and re-checked. */
export function resolve(project: Project, filter: TargetFilter = {}): ResolvedTarget[] {
  const errors: ManifoldError[] = [];
  const targets: ResolvedTarget[] = [];
  const regions = new Map(project.regions.map((r) => [r.value.name, r]));
  for (const p of project.platforms) {
    const platform: PlatformDescription = p.value;
    if (filter.platform && filter.platform !== platform.name) continue;
    for (const e of project.environments) {
      const env = e.value;
      if (filter.environment && filter.environment !== env.name) continue;
      if (platform.runsIn && !platform.runsIn.includes(env.name)) continue;
      const primaryName = env.regions.find((r) => regions.get(r)?.value.role === "primary")!;
      const primary = regions.get(primaryName)!.value;
      for (const regionName of env.regions) {
        if (filter.region && filter.region !== regionName) continue;
        const r = regions.get(regionName)!;
        const region = r.value;
        const id = `${platform.name}/${env.name}/${region.name}`;
        const target: ResolvedTarget = {
          id,
          platform: platform.name,
          environment: env.name,
          region: region.name,
          role: region.role,
          namespace: platform.namespace,
          namePrefix: platform.namePrefix ?? "",
          description: platform.description,
          cluster: region.clusters[env.name],
          primary: { region: primary.name, cluster: primary.clusters[env.name] },
          secretStore: region.secretStore,
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
          tracing: platform.tracing,
          provenance: {},
          sources: [p.file, e.file, r.file],
        };
        const base: Provenance = { layer: "platform", file: p.file, rank: 0 };
        for (const [name, c] of Object.entries(target.components))
          record(c, `components.${name}`, base, target.provenance, false);
        applyLayer(target, { config: platform.config }, base);
        applyLayer(target, env.overrides, { layer: `environment ${env.name}`, file: e.file, rank: 1 });
        applyLayer(target, platform.environments?.[env.name], {
          layer: `platform environments.${env.name}`,
          file: p.file,
          rank: 2,
        });
        applyLayer(target, region.overrides, { layer: `region ${region.name}`, file: r.file, rank: 3 });
        applyLayer(target, platform.regions?.[region.name], {
          layer: `platform regions.${region.name}`,
          file: p.file,
          rank: 4,
        });
        applyLayer(target, platform.targets?.[`${env.name}/${region.name}`], {
          layer: `target ${env.name}/${region.name}`,
          file: p.file,
          rank: 5,
        });

        const hooks = platformHooks(platform, target.components, {
          serviceName: (key) => target.namePrefix + key,
          context: `${platform.name} in ${env.name}/${region.name}`,
          primary: region.role === "primary",
        });
        target.hooks = Object.fromEntries(Object.entries(hooks).filter(([, h]) => h.render));
        target.waveHooks = Object.fromEntries(Object.entries(hooks).filter(([, h]) => h.phase === "Sync"));
        for (const [name, component] of Object.entries(target.components)) {
          const problems: Problem[] = [];
          componentShape(component, `components.${name}`, problems);
          for (const problem of problems) {
            const origin = blame(target, problem.path);
            errors.push(
              new ManifoldError(problem.message + (origin && origin.rank > 0 ? ` (set by ${origin.layer})` : ""), {
                file: origin?.file ?? p.file,
                field: problem.path,
                target: id,
              }),
            );
          }
        }
        // a layer that changes dependsOn can leave a dangling name or close a cycle in this target only
        try {
          layerComponents(target.components, { file: p.file, target: id });
        } catch (e) {
          if (!(e instanceof ManifoldError)) throw e;
          // blame the edge a layer added: the cycle member whose dependsOn the latest layer set
          const members = e.message.startsWith("dependency cycle: ")
            ? e.message.slice("dependency cycle: ".length).split(" -> ")
            : [];
          const fields = [e.field, ...members.map((m) => `components.${m}.dependsOn`)].filter((f): f is string => !!f);
          const blamed = fields
            .map((f) => ({ field: f, origin: blame(target, f) }))
            .reduce((a, b) => ((b.origin?.rank ?? 0) > (a.origin?.rank ?? 0) ? b : a));
          const origin = blamed.origin;
          errors.push(
            new ManifoldError(e.message + (origin && origin.rank > 0 ? ` (set by ${origin.layer})` : ""), {
              file: origin?.file ?? p.file,
              field: blamed.field,
              target: id,
            }),
          );
        }
        targets.push(target);
      }
    }
  }
  if (errors.length) throw combineErrors(errors);
  return targets;
}
