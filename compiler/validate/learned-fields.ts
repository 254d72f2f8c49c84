/**
 * The fields a model's schema validator was seen to read, per path, so the unknown fields of another object of the
 * same model are known without running the validator over a recording view (known-fields.ts).
 *
 * A compiled schema validator looks up every property its schema declares at an object, present or not, so what it
 * read at a path in one passing run is what it reads there in the next: the schema's properties (a `properties`
 * schema), an enumeration (an open map) or nothing (a free-form object). Paths collapse array indexes
 * (`spec/template/spec/containers/*`). Where runs read differently at a path (a `oneOf` or `anyOf` branch, an `if`),
 * every way seen is kept, and an object is answered only when all of them give the same answer for it.
 */
import { escapeKey } from "../kube/pointer.ts";
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
  /** How many paths are kept (bounded: a fleet of custom resource definitions has many open-map keys). */
  size: number;
}

/** Paths kept per model before they are forgotten and learned afresh. */
const LIMIT = 50_000;
/** Distinct behaviours kept per path; a path seen to read more ways than this is always run through the proxy. */
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

/** Adds what a PASSING recorded run read (known-fields.ts `recordSchema`, parents before children) to `learned`. */
export function learnReads(learned: LearnedPaths, reads: Reads[]): void {
  if (learned.size > LIMIT) Object.assign(learned, learnedPaths());
  const at = new Map<Reads, LearnedPath>();
  for (const rec of reads) {
    let node = learned.root;
    if (rec.parent) {
      const parent = at.get(rec.parent)!;
      let child = Array.isArray(rec.parent.value) ? parent.items : parent.fields.get(rec.key);
      if (!child) {
        child = path();
        learned.size++;
        if (Array.isArray(rec.parent.value)) parent.items = child;
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

/** Where a walk is: the keys from the root, joined into a JSON pointer only for an unknown field. */
type Trail = string[];

function pointerAt(trail: Trail, key: string): string {
  let pointer = "";
  for (const k of trail) pointer += `/${escapeKey(k)}`;
  return `${pointer}/${escapeKey(key)}`;
}

/** Walks the object or array `value` at `node`, adding its unknown fields to `out`; false when it cannot tell. */
function walk(node: LearnedPath, value: object, trail: Trail, out: string[]): boolean {
  if (Array.isArray(value)) return walkItems(node, value, trail, out);
  const seen = node.seen;
  if (seen.length === 1) return walkAs(node, seen[0], value as Record<string, unknown>, trail, out);
  return seen.length > 1 && walkAgreed(node, value as Record<string, unknown>, trail, out);
}

function walkItems(node: LearnedPath, items: unknown[], trail: Trail, out: string[]): boolean {
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item === null || typeof item !== "object") continue;
    if (!node.items) return false; // items never seen as objects or arrays here
    trail.push(String(i));
    const ok = walk(node.items, item, trail, out);
    trail.pop();
    if (!ok) return false;
  }
  return true;
}

/** Walks an object whose path the validator reads as `behaviour`. */
function walkAs(
  node: LearnedPath,
  behaviour: Behaviour,
  object: Record<string, unknown>,
  trail: Trail,
  out: string[],
): boolean {
  if (behaviour === "free") return true; // the validator never reaches its values
  const open = behaviour === "open";
  for (const key in object) {
    const value = object[key];
    if (value === undefined) continue; // an undefined key is no field (the model's constructor drops it)
    if (!open && !behaviour.has(key))
      out.push(pointerAt(trail, key)); // outermost: nothing below it is read
    else if (value !== null && typeof value === "object") {
      const child = node.fields.get(key);
      if (!child) return false; // a field never seen present here
      trail.push(key);
      const ok = walk(child, value, trail, out);
      trail.pop();
      if (!ok) return false;
    }
  }
  return true;
}

/** What a behaviour makes of a key: read, unknown, or never reached (free-form). */
function fate(behaviour: Behaviour, key: string): "read" | "unknown" | "unreached" {
  if (behaviour === "free") return "unreached";
  return behaviour === "open" || behaviour.has(key) ? "read" : "unknown";
}

/** Walks an object at a path read in several ways, when every way makes the same of each of its keys. */
function walkAgreed(node: LearnedPath, object: Record<string, unknown>, trail: Trail, out: string[]): boolean {
  const seen = node.seen;
  if (seen.length > MAX_BEHAVIOURS) return false;
  for (const key in object) {
    if (object[key] === undefined) continue;
    const first = fate(seen[0], key);
    for (let i = 1; i < seen.length; i++) if (fate(seen[i], key) !== first) return false; // the ways disagree
  }
  return walkAs(node, seen[0], object, trail, out);
}

/**
 * The fields of `object` its model's schema does not know (outermost, sorted JSON pointers, as known-fields.ts
 * `runSchema` gives them for an object that passes), from what was learned; undefined when some object in it sits
 * at a path never seen, or at one where the ways the validator was seen to read disagree about it.
 */
export function learnedUnknowns(learned: LearnedPaths, object: object): string[] | undefined {
  const out: string[] = [];
  return walk(learned.root, object, [], out) ? out.sort() : undefined;
}
