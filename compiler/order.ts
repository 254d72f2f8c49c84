/**
 * Phase 4, order: compute Argo CD's sync wave for every object.
 *
 * Components are layered by the longest path through their `dependsOn`
 * graph, so a workload is in a strictly later wave than everything it depends
 * on (Argo CD waits for a wave to be healthy before the next). Under the graph
 * lies a fixed baseline: foundation (namespace, quotas, RBAC, config, the
 * secret store), secrets, the workloads, then scaling, edge, observability and settle. Waves are
 * only added where Argo CD's own kind order is not enough: the foundation
 * gets a wave of its own only when it holds custom resources (an
 * ExternalSecret sorts after every Deployment in its wave, and its Secret only
 * exists once it has synced), and empty bands take no wave.
 */
import type { BuiltTarget } from "./model/target.ts";
import type { Band, RenderedObject } from "./model/object.ts";
import { isKnownKind } from "./sync/apply-order.ts";
import { installsCrd, isCustomResource } from "./sync/hazards.ts";
import { addSyncOption } from "./sync/sync-options.ts";
import type { WavePlan } from "./model/target.ts";
import { layerComponents } from "./graph/dependency.ts";
import { syncGraph } from "./graph/sync-graph.ts";
import { SKIP_DRY_RUN_OPTION, WAVE_ANNOTATION } from "./sync/annotations.ts";

/** Computes the wave of every band and component of a target. */
export function planWaves(built: BuiltTarget): WavePlan {
  const { target, objects } = built;
  const levels = layerComponents(syncGraph(target), { file: target.sources[0], target: target.id });
  const separateFoundation = objects.some((o) => o.band === "foundation" && !isKnownKind(o.object.kind));
  // ExternalSecrets read the platform's SecretStore: a wave of their own after the store's, or the first one
  // reconciled before the store exists reports Degraded, and a Degraded object fails the sync.
  const secrets = objects.some((o) => o.band === "secrets") ? (separateFoundation ? 1 : 0) : undefined;
  const first = secrets !== undefined ? secrets + 1 : separateFoundation ? 1 : 0;
  const components: Record<string, number> = {};
  for (const [name, lvl] of levels) components[name] = first + lvl;
  const lastWorkload = Math.max(first, ...Object.values(components));
  const bands: Partial<Record<Band, number>> = { foundation: separateFoundation ? 0 : first, secrets, workload: first };
  let next = lastWorkload + 1;
  for (const band of ["scaling", "edge", "observability", "settle"] as const) {
    if (objects.some((o) => o.band === band)) bands[band] = next++;
  }
  return { bands, components };
}

function waveOf(o: RenderedObject, plan: WavePlan): number {
  if (
    (o.band === "workload" || o.band === "hook") &&
    o.component !== undefined &&
    plan.components[o.component] !== undefined
  )
    return plan.components[o.component];
  if (o.band === "hook") return 0;
  return plan.bands[o.band] ?? 0;
}

/**
 * Phase 4 entry point: annotates every object with its wave, and every custom
 * resource whose CRD this Application does not install with
 * `SkipDryRunOnMissingResource=true`. Returns new objects; the input is not changed.
 */
export function order(built: BuiltTarget): BuiltTarget & { waves: WavePlan } {
  const plan = planWaves(built);
  const all = built.objects.map((o) => o.object);
  const objects = built.objects.map((o) => {
    const annotations: Record<string, string> = {
      ...(o.object.metadata.annotations ?? {}),
      [WAVE_ANNOTATION]: String(waveOf(o, plan)),
    };
    if (isCustomResource(o.object) && !installsCrd(all, o.object))
      addSyncOption(o.object, annotations, SKIP_DRY_RUN_OPTION);
    return { ...o, object: { ...o.object, metadata: { ...o.object.metadata, annotations } } };
  });
  return { target: built.target, objects, waves: plan };
}
