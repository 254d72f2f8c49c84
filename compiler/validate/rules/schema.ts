import type { Rule } from "../context.ts";
import { schemaAnalysis } from "../schema-analysis.ts";

/**
 * Every object passes its kubernetes-models schema (an ExternalSecret also what its schema leaves open). An object
 * of the same content as one checked before (the same object in another region) is not checked again.
 */
export const schemaRule: Rule = {
  name: "schema",
  description: "objects match their Kubernetes or custom-resource schema",
  check(ctx, report) {
    for (const o of ctx.objects) for (const p of schemaAnalysis(o.object).problems) report(o, { ...p });
  },
};
