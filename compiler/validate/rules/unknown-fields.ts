import type { Rule } from "../context.ts";
import { schemaAnalysis } from "../schema-analysis.ts";

/**
 * No field the object's schema does not declare, at any depth (the API server's strict field validation would reject
 * it). The schema rule's run of the validator tells them (schema-analysis.ts).
 */
export const unknownFieldsRule: Rule = {
  name: "unknown-fields",
  description: "objects carry only fields their schema declares, at any depth",
  check(ctx, report) {
    for (const o of ctx.objects) {
      for (const pointer of schemaAnalysis(o.object).unknown ?? []) {
        const field = pointer
          .slice(pointer.lastIndexOf("/") + 1)
          .replace(/~1/g, "/")
          .replace(/~0/g, "~");
        report(o, {
          pointer,
          message: `unknown field "${field}"`,
          fix: "remove the field or correct its spelling (check the patch that adds it)",
        });
      }
    }
  },
};
