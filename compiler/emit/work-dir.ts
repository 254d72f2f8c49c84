/**
 * Manifold's scratch folder next to `rendered/` (`.manifold-cache/`): the lock,
 * the staging area and the journal of a write live there, on the same file
 * system as `rendered/` (so a rename moves files into place), and it carries
 * its own `.gitignore` so git never shows what is in it, whatever the
 * project's own `.gitignore` says.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** Makes `dir` (if needed) with a `.gitignore` that ignores everything in it, itself included; returns `dir`. */
export function ignoredWorkDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const ignore = join(dir, ".gitignore");
  if (!existsSync(ignore)) writeFileSync(ignore, "*\n");
  return dir;
}

/** Where writes to the tree `dir` are staged and journaled: `.manifold-cache/emit-<name>/` beside it. */
export function workDirOf(dir: string): string {
  return join(dirname(dir), ".manifold-cache", `emit-${basename(dir)}`);
}
