/**
 * Manifold's scratch folder (`.manifold-cache/`): caches, the lock, the stage
 * and journal of a write. It carries its own `.gitignore` (`*`), so git never
 * shows what is in it, whatever the project's own `.gitignore` says.
 */
import { mkdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const IGNORE_ALL = "*\n";

/**
 * Makes `dir` (if needed) with a `.gitignore` that ignores everything in it, itself included; returns `dir`. One of
 * another size (left empty by a run killed while writing it) is written again.
 */
export function ignoredWorkDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const ignore = join(dir, ".gitignore");
  if (statSync(ignore, { throwIfNoEntry: false })?.size !== IGNORE_ALL.length) writeFileSync(ignore, IGNORE_ALL);
  return dir;
}
