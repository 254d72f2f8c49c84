/**
 * The journal of a write to a rendered tree (see write.ts): the staged files
 * under `<work>/staging/`, and `<work>/journal.json`, which lists the entries
 * to move from the stage into the tree and the files to delete. The journal
 * appears by one rename, after everything is staged: before that the write
 * has not happened; after it, it has, and anyone may finish it.
 */
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { ignoredWorkDir, workDirOf } from "./work-dir.ts";
import { removeAbandonedPrestages, takePrestage } from "./prestage.ts";
import { pruneEmptied, writeNewFiles } from "./tree-files.ts";

/** What a decided write still has to do: paths relative to the tree ("" is the tree itself). */
export interface Journal {
  moves: string[];
  removals: string[];
}

function journalFile(work: string): string {
  return join(work, "journal.json");
}

function stagingDir(work: string): string {
  return join(work, "staging");
}

/**
 * Stages a write that makes the whole tree (`moves` is the tree itself) from `prestage` (prestage.ts): its committed
 * targets become the stage, and the rest of `files` is written beside them. False, with no stage left, when the
 * prestage cannot be vouched for or a file of the rest is there already (a target committed but not listed).
 */
function stageFromPrestage(staging: string, files: [string, string][], prestage: string): boolean {
  try {
    const taken = takePrestage(prestage, staging, new Map(files));
    if (!taken) return false;
    writeNewFiles(
      staging,
      files.filter(([path]) => !taken.has(path)),
    );
    return true;
  } catch {
    rmSync(staging, { recursive: true, force: true });
    return false;
  }
}

/**
 * Writes `files` to the stage (from `prestage` where the write makes the whole tree and a prestage is given), then
 * commits `journal` (one rename). Nothing in the tree changes yet.
 */
export function stage(dir: string, files: [string, string][], journal: Journal, prestage?: string): void {
  const work = workDirOf(dir);
  ignoredWorkDir(dirname(work));
  const staging = stagingDir(work);
  rmSync(staging, { recursive: true, force: true });
  const whole = journal.moves.length === 1 && journal.moves[0] === "";
  if (!(prestage && whole && stageFromPrestage(staging, files, prestage))) writeNewFiles(staging, files);
  const tmp = `${journalFile(work)}.tmp`;
  writeFileSync(tmp, JSON.stringify(journal));
  renameSync(tmp, journalFile(work));
}

function missing(e: unknown): boolean {
  return (e as NodeJS.ErrnoException).code === "ENOENT";
}

/**
 * Moves the staged entry `from` to `to`. A folder staged to replace one that was absent may find it there again (git
 * restored it after an interruption, or a branch switch did): then its entries are moved into it one by one, each
 * staged file replacing the file of its name, so the write still finishes instead of failing on every later run.
 */
function moveInto(from: string, to: string): void {
  try {
    renameSync(from, to);
    return;
  } catch (e) {
    if (!existsSync(to)) throw e;
  }
  if (lstatSync(from).isDirectory() && lstatSync(to).isDirectory()) {
    for (const name of readdirSync(from)) moveInto(join(from, name), join(to, name));
    rmdirSync(from);
    return;
  }
  rmSync(to, { recursive: true, force: true });
  renameSync(from, to);
}

/**
 * Carries out a committed journal: moves each staged entry that is still staged into the tree, deletes the removed
 * files that are still there, prunes emptied folders, then deletes the journal and the stage. Safe to run again
 * after an interruption at any point.
 */
export function applyJournal(dir: string, journal: Journal): void {
  const work = workDirOf(dir);
  const staging = stagingDir(work);
  for (const move of journal.moves) {
    const from = move ? join(staging, move) : staging;
    const to = move ? join(dir, move) : dir;
    if (!existsSync(from)) continue; // moved before an interruption
    mkdirSync(dirname(to), { recursive: true });
    moveInto(from, to);
  }
  for (const path of journal.removals) {
    try {
      unlinkSync(join(dir, path));
    } catch (e) {
      if (!missing(e)) throw e;
    }
  }
  pruneEmptied(dir, journal.removals);
  unlinkSync(journalFile(work));
  rmSync(staging, { recursive: true, force: true });
}

/**
 * Brings the tree `dir` to a whole state before anyone reads it: finishes a write whose journal was committed, and
 * discards the stage of one that was not (the tree then is the old one, untouched). Also removes the temporary
 * trees (`<dir>.tmp-<pid>`) earlier versions left next to it, and the prestages of processes that are gone.
 */
export function recoverTree(dir: string): "finished" | "discarded" | "clean" {
  const work = workDirOf(dir);
  for (const name of existsSync(dirname(dir)) ? readdirSync(dirname(dir)) : [])
    if (/^\S+\.tmp-\d+$/.test(name) && name.startsWith(`${dir.split(/[\\/]/).pop()}.tmp-`))
      rmSync(join(dirname(dir), name), { recursive: true, force: true });
  if (!existsSync(work)) return "clean";
  removeAbandonedPrestages(work);
  let journal: Journal | undefined;
  try {
    journal = JSON.parse(readFileSync(journalFile(work), "utf8")) as Journal;
  } catch (e) {
    if (!missing(e)) throw e;
  }
  if (journal) {
    applyJournal(dir, journal);
    return "finished";
  }
  const staged = existsSync(stagingDir(work)) || existsSync(`${journalFile(work)}.tmp`);
  rmSync(stagingDir(work), { recursive: true, force: true });
  rmSync(`${journalFile(work)}.tmp`, { force: true });
  return staged ? "discarded" : "clean";
}
