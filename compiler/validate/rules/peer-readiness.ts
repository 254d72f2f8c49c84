import type { Rule } from "../context.ts";
import { containersOf } from "../../kube/pods.ts";
import { storeEngineOf } from "../store-engine.ts";
import { num, obj, str } from "../../kube/loose.ts";

/** The HTTP path a probe asks, or undefined for other probes. */
function probePath(probe: unknown): string | undefined {
  const path = (probe as { httpGet?: { path?: unknown } } | undefined)?.httpGet?.path;
  return typeof path === "string" ? path : undefined;
}

/**
 * Readiness that can come: a StatefulSet whose members need their peers to become Ready (as its store engine
 * declares) starts them in parallel, and no liveness probe asks an endpoint whose answer depends on the peers.
 */
export const peerReadinessRule: Rule = {
  name: "peer-readiness",
  description: "clustered stores start members in parallel; liveness never probes a peer-dependent endpoint",
  check(ctx, report) {
    for (const o of ctx.objects) {
      if (o.object.kind !== "StatefulSet") continue;
      const engine = storeEngineOf(ctx.target, o);
      if (!engine) continue;
      const spec = obj(o.object.spec);
      const policy = str(spec.podManagementPolicy);
      if (engine.peersForReadiness && (num(spec.replicas) ?? 1) >= 2 && policy !== "Parallel")
        report(o, {
          pointer: "/spec/podManagementPolicy",
          message: `members become Ready only once their peers run, but pods start one by one (${policy ?? "OrderedReady"}); pod 0 never becomes Ready`,
          fix: "set podManagementPolicy: Parallel (declare peersForReadiness on the store engine)",
        });
      for (const { container, pointer } of containersOf(o.object)) {
        const path = probePath(container.livenessProbe);
        if (path !== undefined && (engine.peerDependentPaths ?? []).includes(path))
          report(o, {
            pointer: `${pointer}/livenessProbe/httpGet/path`,
            message: `liveness probes ${path}, which answers only while the peers are up; a restart cannot bring them back`,
            fix: "probe a local liveness endpoint (the engine's liveness probe), and keep the peer check for readiness",
          });
      }
    }
  },
};
