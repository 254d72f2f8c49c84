/**
 * Manifold's scratch folder (`.manifold-cache/`): caches, the lock, the stage
 * and journal of a write. It carries its own `.gitignore` (`*`), so git never
 * shows what is in it, whatever the project's own `.gitignore` says.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const IGNORE_ALL = "*\n";

/** A file's text, or undefined when it cannot be read. */
function textOf(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

/** Writes `data` to `path` through a file aside (named for this process), renamed into place: no reader sees half. */
export function writeAside(path: string, data: string | Uint8Array): void {
  writeFileSync(`${path}.${process.pid}.tmp`, data);
  renameSync(`${path}.${process.pid}.tmp`, path);
}

/**
 * Makes `dir` (if needed) with a `.gitignore` that ignores everything in it, itself included; returns `dir`. One with
 * other content (left empty by a run killed while writing it) is written again, aside and renamed into place.
 */
export function ignoredWorkDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const ignore = join(dir, ".gitignore");
  if (textOf(ignore) !== IGNORE_ALL) writeAside(ignore, IGNORE_ALL);
  return dir;
}
