import type { Rule } from "../context.ts";

const LONG_RUNNING = new Set(["Deployment", "StatefulSet", "DaemonSet"]);

/** Long-running containers have readiness and liveness probes, so traffic waits for them and a hung one restarts. */
export const probesRule: Rule = {
  name: "probes",
  description: "long-running containers have readiness and liveness probes",
  check(ctx, report) {
    for (const o of ctx.objects) {
      if (!LONG_RUNNING.has(o.object.kind)) continue;
      ((o.object.spec as any)?.template?.spec?.containers ?? []).forEach((c: any, i: number) => {
        for (const probe of ["readinessProbe", "livenessProbe"]) {
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
