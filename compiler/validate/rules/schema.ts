import type { KubeObject } from "../../model/object.ts";
import type { Reporter, Rule } from "../context.ts";
import { byContent } from "../content-memo.ts";
import { MODELS, STRUCTURAL_CHECKS } from "../models.ts";
import { checkExternalSecret } from "./external-secret-shape.ts";

type Problem = Pick<Parameters<Reporter>[1], "pointer" | "message" | "fix" | "code">;

/** What the object's schema (and, for an ExternalSecret, its shape check) finds wrong with it. */
function schemaProblems(object: KubeObject): Problem[] {
  const problems: Problem[] = [];
  const { apiVersion, kind } = object;
  const key = `${apiVersion}/${kind}`;
  if (key === "external-secrets.io/v1/ExternalSecret")
    for (const p of checkExternalSecret(object))
      problems.push({ pointer: p.pointer, message: p.message, fix: "correct the ExternalSecret field" });
  const structural = STRUCTURAL_CHECKS[key];
  if (structural) {
    for (const p of structural(object))
      problems.push({ pointer: p.pointer, message: p.message, fix: `correct the ${kind} field` });
    return problems;
  }
  const Model = MODELS[key];
  if (!Model) {
    problems.push({
      pointer: "/apiVersion",
      message: `no schema is known for ${key}`,
      fix: "use a supported apiVersion and kind, or register a model for it",
      code: "no-schema",
    });
    return problems;
  }
  try {
    new Model(object).validate();
  } catch (e) {
    const errors = (e as { errors?: { instancePath: string; message?: string; params?: Record<string, unknown> }[] })
      .errors;
    if (!errors) {
      problems.push({ pointer: "", message: (e as Error).message, fix: "correct the object" });
      return problems;
    }
    for (const err of errors) {
      const extra =
        err.params && "allowedValues" in err.params ? ` (${(err.params.allowedValues as unknown[]).join(", ")})` : "";
      problems.push({
        pointer: err.instancePath,
        message: `${err.message ?? "is invalid"}${extra}`,
        fix: "set the field to a value its schema accepts",
      });
    }
  }
  return problems;
}

/**
 * Every object passes its kubernetes-models schema (an ExternalSecret also what its schema leaves open). An object
 * of the same content as one checked before (the same object in another region) is not checked again.
 */
export const schemaRule: Rule = {
  name: "schema",
  description: "objects match their Kubernetes or custom-resource schema",
  check(ctx, report) {
    for (const o of ctx.objects)
      for (const p of byContent("schema", o.object, () => schemaProblems(o.object))) report(o, { ...p });
  },
};
