/**
 * Files of a tree by their paths relative to it (`/`-separated, no `.` or `..`: files.ts): writing them new, and
 * pruning the folders left empty. Shared by the stage of a write (journal.ts) and the prestage of a first one
 * (prestage.ts).
 */
import { mkdirSync, rmdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * Writes each of `files` under `dir` (made if needed), each created new: a name taken twice, as two names differing
 * only in case are on a volume that ignores case, is an error rather than one file silently written over. Each
 * folder is made once.
 */
export function writeNewFiles(dir: string, files: Iterable<[string, string]>): void {
  mkdirSync(dir, { recursive: true });
  // Paths are joined by hand: they are relative, with `/` separators and no `.` or `..` (files.ts), so path.join's
  // normalising of thousands of them (~15 us each without an optimising compiler) is not needed.
  const made = new Set<string>();
  for (const [path, content] of files) {
    const slash = path.lastIndexOf("/");
    const parent = slash < 0 ? "" : path.slice(0, slash);
    if (parent && !made.has(parent)) {
      mkdirSync(`${dir}/${parent}`, { recursive: true });
      made.add(parent);
    }
    writeFileSync(`${dir}/${path}`, content, { flag: "wx" });
  }
}

/** Removes the folders under `dir` that deleting `removed` emptied, deepest first, each tried once (never `dir`). */
export function pruneEmptied(dir: string, removed: string[]): void {
  const folders = new Set<string>();
  for (const path of removed)
    for (let parent = dirname(path); parent !== "." && parent !== "" && !folders.has(parent); parent = dirname(parent))
      folders.add(parent);
  const deepestFirst = [...folders].sort((a, b) => b.split("/").length - a.split("/").length || (a < b ? -1 : 1));
  for (const folder of deepestFirst) {
    try {
      rmdirSync(join(dir, folder));
    } catch {
      // not empty (or already gone): keep it
    }
  }
}
