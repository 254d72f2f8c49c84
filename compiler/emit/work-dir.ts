/**
 * Where a write to a rendered tree is staged: in the scratch folder next to
 * it (`.manifold-cache/`, see scratch.ts), on the same file system as
 * `rendered/`, so that a rename moves files into place.
 */
import { basename, dirname, join } from "node:path";

export { ignoredWorkDir } from "../scratch.ts";

/** Where writes to the tree `dir` are staged and journaled: `.manifold-cache/emit-<name>/` beside it. */
export function workDirOf(dir: string): string {
  return join(dirname(dir), ".manifold-cache", `emit-${basename(dir)}`);
}
