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

/** How a comparison with `rendered/` goes. */
export interface CompareOptions {
  /**
   * Use the stamps of `rendered/` (default true): read only the files whose stamp moved since they were last found
   * equal, and record the stamps of those found equal now. Without, every file the compile has is read and nothing
   * is recorded, which saves a stat of every file: the CLI in a CI job, assuming a fresh clone that no recorded stamp
   * can match and no later run compares again. The verdict is the same either way.
   */
  stamps?: boolean;
}

/**
 * What writing the compile's files would change in `rendered/`; when the compile has a files key (and stamps are
 * used), reading only the files whose stamps differ from those recorded under it (emit/stamps.ts). `record` notes
 * the files found equal.
 */
function compareRendered(
  dir: string,
  result: CompileResult,
  { stamps = true }: CompareOptions,
): { diff: TreeDiff; record: () => void } {
  if (!stamps || result.filesKey === undefined || result.scope)
    return { diff: diffTree(dir, result.files, result.scope), record() {} };
  return diffWithStamps(dir, result.files, result.filesKey);
}

/** Compares a compile with `rendered/` on disk (holding the lock, after finishing an interrupted write). */
export function checkRendered(root: string, result: CompileResult, options: CompareOptions = {}): TreeDiff {
  return withLock(root, commandLine(), () => {
    recoverTree(renderedDir(root));
    const { diff, record } = compareRendered(renderedDir(root), result, options);
    record();
    return diff;
  });
}

export interface EmitOptions extends CompareOptions {
  /** Allow a write that removes whole target folders (a platform no description renders any more). */
  allowRemoval?: boolean;
  /** The prestage the compile wrote its targets' files to (emit/prestage.ts `openPrestage`), for a first write. */
  prestage?: string;
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
    const { diff, record } = compareRendered(dir, result, options);
    if (!options.allowRemoval) refuseTargetRemoval(diff, result.files);
    record();
    if (!isEmptyDiff(diff)) writeTree(dir, result.files, diff, options.prestage);
    return diff;
  });
}
