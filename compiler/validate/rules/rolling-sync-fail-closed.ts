import type { Rule } from "../context.ts";
import { obj, str } from "../../kube/loose.ts";

/**
 * RollingSync fails closed: a RollingSync ApplicationSet's template carries no enabled automated sync policy. The
 * ApplicationSet controller removes that policy and triggers each step's syncs only while it runs with progressive
 * syncs on (Argo CD 2.6 to 3.x, `syncValidApplications`); without the flag the policy applies as written, and every
 * region would sync and prune at once, ignoring the steps.
 */
export const rollingSyncFailClosedRule: Rule = {
  name: "rolling-sync-fail-closed",
  description: "a RollingSync ApplicationSet generates no Application with automated sync enabled",
  check(ctx, report) {
    for (const o of ctx.objects) {
      if (o.object.kind !== "ApplicationSet") continue;
      const spec = obj(o.object.spec);
      if (str(obj(spec.strategy).type) !== "RollingSync") continue;
      const automated = obj(obj(obj(spec.template).spec).syncPolicy).automated;
      if (automated === undefined || automated === null || obj(automated).enabled === false) continue;
      report(o, {
        pointer: "/spec/template/spec/syncPolicy/automated",
        message:
          "RollingSync generates Applications with automated sync on: until the ApplicationSet controller runs with progressive syncs, every region syncs and prunes at once",
        fix: "set automated.enabled: false (Argo CD 3.3 or later) or drop automated from the template; the rollout triggers the syncs",
      });
    }
  },
};
