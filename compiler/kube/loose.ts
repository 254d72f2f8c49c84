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
