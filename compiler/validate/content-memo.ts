/**
 * What a per-object check found, remembered by the object's content.
 *
 * The same object is rendered for many targets (every region of an
 * environment, often every environment), and a check that reads only the
 * object (its schema, its fields, its literals) finds the same there. The
 * result is kept under the object's content key, so an equal object is
 * checked once per process. The key is the object's JSON text itself where it
 * is short (V8 hashes a string once, and a hit compares the texts whole, so no
 * two contents are confused; hashing each text with SHA-1 cost more than the
 * lookups), and a SHA-1 of it where it is long (V8 hashes a string of 16,384
 * characters or more by its length alone, so long texts of one length would
 * all share a bucket). Within one validation the key is kept per object (the
 * objects do not change while the rules read them); outside it is worked out
 * afresh, so an object changed between two validations is checked again.
 */
import { createHash } from "../hash.ts";

/** Entries kept per check before its memory is dropped (a long watch session renders many versions). */
const LIMIT = 20_000;
/** Characters of keys and of text results kept per check before its memory is dropped (large objects: big texts). */
const CHARACTER_LIMIT = 16_000_000;
/** The longest text V8 hashes by its characters (String::kMaxHashCalcLength); longer ones are keyed by a digest. */
const HASHED_WHOLE = 16_383;

/** An object's content key, and its JSON text when JSON.stringify writes it whole (nothing lost). */
interface Content {
  key: string;
  json?: string;
}

/** Within a validation, each object's content. */
let contents: WeakMap<object, Content> | undefined;
/** Within a validation whose objects are plain data (withContentDigests' `plainData`). */
let plainScope = false;

interface Memo {
  results: Map<string, unknown>;
  characters: number;
}
const memos = new Map<string, Memo>();

/** A string that `exact` writes in its own way: one starting with NUL, which could be taken for a stand-in. */
function escapedString(value: string): boolean {
  return value.length > 0 && value.charCodeAt(0) === 0;
}

/**
 * Keeps apart in the JSON what JSON would merge: a key set to undefined (not absent), a number that is not finite,
 * minus zero (JSON writes 0; YAML keeps -0). Each is written as a string starting with NUL; a string that itself
 * starts with NUL gets a second one, so no value is taken for a stand-in.
 */
function exact(_key: string, value: unknown): unknown {
  if (value === undefined) return "\u0000undefined";
  if (typeof value === "number" && (!Number.isFinite(value) || Object.is(value, -0)))
    return `\u0000${Object.is(value, -0) ? "-0" : value}`;
  if (typeof value === "string" && escapedString(value)) return `\u0000${value}`;
  return value;
}

/**
 * True when JSON would lose something of `value` (a value set to undefined, a number that is not finite, minus
 * zero) or when a string of it starts with NUL (which `exact` writes in its own way). Without such values
 * JSON.stringify with and without `exact` writes the same text, and without a replacer it is several times faster
 * (V8's own serializer).
 */
function inexact(value: unknown): boolean {
  if (value === undefined) return true;
  if (typeof value === "number") return !Number.isFinite(value) || Object.is(value, -0);
  if (typeof value === "string") return escapedString(value);
  if (typeof value !== "object" || value === null) return false;
  if (Array.isArray(value)) {
    for (const item of value as unknown[]) if (inexact(item)) return true;
    return false;
  }
  for (const key in value) if (inexact((value as Record<string, unknown>)[key])) return true;
  return false;
}

/**
 * The content of `object`: its JSON text as the key (written by `exact` where JSON would lose something), or a digest
 * of a long one.
 */
function contentOf(object: object): Content {
  const known = contents?.get(object);
  if (known !== undefined) return known;
  const loses = inexact(object);
  const json = loses ? JSON.stringify(object, exact) : JSON.stringify(object);
  const key = json.length <= HASHED_WHOLE ? json : `#${createHash("sha1").update(json).digest("base64")}`;
  const content: Content = loses ? { key } : { key, json };
  contents?.set(object, content);
  return content;
}

/**
 * True when `object` may be read as the plain data its JSON says: within a validation of plain data
 * (withContentDigests' `plainData`: plain objects and arrays holding only their own enumerable fields, as the build
 * and patch phases make them) and with nothing JSON would lose (no key set to undefined, no number that is not
 * finite, no minus zero).
 */
export function exactJson(object: object): boolean {
  return plainScope && contentOf(object).json !== undefined;
}

/**
 * `JSON.stringify(object)` when a validation under way (withContentDigests) already wrote it, so that storing the
 * objects (cache/store.ts) does not write them again; otherwise undefined.
 */
export function writtenJson(object: object): string | undefined {
  return contents?.get(object)?.json;
}

/**
 * Runs `fn` with each object's content key kept until it returns (the objects must not change meanwhile). With
 * `plainData`, the caller vouches that the objects are plain data: objects with Object's prototype and arrays, holding
 * only their own enumerable data fields (what the build and patch phases produce); checks may then read them as
 * their JSON says, without copying them first (exactJson). A scope inside another keeps the outer one's word.
 */
export function withContentDigests<T>(fn: () => T, plainData = false): T {
  const outer = contents;
  const outerPlain = plainScope;
  contents = outer ?? new WeakMap();
  plainScope = outer ? outerPlain : plainData;
  try {
    return fn();
  } finally {
    contents = outer;
    plainScope = outerPlain;
  }
}

/**
 * `check(object)`, or what it returned for an object of equal content before. `check` must read nothing but the
 * object, and the caller must not change what it returns.
 */
export function byContent<T>(name: string, object: object, check: (object: object) => T): T {
  let memo = memos.get(name);
  if (!memo) memos.set(name, (memo = { results: new Map(), characters: 0 }));
  const { key } = contentOf(object);
  if (memo.results.has(key)) return memo.results.get(key) as T;
  const result = check(object);
  const characters = key.length + (typeof result === "string" ? result.length : 0);
  if (memo.results.size >= LIMIT || memo.characters + characters > CHARACTER_LIMIT) {
    memo.results.clear();
    memo.characters = 0;
  }
  memo.results.set(key, result);
  memo.characters += characters;
  return result;
}

/** Forgets every kept result (a check's rules changed, e.g. a model was registered for a kind). */
export function forgetContentResults(): void {
  memos.clear();
}
