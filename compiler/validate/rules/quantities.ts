import type { Rule } from "../context.ts";
import { canonicalQuantity, isQuantity } from "../../quantity.ts";
import { containersOf } from "../../kube/pods.ts";

/** Resource quantities are in the API server's canonical form, so Argo CD does not loop OutOfSync. */
export const quantitiesRule: Rule = {
  name: "canonical-quantities",
  description: "resource quantities are valid and canonical",
  check(ctx, report) {
    for (const o of ctx.objects) {
      for (const { container, pointer } of containersOf(o.object)) {
        for (const side of ["requests", "limits"] as const) {
          for (const [res, value] of Object.entries(container.resources?.[side] ?? {})) {
            const at = `${pointer}/resources/${side}/${res}`;
            if (!isQuantity(value))
              report(o, {
                pointer: at,
                message: `"${value}" is not a quantity`,
                fix: "use a quantity such as 500m or 512Mi",
              });
            else if (canonicalQuantity(value as string) !== String(value)) {
              report(o, {
                pointer: at,
                message: `"${value}" is not canonical; the API server stores "${canonicalQuantity(value as string)}" and Argo CD would show OutOfSync forever`,
                fix: `write ${canonicalQuantity(value as string)}`,
              });
            }
          }
        }
      }
    }
  },
};
