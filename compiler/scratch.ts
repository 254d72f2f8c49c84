/**
 * Manifold's scratch folder (`.manifold-cache/`): caches, the lock, the stage
 * and journal of a write. It carries its own `.gitignore` (`*`), so git never
 * shows what is in it, whatever the project's own `.gitignore` says.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Makes `dir` (if needed) with a `.gitignore` that ignores everything in it, itself included; returns `dir`. */
export function ignoredWorkDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const ignore = join(dir, ".gitignore");
  if (!existsSync(ignore)) writeFileSync(ignore, "*\n");
  return dir;
}
