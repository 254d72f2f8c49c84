import type { Rule } from "../context.ts";
import { escapeKey } from "../../kube/pointer.ts";
import { WAIVER_PREFIX } from "../../describe/waivers.ts";

/** Rules no annotation may waive. */
export const UNWAIVABLE = new Set(["no-plaintext-secret", "waivers"]);

/** Each waiver annotation names a rule that exists and gives a reason (the reason is what a reviewer reads). */
export function waiversRule(ruleNames: () => string[]): Rule {
  return {
    name: "waivers",
    description: "waiver annotations name a known rule and give a reason",
    check(ctx, report) {
      const known = new Set(ruleNames());
      for (const o of ctx.objects) {
        for (const [key, value] of Object.entries(o.object.metadata.annotations ?? {})) {
          if (!key.startsWith(WAIVER_PREFIX)) continue;
          const rule = key.slice(WAIVER_PREFIX.length);
          const pointer = `/metadata/annotations/${escapeKey(key)}`;
          if (!known.has(rule))
            report(o, {
              pointer,
              message: `waives unknown rule "${rule}"; known: ${[...known].filter((r) => !UNWAIVABLE.has(r)).join(", ")}`,
              fix: "name a rule from 'manifold validate' output",
            });
          else if (UNWAIVABLE.has(rule))
            report(o, {
              pointer,
              message: `rule ${rule} cannot be waived`,
              fix: "fix the finding instead of waiving it",
            });
          if (typeof value !== "string" || value.trim() === "")
            report(o, {
              pointer,
              message: "a waiver must give its reason",
              fix: `write why, e.g. ${key}: "single-replica by design: leader election"`,
            });
        }
      }
    },
  };
}
