import type { Rule } from "../context.ts";
import { hpaSpec, workloadSpec } from "../../kube/specs.ts";

/**
 * An HPA's range is sane, its target exists, and the target sets no `spec.replicas` (Argo CD and the HPA would fight).
 */
export const hpaRule: Rule = {
  name: "hpa",
  description: "HPA min <= max, the target exists and sets no spec.replicas",
  check(ctx, report) {
    for (const o of ctx.objects) {
      if (o.object.kind !== "HorizontalPodAutoscaler") continue;
      const spec = hpaSpec(o.object);
      if (spec?.minReplicas !== undefined && spec.minReplicas > (spec.maxReplicas ?? Infinity)) {
        report(o, {
          pointer: "/spec/minReplicas",
          message: `minReplicas (${spec.minReplicas}) is above maxReplicas (${spec.maxReplicas})`,
          fix: "lower autoscale.min or raise autoscale.max",
        });
      }
      const ref = spec?.scaleTargetRef;
      const workload = ctx.objects.find((w) => w.object.kind === ref?.kind && w.object.metadata.name === ref?.name);
      if (!workload) {
        report(o, {
          pointer: "/spec/scaleTargetRef",
          message: `targets ${ref?.kind}/${ref?.name}, which is not rendered`,
          fix: "point the HPA at a rendered workload",
        });
        continue;
      }
      if (workloadSpec(workload.object)?.replicas !== undefined) {
        report(workload, {
          pointer: "/spec/replicas",
          message: `sets spec.replicas while HorizontalPodAutoscaler/${o.object.metadata.name} scales it; Argo CD and the HPA would fight`,
          fix: "remove spec.replicas (patches included) from a workload under an HPA",
        });
      }
      const containers = workloadSpec(workload.object)?.template?.spec?.containers ?? [];
      for (const metric of spec?.metrics ?? []) {
        if (metric.type !== "Resource") continue;
        const resource = metric.resource?.name;
        containers.forEach((c, i) => {
          if (resource === undefined || !c.resources?.requests?.[resource]) {
            report(o, {
              pointer: "/spec/metrics",
              message: `scales on ${resource} utilisation but container ${c.name} of ${workload.object.kind}/${workload.object.metadata.name} requests no ${resource}`,
              fix: `set resources.requests.${resource}`,
            });
            void i;
          }
        });
      }
    }
  },
};
