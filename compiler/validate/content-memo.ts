/**
 * What a per-object check found, remembered by the object's content.
 *
 * The same object is rendered for many targets (every region of an
 * environment, often every environment), and a check that reads only the
 * object (its schema, its fields, its literals) finds the same there. The
 * result is kept under a digest of the object's JSON, so an equal object is
 * checked once per process. Within one validation the digest is kept per
 * object (the objects do not change while the rules read them); outside it is
 * computed afresh, so an object changed between two validations is checked
 * again.
 */
import { createHash } from "../hash.ts";

/** Entries kept per check before its memory is dropped (a long watch session renders many versions). */
const LIMIT = 20_000;

let digests: WeakMap<object, string> | undefined;
const memos = new Map<string, Map<string, unknown>>();

/** Keeps apart in the JSON what JSON would merge: a key set to undefined (not absent), a number that is not finite. */
function exact(_key: string, value: unknown): unknown {
  if (value === undefined) return "\u0000undefined";
  if (typeof value === "number" && !Number.isFinite(value)) return `\u0000${value}`;
  return value;
}

/**
 * True when JSON would lose something of `value` (a value set to undefined, a number that is not finite). Without
 * such values JSON.stringify with and without `exact` writes the same text, and without a replacer it is several
 * times faster (V8's own serializer).
 */
function inexact(value: unknown): boolean {
  if (value === undefined) return true;
  if (typeof value === "number") return !Number.isFinite(value);
  if (typeof value !== "object" || value === null) return false;
  if (Array.isArray(value)) {
    for (const item of value as unknown[]) if (inexact(item)) return true;
    return false;
  }
  for (const key in value) if (inexact((value as Record<string, unknown>)[key])) return true;
  return false;
}

function digest(object: object): string {
  const known = digests?.get(object);
  if (known !== undefined) return known;
  const json = inexact(object) ? JSON.stringify(object, exact) : JSON.stringify(object);
  const computed = createHash("sha1").update(json).digest("base64");
  digests?.set(object, computed);
  return computed;
}

/** Runs `fn` with each object's content digest kept until it returns (the objects must not change meanwhile). */
export function withContentDigests<T>(fn: () => T): T {
  const outer = digests;
  digests = outer ?? new WeakMap();
  try {
    return fn();
  } finally {
    digests = outer;
  }
}

/**
 * `check(object)`, or what it returned for an object of equal content before. `check` must read nothing but the
 * object, and the caller must not change what it returns.
 */
export function byContent<T>(name: string, object: object, check: (object: object) => T): T {
  let memo = memos.get(name);
  if (!memo) memos.set(name, (memo = new Map()));
  const key = digest(object);
  if (memo.has(key)) return memo.get(key) as T;
  const result = check(object);
  if (memo.size >= LIMIT) memo.clear();
  memo.set(key, result);
  return result;
}

/** Forgets every kept result (a check's rules changed, e.g. a model was registered for a kind). */
export function forgetContentResults(): void {
  memos.clear();
}
