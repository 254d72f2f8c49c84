import type { RenderedObject } from "../../model/object.ts";
import type { Rule } from "../context.ts";
import { scalerOf } from "../../kube/specs.ts";
import { selectorMatches, type LabelSelector } from "../../kube/selectors.ts";
import { list, num, obj, objects, str, type JsonObject } from "../../kube/loose.ts";

const ZONE = "topology.kubernetes.io/zone";
const HOST = "kubernetes.io/hostname";

/** The smallest number of pods a workload runs: its HPA's minimum when one scales it, else its replicas. */
function minimumPods(o: RenderedObject, all: RenderedObject[]): number {
  const hpa = scalerOf(o, all);
  return (hpa ? num(obj(hpa.object.spec).minReplicas) : num(obj(o.object.spec).replicas)) ?? 1;
}

/** Whether a term's label selector selects these labels (a selector of the wrong shape selects nothing). */
function selects(term: JsonObject, labels: Record<string, string>): boolean {
  const selector = obj(term.labelSelector);
  if (
    Object.keys(selector).length === 0 ||
    (selector.matchExpressions !== undefined && !Array.isArray(selector.matchExpressions))
  )
    return false;
  return selectorMatches(
    {
      matchLabels: obj(selector.matchLabels) as Record<string, string>,
      matchExpressions: objects(selector.matchExpressions).map(([e]) => ({
        ...e,
        values: list(e.values),
      })) as LabelSelector["matchExpressions"],
    },
    labels,
  );
}

/** The topology keys a pod spec spreads its own pods over (spread constraints or pod anti-affinity). */
function spreadKeys(spec: JsonObject, labels: Record<string, string>): Set<string> {
  const anti = obj(obj(spec.affinity).podAntiAffinity);
  const terms = [
    ...objects(spec.topologySpreadConstraints).map(([t]) => t),
    ...objects(anti.requiredDuringSchedulingIgnoredDuringExecution).map(([t]) => t),
    ...objects(anti.preferredDuringSchedulingIgnoredDuringExecution).map(([p]) => obj(p.podAffinityTerm)),
  ];
  return new Set(terms.filter((t) => selects(t, labels)).map((t) => str(t.topologyKey) ?? ""));
}

/**
 * Spread: a replicated workload (two or more pods, or an HPA minimum of two or more) spreads its pods across zones
 * and nodes (topology spread constraints or pod anti-affinity over its own pods), so one failure cannot take all.
 */
export const spreadRule: Rule = {
  name: "spread",
  description: "replicated workloads spread their pods across zones and nodes",
  check(ctx, report) {
    for (const o of ctx.objects) {
      if (o.object.kind !== "Deployment" && o.object.kind !== "StatefulSet") continue;
      const template = obj(obj(o.object.spec).template);
      const pods = minimumPods(o, ctx.objects);
      if (pods < 2) continue;
      const labels = obj(obj(template.metadata).labels) as Record<string, string>;
      const keys = spreadKeys(obj(template.spec), labels);
      const missing = [ZONE, HOST].filter((k) => !keys.has(k));
      if (missing.length)
        report(o, {
          pointer: "/spec/template/spec/topologySpreadConstraints",
          message: `runs at least ${pods} pods but does not spread them over ${missing.join(" and ")}; one failure can take them all`,
          fix: "add topology spread constraints (or pod anti-affinity) on its own pods for zones and nodes",
        });
    }
  },
};
