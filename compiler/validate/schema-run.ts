/**
 * A model's schema verdict and unknown fields for an object, as known-fields.ts `runSchema` gives them, mostly
 * without its recording view: the plain validator gives the verdict, and the paths learned from earlier recorded
 * runs of the same model (learned-fields.ts) show that the object has no unknown field. An object they cannot
 * vouch for (a path never seen, a field never read), or one that fails its schema, is run through the recording
 * view, and a passing run teaches its paths.
 */
import { type SchemaRun, recordSchema, runSchema, unreadFields } from "./known-fields.ts";
import { type LearnedPaths, allFieldsKnown, learnReads, learnedPaths } from "./learned-fields.ts";
import { exactJson } from "./content-memo.ts";

/** A model class with a schema validator (known-fields.ts `isSchemaValidator`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any model class, whatever data it types
export type SchemaModel = new (data: any) => { validate(): void };

const LEARNED = new WeakMap<SchemaModel, LearnedPaths>();

/** What this thread learned of `model`'s paths. */
function learnedOf(model: SchemaModel): LearnedPaths {
  let learned = LEARNED.get(model);
  if (!learned) LEARNED.set(model, (learned = learnedPaths()));
  return learned;
}

/**
 * `new model(object).validate()`, without the deep copy the model's constructor makes (a quarter of the schema
 * rule's time in a cold compile's profile) where the copy would change nothing: an object vouched for as plain data
 * with nothing JSON would lose (content-memo.ts `exactJson`: no key set to undefined, which the copy drops) is
 * validated as an instance of the model holding the object's own fields, as recordSchema validates its view. The
 * schema validators only read what they are given.
 */
function validateAsGiven(model: SchemaModel, object: object): void {
  if (!exactJson(object)) return void new model(object).validate();
  (model.prototype as { validate(): void }).validate.call(Object.assign(Object.create(model.prototype), object));
}

/**
 * Same as `runSchema(model, object)` (a model with a schema validator), mostly at the cost of the plain validator.
 * `learned` is what was learned of the model's paths (by default this thread's, kept per model).
 */
export function schemaRun(model: SchemaModel, object: object, learned = learnedOf(model)): SchemaRun {
  if (allFieldsKnown(learned, object)) {
    try {
      validateAsGiven(model, object);
      return { unknown: [] };
    } catch {
      // a failing run may stop reading early: its unknown fields are what the recording view says
      return runSchema(model, object);
    }
  }
  const { thrown, reads } = recordSchema(model, object);
  if (thrown !== undefined) return { thrown, unknown: unreadFields(reads) };
  learnReads(learned, reads);
  return { unknown: unreadFields(reads) };
}
