import type { Rule } from "../context.ts";
import { findObject } from "../../kube/selectors.ts";

/**
 * Each VerticalPodAutoscaler targets a rendered workload (and, like an HPA, does not fight one on the same resources).
 */
export const vpaTargetsRule: Rule = {
  name: "vpa-targets",
  description: "VerticalPodAutoscalers target a rendered workload",
  check(ctx, report) {
    for (const o of ctx.objects) {
      if (o.object.kind !== "VerticalPodAutoscaler" || !o.object.apiVersion.startsWith("autoscaling.k8s.io/")) continue;
      const ref = (o.object.spec as any)?.targetRef;
      const target = findObject(ctx.objects, ref?.kind, ref?.name);
      if (!target) {
        report(o, {
          pointer: "/spec/targetRef",
          message: `targets ${ref?.kind}/${ref?.name}, which this Application does not render`,
          fix: "point the VPA at a rendered workload",
        });
        continue;
      }
      const mode = (o.object.spec as any)?.updatePolicy?.updateMode;
      const hpa = ctx.objects.find(
        (h) =>
          h.object.kind === "HorizontalPodAutoscaler" &&
          (h.object.spec as any)?.scaleTargetRef?.name === ref.name &&
          ((h.object.spec as any)?.metrics ?? []).some((m: any) => m.type === "Resource"),
      );
      if (hpa && mode !== "Off" && mode !== "Initial") {
        report(o, {
          pointer: "/spec/updatePolicy/updateMode",
          message: `updates ${ref.kind}/${ref.name} while HorizontalPodAutoscaler/${hpa.object.metadata.name} scales it on CPU or memory; the two would fight`,
          fix: "set updateMode: Off (recommendations only) or scale the HPA on other metrics",
          severity: "warning",
        });
      }
    }
  },
};
