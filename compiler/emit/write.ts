/**
 * Writing the rendered tree: compare with what is on disk, and replace it
 * atomically. The new tree is written to a sibling temporary folder and
 * swapped in with renames, so a failed compile leaves the previous tree
 * exactly as it was and a file whose object is gone disappears.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, cpSync } from "node:fs";
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
    for (const entry of readdirSync(join(dir, rel)).sort()) {
      const path = rel ? `${rel}/${entry}` : entry;
      if (statSync(join(dir, path)).isDirectory()) walk(path);
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

/** Replaces `dir` with `files` (inside `scope`; files outside it are kept), atomically. */
export function writeTree(dir: string, files: Map<string, string>, scope: Scope): void {
  const tmp = `${dir}.tmp-${process.pid}`;
  const old = `${dir}.old-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    if (scope && existsSync(dir)) {
      for (const [path] of readTree(dir)) {
        if (inScope(path, scope)) continue;
        mkdirSync(dirname(join(tmp, path)), { recursive: true });
        cpSync(join(dir, path), join(tmp, path));
      }
    }
    const made = new Set<string>();
    for (const path of [...files.keys()].sort()) {
      const parent = dirname(join(tmp, path));
      if (!made.has(parent)) {
        mkdirSync(parent, { recursive: true });
        made.add(parent);
      }
      writeFileSync(join(tmp, path), files.get(path)!);
    }
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  const hadOld = existsSync(dir);
  if (hadOld) renameSync(dir, old);
  renameSync(tmp, dir);
  if (hadOld) rmSync(old, { recursive: true, force: true });
}
