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
 *
 * Custom resources without a model class (ExternalSecret `external-secrets.io/v1`)
 * declare their fields as a tree, checked in the tests against the upstream CRD schema.
 */
import { escapeKey } from "../kube/pointer.ts";
import { MODELS } from "./models.ts";

/**
 * A field tree: `true` for a scalar or free-form value, a nested tree for an object, a one-element array for a list of
 * them, `"map"` for an open map.
 */
export type FieldTree = { [field: string]: FieldNode };
export type FieldNode = true | "map" | FieldTree | [FieldNode];

const META: FieldNode = true; // metadata is checked by the model-less kinds' shape checks and by the labels rule

/** Field trees of custom resources that have no model class. */
export const FIELD_TREES: Record<string, FieldTree> = {
  "external-secrets.io/v1/ExternalSecret": {
    apiVersion: true,
    kind: true,
    metadata: META,
    spec: {
      data: [
        {
          secretKey: true,
          remoteRef: {
            key: true,
            property: true,
            version: true,
            metadataPolicy: true,
            conversionStrategy: true,
            decodingStrategy: true,
            nullBytePolicy: true,
          },
          sourceRef: true,
        },
      ],
      dataFrom: true,
      refreshInterval: true,
      refreshPolicy: true,
      secretStoreRef: { name: true, kind: true },
      target: {
        name: true,
        creationPolicy: true,
        deletionPolicy: true,
        immutable: true,
        template: true,
        manifest: true,
      },
    },
    status: true,
  },
};

/** Registers the field tree of a custom resource without a model class. */
export function registerFieldTree(apiVersion: string, kind: string, tree: FieldTree): void {
  FIELD_TREES[`${apiVersion}/${kind}`] = tree;
}

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
 * nothing about the rest: register a field tree for such kinds instead.
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

function unknownByTree(node: FieldNode, value: unknown, pointer: string, out: string[]): void {
  if (node === true || node === "map" || value === null || typeof value !== "object") return;
  if (Array.isArray(node)) {
    if (Array.isArray(value)) value.forEach((v, i) => unknownByTree(node[0], v, `${pointer}/${i}`, out));
    return;
  }
  if (Array.isArray(value)) return;
  for (const [key, v] of Object.entries(value)) {
    const at = `${pointer}/${escapeKey(key)}`;
    if (!Object.prototype.hasOwnProperty.call(node, key)) out.push(at);
    else unknownByTree(node[key], v, at, out);
  }
}

/**
 * JSON pointers of the fields of `object` its schema does not know, outermost
 * only (the fields below an unknown field are not listed). Undefined when no
 * schema is known for its apiVersion and kind.
 */
export function unknownFields(object: { apiVersion: string; kind: string }): string[] | undefined {
  const key = `${object.apiVersion}/${object.kind}`;
  const tree = FIELD_TREES[key];
  if (tree) {
    const out: string[] = [];
    unknownByTree(tree, object, "", out);
    return out;
  }
  const model = MODELS[key] as unknown as { prototype: { validate(): void } } | undefined;
  return model && isSchemaValidator(model) ? unknownByModel(model, object) : undefined;
}
