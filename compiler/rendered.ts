/**
 * Phase 7 against the disk: compare a compile's files with `rendered/` (check) or bring it up to date (emit), each
 * holding the project's lock after finishing an interrupted write. Light on purpose: a compile taken whole from the
 * cache checks or emits without loading the build, validate or render code.
 */
import { join } from "node:path";
import { diffTree, isEmptyDiff, recoverTree, writeTree, type TreeDiff } from "./emit/write.ts";
import { commandLine, withLock } from "./emit/lock.ts";
import { diffWithStamps } from "./emit/stamps.ts";
import { refuseTargetRemoval } from "./emit/removal.ts";
import type { CompileResult } from "./reuse.ts";

/** The rendered folder of a project. */
export function renderedDir(root: string): string {
  return join(root, "rendered");
}

/**
 * What writing the compile's files would change in `rendered/`; when the compile has a files key, reading only the
 * files whose stamps differ from those recorded under it (emit/stamps.ts). `record` notes the files found equal.
 */
function compareRendered(dir: string, result: CompileResult): { diff: TreeDiff; record: () => void } {
  if (result.filesKey === undefined || result.scope)
    return { diff: diffTree(dir, result.files, result.scope), record() {} };
  return diffWithStamps(dir, result.files, result.filesKey);
}

/** Compares a compile with `rendered/` on disk (holding the lock, after finishing an interrupted write). */
export function checkRendered(root: string, result: CompileResult): TreeDiff {
  return withLock(root, commandLine(), () => {
    recoverTree(renderedDir(root));
    const { diff, record } = compareRendered(renderedDir(root), result);
    record();
    return diff;
  });
}

export interface EmitOptions {
  /** Allow a write that removes whole target folders (a platform no description renders any more). */
  allowRemoval?: boolean;
}

/**
 * Phase 7, emit: brings `rendered/` (or the compile's scope of it) up to date, writing only what changed, holding
 * the project's lock. Returns what changed; writes nothing when nothing did. Refuses (a ManifoldError) to remove a
 * whole target folder unless `allowRemoval`.
 */
export function emit(root: string, result: CompileResult, options: EmitOptions = {}): TreeDiff {
  return withLock(root, commandLine(), () => {
    const dir = renderedDir(root);
    recoverTree(dir);
    const { diff, record } = compareRendered(dir, result);
    if (!options.allowRemoval) refuseTargetRemoval(diff, result.files);
    record();
    if (!isEmptyDiff(diff)) writeTree(dir, result.files, diff);
    return diff;
  });
}
