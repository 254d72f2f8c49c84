/**
 * Rendered objects read back as Kubernetes shapes. After patches an object is plain JSON the compiler did not
 * type-check, so every field of its shape may be missing: `Loose<T>` says so, and readers use `?.` and `??`.
 */
import type { KubeObject } from "../model/object.ts";

/** `T` with every field, at every depth, optional (maps such as labels keep their type). */
export type Loose<T> = T extends readonly (infer U)[]
  ? Loose<U>[]
  : T extends object
    ? string extends keyof T
      ? T
      : { [K in keyof T]?: Loose<T[K]> }
    : T;

/** The object's `spec`, read as the shape `T` in which any field may be missing. */
export function looseSpec<T>(o: KubeObject): Loose<T> | undefined {
  return o.spec as Loose<T> | undefined;
}

/** An untyped JSON object (a map of unknown values), or undefined for anything else. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/**
 * Runtime readers for objects that a patch may have bent into any shape: a rule that expects a list or an object gets
 * an empty one instead of a value it cannot walk, so it judges what is there and never throws.
 */

/** A plain JSON object with string keys. */
export type JsonObject = Record<string, unknown>;

/** `value` when it is an array, else an empty list. */
export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** `value` when it is a non-array object, else an empty object. */
export function obj(value: unknown): JsonObject {
  return asRecord(value) ?? {};
}

/** Each element of a list that is an object, with its index (others are skipped). */
export function objects(value: unknown): [JsonObject, number][] {
  // A loop, not flatMap: every rule reads lists through this, and flatMap's array per element cost ~60 ms of processor
  // time at 10k objects. A hole of a sparse array is undefined here, and skipped as flatMap skips it.
  const out: [JsonObject, number][] = [];
  if (!Array.isArray(value)) return out;
  for (let i = 0; i < value.length; i++) {
    const o = asRecord(value[i]);
    if (o) out.push([o, i]);
  }
  return out;
}

/** `value` when it is a string, else undefined. */
export function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** `value` when it is a finite number, else undefined. */
export function num(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}
