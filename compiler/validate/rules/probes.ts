import type { Rule } from "../context.ts";
import { workloadSpec } from "../../kube/specs.ts";

const LONG_RUNNING = new Set(["Deployment", "StatefulSet", "DaemonSet"]);

/** Long-running containers have readiness and liveness probes, so traffic waits for them and a hung one restarts. */
export const probesRule: Rule = {
  name: "probes",
  description: "long-running containers have readiness and liveness probes",
  check(ctx, report) {
    for (const o of ctx.objects) {
      if (!LONG_RUNNING.has(o.object.kind)) continue;
      (workloadSpec(o.object)?.template?.spec?.containers ?? []).forEach((c, i) => {
        for (const probe of ["readinessProbe", "livenessProbe"] as const) {
          if (!c[probe])
            report(o, {
              pointer: `/spec/template/spec/containers/${i}/${probe}`,
              message: `container ${c.name} has no ${probe}`,
              fix: "set probes.readiness and probes.liveness on the component",
            });
        }
      });
    }
  },
};
