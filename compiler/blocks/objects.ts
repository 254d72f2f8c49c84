import { modelJson } from "../model-json.ts";
import type { KubeObject } from "../model/object.ts";

/**
 * What the build phase produces: plain Kubernetes objects, each tagged with
 * the component it belongs to and its band in the sync order.
 */

/** The objects `make` returned: plain data already, which `plain` takes as it is. */
const MADE = new WeakSet<object>();

/**
 * Turns a kubernetes-models instance (or any object) into plain JSON, dropping undefined fields. An object `make`
 * returned is plain JSON already and is returned as it is.
 */
export function plain<T>(model: T): KubeObject {
  if (typeof model === "object" && model !== null && MADE.has(model)) return model as unknown as KubeObject;
  return modelJson(model) as KubeObject;
}

/** A kubernetes-models class: its static apiVersion and kind, and the data its constructor types. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any model class, whatever data it types
type ModelClass = { apiVersion: string; kind: string; new (data?: any): object };

/** What `make` returns: the model's fields (not its methods) as a plain Kubernetes object. */
export type Made<C extends ModelClass> = KubeObject & Omit<InstanceType<C>, "validate" | "toJSON">;

/** Stands for "not plain data" while copying: the copy is then made the model's way. */
const NOT_PLAIN = Symbol("not plain data");

/**
 * A copy of `v` without its undefined object fields, or NOT_PLAIN when `v` holds anything but plain objects, arrays
 * (without holes or undefined items), strings, finite numbers, booleans and null, or a `__proto__` key.
 */
function plainCopy(v: unknown): unknown {
  if (typeof v !== "object" || v === null)
    return typeof v === "string" ||
      typeof v === "boolean" ||
      v === null ||
      (typeof v === "number" && Number.isFinite(v))
      ? v
      : NOT_PLAIN;
  if (Array.isArray(v)) {
    if (Object.getPrototypeOf(v) !== Array.prototype) return NOT_PLAIN;
    // pushed, not set by index into new Array(length): V8 keeps the array packed, which every later reader prefers
    const out: unknown[] = [];
    for (let i = 0; i < v.length; i++) {
      const item = plainCopy(v[i]);
      if (item === NOT_PLAIN) return NOT_PLAIN;
      out.push(item);
    }
    return out;
  }
  if (Object.getPrototypeOf(v) !== Object.prototype) return NOT_PLAIN;
  const record = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  // for-in: the own enumerable keys in Object.keys' order (make checks that Object.prototype has no enumerable
  // ones), about 40% faster than Object.keys on V8's baseline compiler, which the CLI runs on
  for (const key in record) {
    const value = record[key];
    if (value === undefined) continue;
    if (key === "__proto__") return NOT_PLAIN;
    const copy = plainCopy(value);
    if (copy === NOT_PLAIN) return NOT_PLAIN;
    out[key] = copy;
  }
  return out;
}

/** True when something made a key of Object.prototype enumerable: for-in would list it as every object's own. */
function prototypePolluted(): boolean {
  for (const _ in Object.prototype) return true;
  return false;
}

/**
 * A Kubernetes object typed by its kubernetes-models class, made as plain data in one copy: `apiVersion` and `kind`
 * from the class, then `data` without its undefined fields. It is what `plain(new model(data))` gives (the class's
 * constructor copied the data, and `plain` walked that copy again to check it is plain), which is still how data
 * that is not plain (class instances, numbers that are not finite, holes) is made, and all data while Object.prototype
 * has an enumerable key.
 */
export function make<C extends ModelClass>(model: C, data: NonNullable<ConstructorParameters<C>[0]>): Made<C> {
  const copy = prototypePolluted() ? NOT_PLAIN : plainCopy({ apiVersion: model.apiVersion, kind: model.kind, ...data });
  if (copy === NOT_PLAIN) return plain(new model(data)) as Made<C>;
  MADE.add(copy as object);
  return copy as Made<C>;
}
