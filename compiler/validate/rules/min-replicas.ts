import type { RenderedObject } from "../../model/object.ts";
import { hpaSpec, pdbSpec, scalerOf, workloadSpec } from "../../kube/specs.ts";
import type { Rule } from "../context.ts";
import { selectorMatches } from "../../kube/selectors.ts";

const REPLICATED = new Set(["Deployment", "StatefulSet"]);

/** The fewest pods a workload runs: its HPA's minimum when one scales it, else `spec.replicas` (default 1). */
function minPods(w: RenderedObject, objects: RenderedObject[]): { pods: number; hpa?: RenderedObject } {
  const hpa = scalerOf(w, objects);
  return hpa ? { pods: hpaSpec(hpa.object)?.minReplicas ?? 1, hpa } : { pods: workloadSpec(w.object)?.replicas ?? 1 };
}

/**
 * Every component runs at least two pods across its workloads (a store's single
 * primary counts with its replicas), and every workload of two or more pods has
 * a PodDisruptionBudget (whether it allows a drain is pdb-allows-drain's to say).
 */
export const minReplicasRule: Rule = {
  name: "min-replicas",
  description: "components run at least 2 pods and replicated workloads have a PodDisruptionBudget",
  check(ctx, report) {
    const workloads = ctx.objects.filter((o) => REPLICATED.has(o.object.kind));
    const groups = new Map<string, RenderedObject[]>();
    for (const w of workloads) {
      const key = w.component ?? `${w.object.kind}/${w.object.metadata.name}`;
      groups.set(key, [...(groups.get(key) ?? []), w]);
    }
    for (const group of groups.values()) {
      const total = group.reduce((n, w) => n + minPods(w, ctx.objects).pods, 0);
      if (total < 2) {
        const { hpa } = minPods(group[0], ctx.objects);
        report(
          group[0],
          hpa
            ? {
                pointer: "/spec/replicas",
                message: `HorizontalPodAutoscaler/${hpa.object.metadata.name} lets it scale down to ${total} pod; one node failure takes it down`,
                fix: "set autoscale.min to 2 or more",
              }
            : {
                pointer: "/spec/replicas",
                message: `runs ${total} pod; one node failure takes it down`,
                fix: "set replicas to 2 or more",
              },
        );
      }
    }
    for (const w of workloads) {
      if (minPods(w, ctx.objects).pods < 2) continue;
      const labels = workloadSpec(w.object)?.template?.metadata?.labels;
      const covered = ctx.objects.some(
        (p) =>
          p.object.kind === "PodDisruptionBudget" &&
          pdbSpec(p.object)?.selector !== undefined &&
          selectorMatches(pdbSpec(p.object)?.selector, labels),
      );
      if (!covered)
        report(w, {
          pointer: "/spec/template/metadata/labels",
          message: "no PodDisruptionBudget covers its pods, so a drain may evict them all at once",
          fix: "turn disruption budgets on for the environment, or set disruption on the component",
        });
    }
  },
};
