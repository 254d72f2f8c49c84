/**
 * One pass of an object's schema: what is wrong with it and which of its fields the schema does not know. One
 * kubernetes-models validator run gives both (schema-run.ts), so the `schema` and `unknown-fields` rules share one
 * run per object content instead of running the validator twice.
 */
import type { KubeObject } from "../model/object.ts";
import type { Reporter } from "./context.ts";
import { byContent } from "./content-memo.ts";
import { isSchemaValidator } from "./known-fields.ts";
import { MODELS, STRUCTURAL_CHECKS } from "./models.ts";
import { checkExternalSecret } from "./rules/external-secret-shape.ts";
import { schemaRun } from "./schema-run.ts";

/** A schema finding, before it is tied to a target and an object. */
export type SchemaProblem = Pick<Parameters<Reporter>[1], "pointer" | "message" | "fix" | "code">;

/** What an object's schema says of it. */
export interface SchemaAnalysis {
  /** What its schema (and, for an ExternalSecret or a hand-checked kind, its shape check) finds wrong. */
  problems: SchemaProblem[];
  /** The fields its schema does not know (outermost only), or undefined when no schema validator knows its kind. */
  unknown?: string[];
}

type ValidationErrors = { instancePath: string; message?: string; params?: Record<string, unknown> }[];

/** The problems a model's validator threw: one per schema error, or the error's message when it has none. */
function thrownProblems(thrown: unknown): SchemaProblem[] {
  const errors = (thrown as { errors?: ValidationErrors }).errors;
  if (!errors) return [{ pointer: "", message: (thrown as Error).message, fix: "correct the object" }];
  return errors.map((err) => ({
    pointer: err.instancePath,
    message: `${err.message ?? "is invalid"}${
      err.params && "allowedValues" in err.params ? ` (${(err.params.allowedValues as unknown[]).join(", ")})` : ""
    }`,
    fix: "set the field to a value its schema accepts",
  }));
}

function analyse(object: KubeObject): SchemaAnalysis {
  const problems: SchemaProblem[] = [];
  const { apiVersion, kind } = object;
  const key = `${apiVersion}/${kind}`;
  if (key === "external-secrets.io/v1/ExternalSecret")
    for (const p of checkExternalSecret(object))
      problems.push({ pointer: p.pointer, message: p.message, fix: "correct the ExternalSecret field" });
  const Model = MODELS[key];
  const schema = Model && isSchemaValidator(Model) ? Model : undefined;
  const structural = STRUCTURAL_CHECKS[key];
  if (structural) {
    for (const p of structural(object))
      problems.push({ pointer: p.pointer, message: p.message, fix: `correct the ${kind} field` });
    return { problems, unknown: schema ? schemaRun(schema, object).unknown : undefined };
  }
  if (!Model) {
    problems.push({
      pointer: "/apiVersion",
      message: `no schema is known for ${key}`,
      fix: "use a supported apiVersion and kind, or register a model for it",
      code: "no-schema",
    });
    return { problems };
  }
  if (schema) {
    const run = schemaRun(schema, object);
    if (run.thrown !== undefined) problems.push(...thrownProblems(run.thrown));
    return { problems, unknown: run.unknown };
  }
  try {
    new Model(object).validate();
  } catch (e) {
    problems.push(...thrownProblems(e));
  }
  return { problems };
}

/**
 * What `object`'s schema says of it. An object of the same content as one analysed before (the same object in
 * another region) is not analysed again.
 */
export function schemaAnalysis(object: KubeObject): SchemaAnalysis {
  return byContent("schema", object, () => analyse(object));
}
