/**
 * Reading objects that a patch may have bent into any shape: a rule that expects a list or an object gets an empty
 * one instead of a value it cannot walk, so it judges what is there and never throws.
 */

/** A plain object with string keys. */
export type Loose = Record<string, unknown>;

/** `value` when it is an array, else an empty list. */
export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** `value` when it is a non-array object, else an empty object. */
export function obj(value: unknown): Loose {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Loose) : {};
}

/** Each element of a list that is an object, with its index (others are skipped). */
export function objects(value: unknown): [Loose, number][] {
  return list(value).flatMap((v, i): [Loose, number][] =>
    typeof v === "object" && v !== null && !Array.isArray(v) ? [[v as Loose, i]] : [],
  );
}

/** `value` when it is a string, else undefined. */
export function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** `value` when it is a finite number, else undefined. */
export function num(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}
