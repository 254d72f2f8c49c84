import type { Rule } from "../context.ts";
import { containersOf } from "../../kube/pods.ts";

/**
 * Every container sets CPU and memory requests and limits, so the scheduler places it and a leak cannot starve its
 * node.
 */
export const requestsLimitsRule: Rule = {
  name: "requests-limits",
  description: "containers set cpu and memory requests and limits",
  check(ctx, report) {
    for (const o of ctx.objects) {
      for (const { container, pointer } of containersOf(o.object)) {
        for (const kind of ["requests", "limits"] as const) {
          const missing = ["cpu", "memory"].filter((r) => container.resources?.[kind]?.[r] === undefined);
          if (missing.length)
            report(o, {
              pointer: `${pointer}/resources/${kind}`,
              message: `container ${container.name} sets no ${missing.join(" or ")} ${kind}`,
              fix: `set resources.${kind}.${missing.join(" and ")} on the component`,
            });
        }
      }
    }
  },
};
