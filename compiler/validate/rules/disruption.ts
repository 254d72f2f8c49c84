import type { Rule } from "../context.ts";
import { hpaSpec, pdbSpec, workloadSpec } from "../../kube/specs.ts";

function matches(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

/** Each PodDisruptionBudget selects a workload and still allows one pod to be evicted, so nodes can drain. */
export const disruptionRule: Rule = {
  name: "pdb-allows-drain",
  description: "PodDisruptionBudgets select a workload and allow at least one disruption",
  check(ctx, report) {
    for (const o of ctx.objects) {
      if (o.object.kind !== "PodDisruptionBudget") continue;
      const spec = pdbSpec(o.object) ?? {};
      const selector = spec?.selector?.matchLabels ?? {};
      const workloads = ctx.objects.filter(
        (w) =>
          ["Deployment", "StatefulSet"].includes(w.object.kind) &&
          matches(selector, workloadSpec(w.object)?.template?.metadata?.labels),
      );
      if (workloads.length === 0) {
        report(o, {
          pointer: "/spec/selector",
          message: "selects no workload",
          fix: "match the labels of a rendered Deployment or StatefulSet",
        });
        continue;
      }
      let minPods = 0;
      for (const w of workloads) {
        const hpa = ctx.objects.find(
          (h) =>
            h.object.kind === "HorizontalPodAutoscaler" &&
            hpaSpec(h.object)?.scaleTargetRef?.name === w.object.metadata.name,
        );
        minPods += hpa ? (hpaSpec(hpa.object)?.minReplicas ?? 1) : (workloadSpec(w.object)?.replicas ?? 1);
      }
      if (typeof spec.minAvailable === "number" && spec.minAvailable >= minPods) {
        report(o, {
          pointer: "/spec/minAvailable",
          message: `minAvailable ${spec.minAvailable} with ${minPods} replica(s) blocks every node drain`,
          fix: "lower minAvailable below the replica count, or use maxUnavailable: 1",
        });
      }
      if (spec.maxUnavailable === 0)
        report(o, {
          pointer: "/spec/maxUnavailable",
          message: "maxUnavailable 0 blocks every node drain",
          fix: "use maxUnavailable: 1",
        });
    }
  },
};
