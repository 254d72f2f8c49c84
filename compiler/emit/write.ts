/**
 * Writing the rendered tree: compare with what is on disk, and change only
 * what differs. A first compile writes the whole tree to a sibling temporary
 * folder and renames it into place. Later compiles stage every added or
 * changed file next to its destination first and, only once all of them are
 * written, rename them over their destinations and delete the files whose
 * objects are gone; a failure while staging removes the staged files and
 * leaves the previous tree exactly as it was. Unchanged files are never
 * rewritten, so an unchanged target keeps its files (and their times).
 */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";

/** Which files of the tree a compile owns; the rest is kept as it is. Undefined means the whole tree. */
export type Scope = ((path: string) => boolean) | undefined;

function inScope(path: string, scope: Scope): boolean {
  return !scope || scope(path);
}

/** Every file under `dir`, keyed by path relative to it, with `/` separators. */
export function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(dir)) return out;
  const walk = (rel: string) => {
    for (const entry of readdirSync(join(dir, rel), { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    )) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path);
      else out.set(path, readFileSync(join(dir, path), "utf8"));
    }
  };
  walk("");
  return out;
}

export interface TreeDiff {
  added: string[];
  changed: string[];
  removed: string[];
}

/** What writing `files` would change under `dir`, within `scope`. */
export function diffTree(dir: string, files: Map<string, string>, scope: Scope): TreeDiff {
  const existing = readTree(dir);
  const diff: TreeDiff = { added: [], changed: [], removed: [] };
  for (const [path, content] of files) {
    const old = existing.get(path);
    if (old === undefined) diff.added.push(path);
    else if (old !== content) diff.changed.push(path);
  }
  for (const path of existing.keys()) if (inScope(path, scope) && !files.has(path)) diff.removed.push(path);
  diff.added.sort();
  diff.changed.sort();
  diff.removed.sort();
  return diff;
}

/** True when a diff changes nothing. */
export function isEmptyDiff(d: TreeDiff): boolean {
  return d.added.length + d.changed.length + d.removed.length === 0;
}

/** What writing a diff takes: files to write (to temporary names), then renames, then removals. */
interface WritePlan {
  writes: [string, string][];
  renames: [string, string][];
  removed: string[];
  /** The temporary tree of a first write, removed if a write fails. */
  fresh?: string;
}

function planWrites(dir: string, files: Map<string, string>, diff: TreeDiff): WritePlan {
  if (!existsSync(dir)) {
    const tmp = `${dir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    return {
      writes: [...files].map(([path, content]) => [join(tmp, path), content]),
      renames: [[tmp, dir]],
      removed: [],
      fresh: tmp,
    };
  }
  const plan: WritePlan = { writes: [], renames: [], removed: diff.removed };
  for (const path of [...diff.added, ...diff.changed]) {
    const target = join(dir, path);
    const tmp = join(dirname(target), `.${path.split("/").pop()}.tmp-${process.pid}`);
    plan.writes.push([tmp, files.get(path)!]);
    plan.renames.push([tmp, target]);
  }
  return plan;
}

function makeFolders(plan: WritePlan): void {
  const made = new Set<string>();
  for (const [path] of plan.writes) {
    const parent = dirname(path);
    if (!made.has(parent)) {
      mkdirSync(parent, { recursive: true });
      made.add(parent);
    }
  }
}

function abandon(plan: WritePlan): void {
  if (plan.fresh) rmSync(plan.fresh, { recursive: true, force: true });
  else for (const [tmp] of plan.writes) rmSync(tmp, { force: true });
}

function commit(dir: string, plan: WritePlan): void {
  if (plan.fresh) mkdirSync(dirname(dir), { recursive: true });
  for (const [from, to] of plan.renames) renameSync(from, to);
  for (const path of plan.removed) {
    unlinkSync(join(dir, path));
    pruneEmpty(dir, path);
  }
}

/** Removes the now-empty folders above a removed file, up to (not including) `dir`. */
function pruneEmpty(dir: string, path: string): void {
  for (let parent = dirname(path); parent !== "." && parent !== ""; parent = dirname(parent)) {
    try {
      if (readdirSync(join(dir, parent)).length > 0) return;
      rmdirSync(join(dir, parent));
    } catch {
      return;
    }
  }
}

/**
 * Applies `diff` (from diffTree over the same `files`) to `dir`: writes every
 * added and changed file aside, then renames them into place and deletes the
 * removed ones. A first write builds the whole tree aside and renames it in.
 * Unchanged files are not touched.
 */
export function writeTree(dir: string, files: Map<string, string>, diff: TreeDiff): void {
  const plan = planWrites(dir, files, diff);
  try {
    makeFolders(plan);
    for (const [path, content] of plan.writes) writeFileSync(path, content);
  } catch (e) {
    abandon(plan);
    throw e;
  }
  commit(dir, plan);
}
