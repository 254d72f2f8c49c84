/**
 * Known fields of every object Manifold renders, at any depth.
 *
 * The kubernetes-models classes carry their JSON schemas compiled into
 * validator functions (the schema, its `$ref`s followed, as code). A field the
 * schema declares is one the validator looks up, so running the validator over
 * a recording view of the object tells, for each nested object, which fields
 * the schema knows. An object whose keys the validator enumerates is an open
 * map (labels, `additionalProperties`); one it never looks into is free-form
 * (`x-kubernetes-preserve-unknown-fields`, `{}`); neither has unknown fields.
 */
import { escapeKey } from "../kube/pointer.ts";
import { MODELS } from "./models.ts";

interface Reads {
  keys: Set<string>;
  enumerated: boolean;
  value: Record<string, unknown> | unknown[];
}

function recording(value: unknown, pointer: string, reads: Map<string, Reads>, proto?: object): unknown {
  if (value === null || typeof value !== "object") return value;
  let copy: object;
  if (Array.isArray(value)) copy = value.map((v, i) => recording(v, `${pointer}/${i}`, reads));
  else {
    // keys set to undefined are left out, as a model's constructor leaves them out
    const fields: Record<string, unknown> = {};
    for (const k in value) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) fields[k] = recording(v, `${pointer}/${escapeKey(k)}`, reads);
    }
    copy = fields;
  }
  if (proto) Object.setPrototypeOf(copy, proto); // models that find their schema id on the instance
  const rec: Reads = { keys: new Set(), enumerated: false, value: value as Reads["value"] };
  reads.set(pointer, rec);
  return new Proxy(copy, {
    get(t, k, r) {
      if (typeof k === "string") rec.keys.add(k);
      return Reflect.get(t, k, r);
    },
    has(t, k) {
      if (typeof k === "string") rec.keys.add(k);
      return Reflect.has(t, k);
    },
    ownKeys(t) {
      rec.enumerated = true;
      return Reflect.ownKeys(t);
    },
  });
}

const SCHEMA_VALIDATORS = new WeakMap<object, boolean>();

/**
 * Whether a model validates with a kubernetes-models schema (compiled, or
 * compiled at run time from a schema id), whose lookups mirror the schema's
 * fields. A hand-written check reads only some fields, so its reads say
 * nothing about the rest.
 */
export function isSchemaValidator(model: { prototype: { validate(): void } }): boolean {
  let known = SCHEMA_VALIDATORS.get(model);
  if (known === undefined)
    SCHEMA_VALIDATORS.set(model, (known = /runValidateFunc|SCHEMA_ID/.test(String(model.prototype.validate))));
  return known;
}

/** What one run of a model's schema validator tells: what it threw, and the fields it does not know. */
export interface SchemaRun {
  /** What the validator threw (undefined when the object passed). */
  thrown?: unknown;
  /** JSON pointers of the fields the schema does not know, outermost only, sorted. */
  unknown: string[];
}

/**
 * Runs `model`'s schema validator (isSchemaValidator) once over a recording view of `object`: its verdict (what
 * it threw, as `new model(object).validate()` would throw it) and, from its lookups, the fields it does not know.
 */
export function runSchema(model: { prototype: { validate(): void } }, object: unknown): SchemaRun {
  const reads = new Map<string, Reads>();
  const view = recording(object, "", reads, model.prototype);
  let thrown: unknown;
  try {
    model.prototype.validate.call(view);
  } catch (e) {
    thrown = e;
  }
  const unknown: string[] = [];
  for (const [pointer, rec] of reads) {
    if (Array.isArray(rec.value) || rec.enumerated || rec.keys.size === 0) continue;
    for (const key in rec.value)
      if (!rec.keys.has(key) && (rec.value as Record<string, unknown>)[key] !== undefined)
        unknown.push(`${pointer}/${escapeKey(key)}`);
  }
  unknown.sort();
  return thrown === undefined ? { unknown } : { thrown, unknown };
}

/**
 * JSON pointers of the fields of `object` its schema does not know, outermost
 * only (the fields below an unknown field are not listed). Undefined when no
 * schema is known for its apiVersion and kind.
 */
export function unknownFields(object: { apiVersion: string; kind: string }): string[] | undefined {
  const model = MODELS[`${object.apiVersion}/${object.kind}`] as unknown as
    { prototype: { validate(): void } } | undefined;
  return model && isSchemaValidator(model) ? runSchema(model, object).unknown : undefined;
}
