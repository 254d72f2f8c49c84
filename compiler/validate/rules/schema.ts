import type { Rule } from "../context.ts";
import { MODELS, STRUCTURAL_CHECKS } from "../models.ts";
import { checkExternalSecret } from "./external-secret-shape.ts";

/** Every object passes its kubernetes-models schema (an ExternalSecret also what its schema leaves open). */
export const schemaRule: Rule = {
  name: "schema",
  description: "objects match their Kubernetes or custom-resource schema",
  check(ctx, report) {
    for (const o of ctx.objects) {
      const { apiVersion, kind } = o.object;
      const key = `${apiVersion}/${kind}`;
      if (key === "external-secrets.io/v1/ExternalSecret")
        for (const p of checkExternalSecret(o.object))
          report(o, { pointer: p.pointer, message: p.message, fix: "correct the ExternalSecret field" });
      const structural = STRUCTURAL_CHECKS[key];
      if (structural) {
        for (const p of structural(o.object))
          report(o, { pointer: p.pointer, message: p.message, fix: `correct the ${kind} field` });
        continue;
      }
      const Model = MODELS[key];
      if (!Model) {
        report(o, {
          pointer: "/apiVersion",
          message: `no schema is known for ${key}`,
          fix: "use a supported apiVersion and kind, or register a model for it",
          code: "no-schema",
        });
        continue;
      }
      try {
        new Model(o.object).validate();
      } catch (e) {
        const errors = (
          e as { errors?: { instancePath: string; message?: string; params?: Record<string, unknown> }[] }
        ).errors;
        if (!errors) {
          report(o, { pointer: "", message: (e as Error).message, fix: "correct the object" });
          continue;
        }
        for (const err of errors) {
          const extra =
            err.params && "allowedValues" in err.params
              ? ` (${(err.params.allowedValues as unknown[]).join(", ")})`
              : "";
          report(o, {
            pointer: err.instancePath,
            message: `${err.message ?? "is invalid"}${extra}`,
            fix: "set the field to a value its schema accepts",
          });
        }
      }
    }
  },
};
