/**
 * The layering chain of one resolved field: every description layer that
 * writes it, in the order resolve applies them (platform, environment, the
 * platform's environment override, region, the platform's region override,
 * the per-target override), from resolve's own list of layers; a test checks
 * that the last step always agrees with the provenance resolve records.
 */
import type { Project } from "../model/project.ts";
import type { ResolvedTarget } from "../model/target.ts";
import { overrideLayers } from "../resolve.ts";
import { getAt, isWalkable } from "./perturb.ts";
import type { DescriptionRef } from "./trace.ts";

export interface Layer {
  label: string;
  file: string;
  /** Key path of the layer inside its file (`["overrides"]`, `["environments", "dev"]`...). */
  at: (string | number)[];
  value: unknown;
}

/** The layers of a target in resolve's order (resolve's own list), the platform itself first (`at` empty). */
export function layersOf(project: Project, target: ResolvedTarget): Layer[] {
  const p = project.platforms.find((x) => x.value.name === target.platform)!;
  const e = project.environments.find((x) => x.value.name === target.environment)!;
  const r = project.regions.find((x) => x.value.name === target.region)!;
  return [
    { label: "platform", file: p.file, at: [], value: p.value },
    ...overrideLayers(p, e, r).map(({ layer, file, at, value }) => ({ label: layer, file, at, value })),
  ];
}

/** One layer's write to a field: where (file and key path) and what. */
export interface Write extends DescriptionRef {
  label: string;
}

/** The value a layer writes at `path` (or at a prefix of it, for a list, reference or `false` that replaces it). */
function writeAt(layer: Layer, keys: (string | number)[]): { path: (string | number)[]; value: unknown } | undefined {
  for (let i = 1; i <= keys.length; i++) {
    const v = getAt(layer.value, keys.slice(0, i));
    if (v === undefined) return undefined;
    if (i === keys.length || !isWalkable(v)) return { path: [...layer.at, ...keys.slice(0, i)], value: v };
  }
  return undefined;
}

/**
 * Every write to a resolved field (`components.api.replicas`, `config.LOG_LEVEL`, `volumes.backup.size`), in
 * layering order. A layer's `defaults` count only for a field that exists by then, as in resolve.
 */
export function chainOf(layers: Layer[], resolvedPath: (string | number)[]): Write[] {
  const [section, name, ...rest] = resolvedPath;
  const out: Write[] = [];
  // the field's value so far, under `rest`, to apply `defaults` only where resolve does (refining, never creating)
  const state: { value?: unknown } = {};
  for (const layer of layers) {
    const candidates: (string | number)[][] =
      section === "components"
        ? layer.at.length === 0
          ? [["components", name, ...rest]]
          : [
              ["defaults", ...rest],
              ["components", name, ...rest],
            ]
        : [[String(section), name, ...rest]];
    for (const keys of candidates) {
      const w = writeAt(layer, keys);
      if (!w) continue;
      const rel = w.path.slice(layer.at.length + (keys[0] === "defaults" ? 1 : 2));
      if (keys[0] === "defaults") {
        const current = getAt(state.value, rel);
        if (current === undefined || (isWalkable(w.value) && !isWalkable(current))) continue;
      }
      state.value = withValue(state.value, rel, w.value);
      out.push({ label: keys[0] === "defaults" ? `${layer.label} (defaults)` : layer.label, file: layer.file, ...w });
    }
  }
  return out;
}

/** `root` with `value` at `path` (a copy along the path; empty path: the value itself). */
function withValue(root: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const base = isWalkable(root) ? root : {};
  return { ...base, [String(path[0])]: withValue(base[String(path[0])], path.slice(1), value) };
}

/**
 * The resolved field a description value feeds, when it is a layered one: a platform's `components.api.x`, any
 * layer's `components.api.x`, `defaults.x` (for the object's component), `config.K` or `volumes.N.k`.
 */
export function resolvedPathOf(
  layers: Layer[],
  ref: DescriptionRef,
  component: string | undefined,
): (string | number)[] | undefined {
  for (const layer of [...layers].reverse()) {
    if (layer.file !== ref.file || layer.value === undefined) continue;
    const n = layer.at.length;
    if (n > 0 && !layer.at.every((k, i) => ref.path[i] === k)) continue;
    const [section, ...rest] = ref.path.slice(n);
    if (n === 0 && !["components", "config", "volumes"].includes(String(section))) return undefined;
    if (section === "defaults") return component ? ["components", component, ...rest] : undefined;
    if (section === "components" || section === "config" || section === "volumes") return [section, ...rest];
    return undefined;
  }
  return undefined;
}
