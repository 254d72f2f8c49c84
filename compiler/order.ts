/**
 * Phase 4, order: compute `argocd.argoproj.io/sync-wave` for every object.
 *
 * Components are layered by the longest path through their `dependsOn`
 * graph, so a workload is in a strictly later wave than everything it depends
 * on (Argo CD waits for a wave to be healthy before the next). Under the graph
 * lies a fixed baseline: foundation (namespace, quotas, RBAC, config,
 * secrets), the workloads, then scaling, edge and observability. Waves are
 * only added where Argo CD's own kind order is not enough: the foundation
 * gets a wave of its own only when it holds custom resources (an
 * ExternalSecret sorts after every Deployment in its wave, and its Secret only
 * exists once it has synced), and empty bands take no wave.
 */
import { ManifoldError } from "./errors.ts";
import type { BuiltTarget } from "./build/index.ts";
import type { Band, RenderedObject } from "./build/objects.ts";
import { isKnownKind } from "./argo-order.ts";
import { installsCrd, isCustomResource, syncOptions } from "./hazards.ts";
import type { Component } from "./describe/types.ts";
import type { ResolvedTarget } from "./resolve.ts";

export const WAVE_ANNOTATION = "argocd.argoproj.io/sync-wave";

/** Longest-path layer of each component: 0 with no dependencies, else 1 + the deepest dependency. A cycle is an error naming the whole path. */
export function layerComponents(components: Record<string, Pick<Component, "dependsOn">>, where: { file?: string; target?: string } = {}): Map<string, number> {
  const level = new Map<string, number>();
  const visiting: string[] = [];
  const visit = (name: string): number => {
    const known = level.get(name);
    if (known !== undefined) return known;
    const at = visiting.indexOf(name);
    if (at >= 0) {
      const cycle = [...visiting.slice(at), name];
      throw new ManifoldError(`dependency cycle: ${cycle.join(" -> ")}`, { ...where, field: `components.${cycle[0]}.dependsOn` });
    }
    const component = components[name];
    if (!component) throw new ManifoldError(`unknown component "${name}"`, { ...where, field: "components" });
    visiting.push(name);
    let depth = 0;
    for (const dep of component.dependsOn ?? []) {
      if (!components[dep]) throw new ManifoldError(`depends on unknown component "${dep}"`, { ...where, field: `components.${name}.dependsOn` });
      depth = Math.max(depth, visit(dep) + 1);
    }
    visiting.pop();
    level.set(name, depth);
    return depth;
  };
  for (const name of Object.keys(components).sort()) visit(name);
  return level;
}

/**
 * The graph waves are computed on: components with their `dependsOn`, plus
 * Sync-phase hooks. A gating hook (the migration) depends on its databases,
 * and every service that uses one of those databases depends on the hook,
 * so it starts only once the schema is migrated.
 */
export function syncGraph(target: Pick<ResolvedTarget, "components" | "waveHooks">): Record<string, { dependsOn: string[] }> {
  const graph: Record<string, { dependsOn: string[] }> = {};
  for (const [key, c] of Object.entries(target.components)) graph[key] = { dependsOn: [...(c.dependsOn ?? [])] };
  for (const [name, hook] of Object.entries(target.waveHooks)) {
    graph[name] = { dependsOn: [...hook.dependsOn] };
    if (!hook.gates) continue;
    for (const [key, c] of Object.entries(target.components)) {
      if (c.type === "store" || hook.dependsOn.includes(key)) continue;
      if (graph[key].dependsOn.some((d) => hook.dependsOn.includes(d))) graph[key].dependsOn.push(name);
    }
  }
  return graph;
}

/** The sync graph in object names (`app.kubernetes.io/name` of each workload), for hazard checks. */
export function workloadDependencies(target: Pick<ResolvedTarget, "components" | "waveHooks" | "namePrefix">): Record<string, string[]> {
  const graph = syncGraph(target);
  const out: Record<string, string[]> = {};
  for (const [key, node] of Object.entries(graph)) out[target.namePrefix + key] = node.dependsOn.map((d) => target.namePrefix + d);
  return out;
}

export interface WavePlan {
  /** Wave of each band (the workload band's first wave). */
  bands: Partial<Record<Band, number>>;
  /** Wave of each component's workload (and of each Sync hook). */
  components: Record<string, number>;
}

/** Computes the wave of every band and component of a target. */
export function planWaves(built: BuiltTarget): WavePlan {
  const { target, objects } = built;
  const levels = layerComponents(syncGraph(target), { file: target.sources[0], target: target.id });
  const separateFoundation = objects.some((o) => o.band === "foundation" && !isKnownKind(o.object.kind));
  const first = separateFoundation ? 1 : 0;
  const components: Record<string, number> = {};
  for (const [name, lvl] of levels) components[name] = first + lvl;
  const lastWorkload = Math.max(first, ...Object.values(components));
  const bands: Partial<Record<Band, number>> = { foundation: separateFoundation ? 0 : first, workload: first };
  let next = lastWorkload + 1;
  for (const band of ["scaling", "edge", "observability"] as const) {
    if (objects.some((o) => o.band === band)) bands[band] = next++;
  }
  return { bands, components };
}

function waveOf(o: RenderedObject, plan: WavePlan): number {
  if ((o.band === "workload" || o.band === "hook") && o.component !== undefined && plan.components[o.component] !== undefined) return plan.components[o.component];
  if (o.band === "hook") return 0;
  return plan.bands[o.band] ?? 0;
}

export const SYNC_OPTIONS_ANNOTATION = "argocd.argoproj.io/sync-options";

/**
 * Phase 4 entry point: annotates every object with its wave, and every custom
 * resource whose CRD this Application does not install with
 * `SkipDryRunOnMissingResource=true`. Returns new objects; the input is not changed.
 */
export function order(built: BuiltTarget): BuiltTarget & { waves: WavePlan } {
  const plan = planWaves(built);
  const all = built.objects.map((o) => o.object);
  const objects = built.objects.map((o) => {
    const annotations: Record<string, string> = { ...(o.object.metadata.annotations ?? {}), [WAVE_ANNOTATION]: String(waveOf(o, plan)) };
    if (isCustomResource(o.object) && !installsCrd(all, o.object)) {
      const options = syncOptions(o.object);
      if (!options.includes("SkipDryRunOnMissingResource=true")) annotations[SYNC_OPTIONS_ANNOTATION] = [...options, "SkipDryRunOnMissingResource=true"].join(",");
    }
    return { ...o, object: { ...o.object, metadata: { ...o.object.metadata, annotations } } };
  });
  return { target: built.target, objects, waves: plan };
}
