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

function sameBehaviour(a: Behaviour, b: Behaviour): boolean {
  if (typeof a === "string" || typeof b === "string") return a === b;
  if (a.size !== b.size) return false;
  for (const key of a) if (!b.has(key)) return false;
  return true;
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
    const behaviour = behaviourOf(rec);
    if (!node.seen.some((b) => sameBehaviour(b, behaviour))) node.seen.push(behaviour);
  }
}

/** Whether every field of the object or array `value` at `node` is one the validator reads there. */
function allRead(node: LearnedPath, value: object): boolean {
  if (Array.isArray(value)) {
    for (const item of value as unknown[])
      if (item !== null && typeof item === "object" && !(node.items && allRead(node.items, item))) return false;
    return true;
  }
  const seen = node.seen;
  if (seen.length === 0 || seen.length > MAX_BEHAVIOURS) return false;
  const object = value as Record<string, unknown>;
  const reached = seen[0] !== "free";
  for (const key in object) {
    const field = object[key];
    if (field === undefined) continue; // an undefined key is no field (the model's constructor drops it)
    for (const behaviour of seen) {
      if ((behaviour !== "free") !== reached) return false; // one way reaches its values, another does not
      if (typeof behaviour !== "string" && !behaviour.has(key)) return false; // unknown, or known to a branch not seen
    }
    if (reached && field !== null && typeof field === "object") {
      const child = node.fields.get(key);
      if (!child || !allRead(child, field)) return false; // a field never seen present here, or not all read
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
