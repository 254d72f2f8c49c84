import type { Rule } from "../context.ts";
import { serviceSpec } from "../../kube/specs.ts";
import { containerPortNames, mapMatches, podTemplates } from "../../kube/selectors.ts";

/**
 * Every Service with a selector selects a pod template of the target, and its named target ports exist on those pods.
 */
export const serviceSelectorsRule: Rule = {
  name: "service-selectors",
  description: "Service selectors match a pod template and its named ports",
  check(ctx, report) {
    const pods = podTemplates(ctx.objects);
    for (const o of ctx.objects) {
      if (o.object.kind !== "Service") continue;
      const spec = serviceSpec(o.object);
      const selector = spec?.selector;
      if (!spec || !selector || Object.keys(selector).length === 0 || spec.type === "ExternalName") continue;
      const matched = pods.filter((p) => mapMatches(selector, p.labels));
      if (matched.length === 0) {
        report(o, {
          pointer: "/spec/selector",
          message: `selects no pod template (${Object.entries(selector)
            .map(([k, v]) => `${k}=${v}`)
            .join(", ")})`,
          fix: "match the labels of a rendered workload's pod template",
        });
        continue;
      }
      (spec.ports ?? []).forEach((p, i) => {
        const targetPort = p.targetPort;
        if (typeof targetPort !== "string") return;
        const owners = matched.filter((m) => !containerPortNames(m.spec).has(targetPort));
        for (const m of owners) {
          report(o, {
            pointer: `/spec/ports/${i}/targetPort`,
            message: `targets port "${p.targetPort}", which ${m.owner.object.kind}/${m.owner.object.metadata.name} does not name`,
            fix: "name the container port or correct targetPort",
          });
        }
      });
    }
  },
};
