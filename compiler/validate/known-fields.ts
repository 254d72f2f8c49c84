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

/** What the validator did with one object or array of the recorded value. */
export interface Reads {
  /** The keys it looked up or tested. */
  keys: Set<string>;
  /** Whether it enumerated the keys. */
  enumerated: boolean;
  value: Record<string, unknown> | unknown[];
  /** Where the value sits: its parent's reads and its key there (undefined for the object itself). */
  parent?: Reads;
  key: string;
}

/** The JSON pointer of a recorded value, worked out only for the few that have unknown fields. */
function pointerOf(rec: Reads): string {
  return rec.parent ? `${pointerOf(rec.parent)}/${escapeKey(rec.key)}` : "";
}

/** The proxy handler of one recorded value: every key looked up or tested is noted, and so is an enumeration. */
class Recorder implements ProxyHandler<object> {
  constructor(private readonly rec: Reads) {}
  get(t: object, k: string | symbol, r: unknown): unknown {
    if (typeof k === "string") this.rec.keys.add(k);
    return Reflect.get(t, k, r);
  }
  has(t: object, k: string | symbol): boolean {
    if (typeof k === "string") this.rec.keys.add(k);
    return Reflect.has(t, k);
  }
  ownKeys(t: object): ArrayLike<string | symbol> {
    this.rec.enumerated = true;
    return Reflect.ownKeys(t);
  }
}

function recording(value: unknown, parent: Reads | undefined, key: string, reads: Reads[], proto?: object): unknown {
  if (value === null || typeof value !== "object") return value;
  const rec: Reads = { keys: new Set(), enumerated: false, value: value as Reads["value"], parent, key };
  reads.push(rec);
  let copy: object;
  if (Array.isArray(value)) copy = value.map((v, i) => recording(v, rec, String(i), reads));
  else {
    // keys set to undefined are left out, as a model's constructor leaves them out
    const fields: Record<string, unknown> = {};
    for (const k in value) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) fields[k] = recording(v, rec, k, reads);
    }
    copy = fields;
  }
  if (proto) Object.setPrototypeOf(copy, proto); // models that find their schema id on the instance
  return new Proxy(copy, new Recorder(rec));
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

/** What one recorded run of a model's schema validator did: what it threw, and its reads, parents first. */
export interface RecordedRun {
  thrown?: unknown;
  reads: Reads[];
}

/**
 * Runs `model`'s schema validator (isSchemaValidator) once over a recording view of `object`: what it threw (as
 * `new model(object).validate()` would throw it) and what it read at every object and array of `object`.
 */
export function recordSchema(model: { prototype: { validate(): void } }, object: unknown): RecordedRun {
  const reads: Reads[] = [];
  const view = recording(object, undefined, "", reads, model.prototype);
  try {
    model.prototype.validate.call(view);
  } catch (thrown) {
    return { thrown, reads };
  }
  return { reads };
}

/** The fields a recorded run did not look up (not in an open map nor in a free-form object), outermost, sorted. */
export function unreadFields(reads: Reads[]): string[] {
  const unknown: string[] = [];
  for (const rec of reads) {
    if (Array.isArray(rec.value) || rec.enumerated || rec.keys.size === 0) continue;
    for (const key in rec.value)
      if (!rec.keys.has(key) && (rec.value as Record<string, unknown>)[key] !== undefined)
        unknown.push(`${pointerOf(rec)}/${escapeKey(key)}`);
  }
  return unknown.sort();
}

/**
 * Runs `model`'s schema validator (isSchemaValidator) once over a recording view of `object`: its verdict (what
 * it threw, as `new model(object).validate()` would throw it) and, from its lookups, the fields it does not know.
 */
export function runSchema(model: { prototype: { validate(): void } }, object: unknown): SchemaRun {
  const { thrown, reads } = recordSchema(model, object);
  const unknown = unreadFields(reads);
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
