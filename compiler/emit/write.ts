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
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
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
    for (const entry of readdirSync(join(dir, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
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

/** Writes `files` under `dir`, which does not exist yet: a temporary sibling renamed into place. */
function writeFresh(dir: string, files: Map<string, string>): void {
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  try {
    const made = new Set<string>();
    for (const [path, content] of files) {
      const parent = dirname(join(tmp, path));
      if (!made.has(parent)) {
        mkdirSync(parent, { recursive: true });
        made.add(parent);
      }
      writeFileSync(join(tmp, path), content);
    }
    mkdirSync(dirname(dir), { recursive: true });
    renameSync(tmp, dir);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
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
 * Applies `diff` (from diffTree over the same `files`) to `dir`: stages every
 * added and changed file, then renames them into place and deletes the removed
 * ones. Unchanged files are not touched.
 */
export function writeTree(dir: string, files: Map<string, string>, diff: TreeDiff): void {
  if (!existsSync(dir)) return writeFresh(dir, files);
  const staged: [string, string][] = [];
  try {
    for (const path of [...diff.added, ...diff.changed]) {
      const target = join(dir, path);
      const tmp = join(dirname(target), `.${path.split("/").pop()}.tmp-${process.pid}`);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(tmp, files.get(path)!);
      staged.push([tmp, target]);
    }
  } catch (e) {
    for (const [tmp] of staged) rmSync(tmp, { force: true });
    throw e;
  }
  for (const [tmp, target] of staged) renameSync(tmp, target);
  for (const path of diff.removed) {
    unlinkSync(join(dir, path));
    pruneEmpty(dir, path);
  }
}
