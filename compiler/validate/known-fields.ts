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
  const copy: object = Array.isArray(value)
    ? value.map((v, i) => recording(v, `${pointer}/${i}`, reads))
    : Object.fromEntries(Object.entries(value).map(([k, v]) => [k, recording(v, `${pointer}/${escapeKey(k)}`, reads)]));
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

/**
 * Whether a model validates with a kubernetes-models schema (compiled, or
 * compiled at run time from a schema id), whose lookups mirror the schema's
 * fields. A hand-written check reads only some fields, so its reads say
 * nothing about the rest.
 */
function isSchemaValidator(model: { prototype: { validate(): void } }): boolean {
  return /runValidateFunc|SCHEMA_ID/.test(String(model.prototype.validate));
}

function unknownByModel(model: { prototype: { validate(): void } }, object: unknown): string[] {
  const reads = new Map<string, Reads>();
  const view = recording(object, "", reads, model.prototype);
  try {
    model.prototype.validate.call(view);
  } catch {
    // schema errors are the schema rule's to report; the reads still tell the known fields
  }
  const unknown: string[] = [];
  for (const [pointer, rec] of reads) {
    if (Array.isArray(rec.value) || rec.enumerated || rec.keys.size === 0) continue;
    for (const key of Object.keys(rec.value)) if (!rec.keys.has(key)) unknown.push(`${pointer}/${escapeKey(key)}`);
  }
  return unknown.sort();
}

/**
 * JSON pointers of the fields of `object` its schema does not know, outermost
 * only (the fields below an unknown field are not listed). Undefined when no
 * schema is known for its apiVersion and kind.
 */
export function unknownFields(object: { apiVersion: string; kind: string }): string[] | undefined {
  const model = MODELS[`${object.apiVersion}/${object.kind}`] as unknown as
    { prototype: { validate(): void } } | undefined;
  return model && isSchemaValidator(model) ? unknownByModel(model, object) : undefined;
}
