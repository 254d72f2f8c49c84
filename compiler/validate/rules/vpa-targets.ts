import type { Rule } from "../context.ts";
import { looseSpec } from "../../kube/loose.ts";
import { hpaSpec } from "../../kube/specs.ts";
import type { VerticalPodAutoscaler } from "../../kube/vpa.ts";
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
      const vpa = looseSpec<VerticalPodAutoscaler["spec"]>(o.object);
      const ref = vpa?.targetRef;
      const target = findObject(ctx.objects, ref?.kind, ref?.name);
      if (!target) {
        report(o, {
          pointer: "/spec/targetRef",
          message: `targets ${ref?.kind}/${ref?.name}, which this Application does not render`,
          fix: "point the VPA at a rendered workload",
        });
        continue;
      }
      const mode: string | undefined = vpa?.updatePolicy?.updateMode;
      const hpa = ctx.objects.find(
        (h) =>
          h.object.kind === "HorizontalPodAutoscaler" &&
          hpaSpec(h.object)?.scaleTargetRef?.name === ref?.name &&
          (hpaSpec(h.object)?.metrics ?? []).some((m) => m.type === "Resource"),
      );
      if (hpa && mode !== "Off" && mode !== "Initial") {
        report(o, {
          pointer: "/spec/updatePolicy/updateMode",
          message: `updates ${ref?.kind}/${ref?.name} while HorizontalPodAutoscaler/${hpa.object.metadata.name} scales it on CPU or memory; the two would fight`,
          fix: "set updateMode: Off (recommendations only) or scale the HPA on other metrics",
          severity: "warning",
        });
      }
    }
  },
};
