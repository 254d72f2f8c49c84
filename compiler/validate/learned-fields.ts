/**
 * The fields a model's schema validator was seen to read, per path, so that an object of the same model whose every
 * field was read before is known to have no unknown field without running the validator over a recording view
 * (known-fields.ts).
 *
 * A compiled schema validator looks up every property its schema declares at an object, present or not, so what it
 * read at a path in one passing run is what it reads there in the next: the schema's properties, an enumeration (an
 * open map) or nothing (a free-form object). Paths collapse array indexes (`spec/template/spec/containers/*`). Where
 * passing runs read differently at a path (a schema branch taken or not), every way seen is kept, and an object is
 * answered only when all of them read each of its fields there. A field none of them read may be unknown, or known
 * to a branch never taken: that object is left to the recording view, as is one with a path never seen.
 */
import type { Reads } from "./known-fields.ts";

/** What the validator did at an object: enumerated its keys, read none of them, or read these keys. */
export type Behaviour = "open" | "free" | ReadonlySet<string>;

/** One path of a model's objects: what the validator did at the objects seen there, and the paths below. */
export interface LearnedPath {
  /** The distinct behaviours seen at objects at this path (empty when only an array was seen there). */
  seen: Behaviour[];
  /** The paths below an object here, by key. */
  fields: Map<string, LearnedPath>;
  /** The path of the items of an array here. */
  items?: LearnedPath;
}

/** The learned paths of one model, from its root object. */
export interface LearnedPaths {
  root: LearnedPath;
  /** How many paths are kept (bounded: custom resource definitions, say, have many open-map keys). */
  size: number;
}

/** Paths kept per model before they are forgotten and learned afresh. */
const LIMIT = 50_000;
/** Distinct behaviours kept per path; past that, an object with the path is always left to the recording view. */
const MAX_BEHAVIOURS = 4;

function path(): LearnedPath {
  return { seen: [], fields: new Map() };
}

/** Nothing learned yet. */
export function learnedPaths(): LearnedPaths {
  return { root: path(), size: 1 };
}

/** Whether the validator did at `rec` what it did in `way`. */
function behavedAs(rec: Reads, way: Behaviour): boolean {
  if (rec.enumerated || rec.keys.size === 0) return way === (rec.enumerated ? "open" : "free");
  if (typeof way === "string" || way.size !== rec.keys.size) return false;
  let same = true;
  rec.keys.forEach((key) => (same &&= way.has(key)));
  return same;
}

function behaviourOf(rec: Reads): Behaviour {
  return rec.enumerated ? "open" : rec.keys.size === 0 ? "free" : new Set(rec.keys);
}

/**
 * Adds what a recorded run read (known-fields.ts `recordSchema`, parents before children) to `learned`. Only a run
 * that PASSED may be learned from: a failing one may have stopped reading early.
 */
export function learnReads(learned: LearnedPaths, reads: Reads[]): void {
  if (learned.size > LIMIT) Object.assign(learned, learnedPaths());
  const at = new Map<Reads, LearnedPath>();
  for (const rec of reads) {
    let node = learned.root;
    if (rec.parent) {
      const parent = at.get(rec.parent)!;
      const inArray = Array.isArray(rec.parent.value);
      let child = inArray ? parent.items : parent.fields.get(rec.key);
      if (!child) {
        child = path();
        learned.size++;
        if (inArray) parent.items = child;
        else parent.fields.set(rec.key, child);
      }
      node = child;
    }
    at.set(rec, node);
    if (Array.isArray(rec.value) || node.seen.length > MAX_BEHAVIOURS) continue;
    let known = false;
    for (let i = 0; i < node.seen.length && !known; i++) known = behavedAs(rec, node.seen[i]);
    if (!known) node.seen.push(behaviourOf(rec));
  }
}

/** Whether `object` has no field (no key, or only keys set to undefined). */
function fieldless(object: Record<string, unknown>): boolean {
  for (const key in object) if (object[key] !== undefined) return false;
  return true;
}

/** Whether every field of the object or array `value` at `node` is one the validator reads there. */
function allRead(node: LearnedPath, value: object): boolean {
  if (Array.isArray(value)) {
    const items = node.items;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item !== null && typeof item === "object" && !(items !== undefined && allRead(items, item))) return false;
    }
    return true;
  }
  const object = value as Record<string, unknown>;
  const seen = node.seen;
  const ways = seen.length;
  if (ways === 0 || ways > MAX_BEHAVIOURS) return false;
  // the behaviours seen are distinct, so at most one is free-form: with another beside it, one way reaches the
  // object's values and another does not, and they agree only on an object without fields
  for (let i = 0; i < ways; i++) if (seen[i] === "free") return ways === 1 || fieldless(object);
  for (const key in object) {
    const field = object[key];
    if (field === undefined) continue; // an undefined key is no field (the model's constructor drops it)
    for (let i = 0; i < ways; i++) {
      const way = seen[i];
      if (way !== "open" && !(way as ReadonlySet<string>).has(key)) return false; // unknown, or known to a branch not seen
    }
    if (field !== null && typeof field === "object") {
      const child = node.fields.get(key);
      if (child === undefined || !allRead(child, field)) return false; // a field never seen present here, or unread
    }
  }
  return true;
}

/**
 * True when what was learned of a model shows that `object` has no field its schema does not know, as known-fields.ts
 * `runSchema` would find for it if it passes; false when that cannot be told without running it (a path never seen,
 * a field never read there, or ways of reading that disagree).
 */
export function allFieldsKnown(learned: LearnedPaths, object: object): boolean {
  return allRead(learned.root, object);
}
