/** The graph a target's waves are computed on: its components' `dependsOn` plus its Sync-phase hooks. */
import type { ResolvedTarget } from "../model/target.ts";

/**
 * The graph waves are computed on: components with their `dependsOn`, plus
 * Sync-phase hooks. A gating hook (the migration) depends on its databases,
 * and every service that uses one of those databases depends on the hook,
 * so it starts only once the schema is migrated.
 */
export function syncGraph(
  target: Pick<ResolvedTarget, "components" | "waveHooks">,
): Record<string, { dependsOn: string[] }> {
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
export function workloadDependencies(
  target: Pick<ResolvedTarget, "components" | "waveHooks" | "namePrefix">,
): Record<string, string[]> {
  const graph = syncGraph(target);
  const out: Record<string, string[]> = {};
  for (const [key, node] of Object.entries(graph))
    out[target.namePrefix + key] = node.dependsOn.map((d) => target.namePrefix + d);
  return out;
}
