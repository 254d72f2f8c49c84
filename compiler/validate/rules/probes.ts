import type { Rule } from "../context.ts";
import { workloadSpec } from "../../kube/specs.ts";
import { num } from "../../kube/loose.ts";
import { storeEngineOf } from "../store-engine.ts";

const LONG_RUNNING = new Set(["Deployment", "StatefulSet", "DaemonSet"]);

/** How long a probe lets a container fail before it acts, in seconds (Kubernetes' defaults where unset). */
function budgetSeconds(probe: { initialDelaySeconds?: number; periodSeconds?: number; failureThreshold?: number }) {
  return (probe.initialDelaySeconds ?? 0) + (probe.periodSeconds ?? 10) * (probe.failureThreshold ?? 3);
}

/**
 * Long-running containers have readiness and liveness probes, so traffic waits for them and a hung one restarts. The
 * members of a quorum store (an engine whose members wait for their peers: `peersForReadiness`) with a liveness probe
 * also have a startup probe as long as the engine's start may take, or liveness restarts them while the quorum forms.
 */
export const probesRule: Rule = {
  name: "probes",
  description: "long-running containers have readiness and liveness probes; quorum store members a startup probe",
  check(ctx, report) {
    for (const o of ctx.objects) {
      if (!LONG_RUNNING.has(o.object.kind)) continue;
      const engine = o.object.kind === "StatefulSet" ? storeEngineOf(ctx.target, o) : undefined;
      const quorum = engine?.peersForReadiness && (num(workloadSpec(o.object)?.replicas) ?? 1) >= 2;
      const component = o.component ? ctx.target.components[o.component] : undefined;
      (workloadSpec(o.object)?.template?.spec?.containers ?? []).forEach((c, i) => {
        for (const probe of ["readinessProbe", "livenessProbe"] as const) {
          if (!c[probe])
            report(o, {
              pointer: `/spec/template/spec/containers/${i}/${probe}`,
              message: `container ${c.name} has no ${probe}`,
              fix: "set probes.readiness and probes.liveness on the component",
            });
        }
        // The engine's own container (named after the engine), not its exporter sidecar.
        if (!quorum || !c.livenessProbe || component?.type !== "store" || c.name !== component.engine) return;
        const wanted = engine.startupSeconds ?? 0;
        const has = c.startupProbe ? budgetSeconds(c.startupProbe) : 0;
        if (!c.startupProbe || has < wanted)
          report(o, {
            pointer: `/spec/template/spec/containers/${i}/startupProbe`,
            message: c.startupProbe
              ? `container ${c.name} is a quorum store member whose start may take ${wanted}s, but its startupProbe allows ${has}s; liveness then restarts it while its peers form the quorum`
              : `container ${c.name} is a quorum store member with a livenessProbe but no startupProbe; liveness restarts it while it waits for its peers (${budgetSeconds(c.livenessProbe)}s)`,
            fix: "give the engine a startupSeconds budget (the store block renders a startupProbe from it), or patch one in",
          });
      });
    }
  },
};
