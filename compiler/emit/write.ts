/**
 * Writing the rendered tree: compare with what is on disk, and change only
 * what differs, so that a kill at any moment (SIGKILL included) leaves the
 * tree entirely old or entirely new once the next run has looked at it.
 *
 * 1. Stage: every added or changed file is written under the work folder
 *    (`.manifold-cache/emit-rendered/staging/`, outside the tracked tree).
 *    A kill here leaves the tree untouched; the next run deletes the stage.
 * 2. Commit: the journal (what to move in, what to delete) is written aside
 *    and renamed into place in one step. From here the write is decided.
 * 3. Apply: the staged entries are renamed into the tree (a folder that is
 *    new as a whole moves with one rename; a first write moves the whole
 *    tree at once), removed files are deleted, emptied folders pruned; then
 *    the journal and the stage are deleted. A kill here is finished by the
 *    next run (recoverTree), which replays the journal before reading.
 *
 * Unchanged files are never rewritten, so they keep their times.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { applyJournal, recoverTree, stage, type Journal } from "./journal.ts";

/**
 * Which files of the tree a compile owns; the rest is kept as it is. Undefined means the whole tree. `holds`, when
 * there, tells whether a folder (relative, `/`-separated) can hold any file of the scope, so that a walk of the tree
 * need not list the folders of other targets.
 */
export type Scope = (((path: string) => boolean) & { holds?: (folder: string) => boolean }) | undefined;

function inScope(path: string, scope: Scope): boolean {
  return !scope || scope(path);
}

/** How eachFile walks: into the folders `enter` accepts (all by default), each in name order when `sorted`. */
interface Walk {
  enter?: (folder: string) => boolean;
  sorted?: boolean;
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * Calls `visit` with the path (relative to `dir`, with `/` separators) of every file under `dir`. Paths are joined
 * by hand: they are relative, with no `.` or `..`, and path.join's normalising of each of 100,000 paths cost over a
 * second of processor time.
 */
export function eachFile(dir: string, visit: (path: string) => void, { enter, sorted }: Walk = {}): void {
  if (!existsSync(dir)) return;
  const walk = (rel: string) => {
    const entries = readdirSync(rel ? `${dir}/${rel}` : dir, { withFileTypes: true });
    for (const entry of sorted ? entries.sort(byName) : entries) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (!entry.isDirectory()) visit(path);
      else if (!enter || enter(path)) walk(path);
    }
  };
  walk("");
}

/** Every folder above a path of `paths` (`a/b/c.yaml`: `a` and `a/b`). */
function foldersOf(paths: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const path of paths)
    for (let slash = path.lastIndexOf("/"); slash > 0; slash = path.lastIndexOf("/", slash - 1)) {
      const folder = path.slice(0, slash);
      if (out.has(folder)) break;
      out.add(folder);
    }
  return out;
}

/** Every file under `dir`, keyed by path relative to it, with `/` separators. */
export function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  eachFile(dir, (path) => out.set(path, readFileSync(`${dir}/${path}`, "utf8")), { sorted: true });
  return out;
}

export interface TreeDiff {
  added: string[];
  changed: string[];
  removed: string[];
}

/**
 * What writing `files` would change under `dir`, within `scope`. Only the files `files` holds are read: the others
 * are listed (those in scope are removed), and a scope that tells its folders (`holds`) is walked only through them
 * and the folders of `files`, so a filtered compile's cost does not grow with the rest of the tree.
 */
export function diffTree(dir: string, files: Map<string, string>, scope: Scope): TreeDiff {
  const diff: TreeDiff = { added: [], changed: [], removed: [] };
  const found = new Set<string>();
  const holds = scope?.holds;
  const written = holds ? foldersOf(files.keys()) : undefined;
  const visit = (path: string) => {
    if (files.has(path)) {
      found.add(path);
      if (readFileSync(`${dir}/${path}`, "utf8") !== files.get(path)) diff.changed.push(path);
    } else if (inScope(path, scope)) diff.removed.push(path);
  };
  eachFile(dir, visit, holds ? { enter: (folder) => written!.has(folder) || holds(folder) } : {});
  for (const path of files.keys()) if (!found.has(path)) diff.added.push(path);
  diff.added.sort();
  diff.changed.sort();
  diff.removed.sort();
  return diff;
}

/** True when a diff changes nothing. */
export function isEmptyDiff(d: TreeDiff): boolean {
  return d.added.length + d.changed.length + d.removed.length === 0;
}

/**
 * The entries to move from the stage into `dir` for the added and changed paths: a path whose folder exists moves
 * as a file; otherwise its topmost missing folder moves as a whole (once). A missing `dir` moves as a whole ("").
 */
export function planMoves(dir: string, paths: string[]): string[] {
  if (!existsSync(dir)) return [""];
  const exists = new Map<string, boolean>();
  const folderExists = (rel: string) => {
    let known = exists.get(rel);
    if (known === undefined) exists.set(rel, (known = existsSync(join(dir, rel))));
    return known;
  };
  const moves = new Set<string>();
  for (const path of paths) {
    const parts = path.split("/");
    let move = path;
    for (let i = 1; i < parts.length; i++) {
      const folder = parts.slice(0, i).join("/");
      if (!folderExists(folder)) {
        move = folder;
        break;
      }
    }
    moves.add(move);
  }
  return [...moves].sort();
}

/**
 * Applies `diff` (from diffTree over the same `files`) to `dir` through the staged, journaled write described above.
 * Finishes or discards an interrupted earlier write first. Unchanged files are not touched. A first write (no `dir`
 * yet) takes what the compile's threads wrote to `prestage` already (prestage.ts).
 */
export function writeTree(dir: string, files: Map<string, string>, diff: TreeDiff, prestage?: string): void {
  recoverTree(dir);
  const paths = [...diff.added, ...diff.changed];
  const journal: Journal = { moves: planMoves(dir, paths), removals: diff.removed };
  stage(
    dir,
    paths.map((p) => [p, files.get(p)!]),
    journal,
    prestage,
  );
  applyJournal(dir, journal);
}

export { recoverTree };
