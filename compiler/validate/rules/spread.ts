import type { RenderedObject } from "../../model/object.ts";
import type { Rule } from "../context.ts";
import { selectorMatches, type LabelSelector } from "../../kube/selectors.ts";

const ZONE = "topology.kubernetes.io/zone";
const HOST = "kubernetes.io/hostname";

interface PodSpec {
  topologySpreadConstraints?: { topologyKey?: string; labelSelector?: LabelSelector }[];
  affinity?: {
    podAntiAffinity?: {
      requiredDuringSchedulingIgnoredDuringExecution?: { topologyKey?: string; labelSelector?: LabelSelector }[];
      preferredDuringSchedulingIgnoredDuringExecution?: {
        podAffinityTerm?: { topologyKey?: string; labelSelector?: LabelSelector };
      }[];
    };
  };
}

/** The smallest number of pods a workload runs: its HPA's minimum when one scales it, else its replicas. */
function minimumPods(o: RenderedObject, objects: RenderedObject[]): number {
  const hpa = objects.find((h) => {
    const ref = (h.object.spec as { scaleTargetRef?: { kind?: string; name?: string } } | undefined)?.scaleTargetRef;
    return (
      h.object.kind === "HorizontalPodAutoscaler" && ref?.kind === o.object.kind && ref?.name === o.object.metadata.name
    );
  });
  if (hpa) return (hpa.object.spec as { minReplicas?: number }).minReplicas ?? 1;
  return (o.object.spec as { replicas?: number }).replicas ?? 1;
}

/** The topology keys a pod spec spreads its own pods over (spread constraints or pod anti-affinity). */
function spreadKeys(spec: PodSpec, labels: Record<string, string>): Set<string> {
  const anti = spec.affinity?.podAntiAffinity;
  const terms = [
    ...(spec.topologySpreadConstraints ?? []),
    ...(anti?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
    ...(anti?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((p) => p.podAffinityTerm ?? {}),
  ];
  return new Set(
    terms.filter((t) => t.labelSelector && selectorMatches(t.labelSelector, labels)).map((t) => t.topologyKey ?? ""),
  );
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
      const template = (
        o.object.spec as { template?: { metadata?: { labels?: Record<string, string> }; spec?: PodSpec } }
      ).template;
      const pods = minimumPods(o, ctx.objects);
      if (pods < 2 || !template?.spec) continue;
      const keys = spreadKeys(template.spec, template.metadata?.labels ?? {});
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
