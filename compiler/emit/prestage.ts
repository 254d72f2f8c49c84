/**
 * A first write's files, staged while the targets are built. When `rendered/` does not exist yet, every file of the
 * compile is new, and the emit phase would write them all at the end, on one thread, after every target is built.
 * Instead each thread writes a target's files as soon as it has rendered them, into this run's prestage
 * (`.manifold-cache/emit-rendered/prestage-<pid>-<word>/`, beside the stage of write.ts), so that the writing overlaps
 * the other thread's building. The emit phase then takes the prestage as its stage (journal.ts `stage`), writes only
 * what is not in it (the fleet layers' files) and commits the journal as before: `rendered/` still appears by one
 * rename, holding the lock, and nothing under it changes before that.
 *
 * A target is committed into the prestage by one rename of its folder, written whole under `parts/` first, then listed
 * (`lists/`): a listed folder is complete, and a folder's second writer (the main thread building again after its
 * helper failed) cannot rename over the first. Anything the emit cannot vouch for sends it back to a fresh stage.
 * Each prestage names its owner (`owner.json`: pid and host, as the lock does); one whose process is gone is removed
 * by the next run that opens a prestage or recovers the tree.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { dirname, join } from "node:path";
import { ignoredWorkDir, workDirOf } from "./work-dir.ts";
import { alive } from "./lock.ts";
import { pruneEmptied, writeNewFiles } from "./tree-files.ts";

const PREFIX = "prestage-";
/** A prestage older than this is taken for abandoned, whoever owns it (a reused pid, a host that is gone). */
const ABANDONED_AFTER_MS = 24 * 3600_000;

/** A random word: a run's prestage and a thread's parts are named apart from any other's. */
function word(): string {
  return Math.random().toString(36).slice(2, 10);
}

/** Removes `path` and everything in it, never throwing: what stays is removed later as abandoned. */
function removeQuietly(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true, maxRetries: 3 });
  } catch {
    // a file held open elsewhere (Windows), or a folder still being written to
  }
}

/**
 * Opens a prestage for a write of the tree `dir` (rendered/) and returns its folder, when `dir` does not exist (a
 * first write: every file will be new); otherwise undefined. Abandoned prestages are removed first.
 */
export function openPrestage(dir: string): string | undefined {
  if (existsSync(dir)) return undefined;
  try {
    const work = workDirOf(dir);
    ignoredWorkDir(dirname(work));
    removeAbandonedPrestages(work);
    const prestage = join(work, `${PREFIX}${process.pid}-${word()}`);
    mkdirSync(join(prestage, "parts"), { recursive: true });
    mkdirSync(join(prestage, "lists"), { recursive: true });
    writeFileSync(join(prestage, "owner.json"), JSON.stringify({ pid: process.pid, host: hostname() }));
    return prestage;
  } catch {
    return undefined; // the emit phase stages everything, as without a prestage
  }
}

/** Removes a prestage (after the emit phase took it, or when the compile did not get that far); never throws. */
export function closePrestage(prestage: string): void {
  removeQuietly(prestage);
}

/** How many parts this thread began; with its random word, a part's name is its own within the process. */
let parts = 0;
const THREAD_WORD = word();

/**
 * Writes one target's files (paths relative to rendered/, all under `folder`) into the prestage and commits them:
 * written whole under `parts/`, renamed to `tree/<folder>`, then listed with each file's length. Best effort: on any
 * failure (the folder was committed already, a name taken twice on a volume that ignores case, a full disk) nothing
 * is committed, and the emit phase writes the target's files itself. Returns whether the target was committed.
 */
export function prestageTarget(prestage: string, folder: string, files: Iterable<[string, string]>): boolean {
  const tree = join(prestage, "tree");
  const to = join(tree, folder);
  if (existsSync(to)) return false; // committed by the other thread (this one builds it again after a failure)
  const id = `${THREAD_WORD}-${parts++}`;
  const part = join(prestage, "parts", id);
  const prefix = `${folder}/`;
  const inFolder: [string, string][] = [];
  for (const [path, content] of files) {
    if (!path.startsWith(prefix)) return false;
    inFolder.push([path.slice(prefix.length), content]);
  }
  try {
    writeNewFiles(part, inFolder);
    mkdirSync(dirname(to), { recursive: true });
    renameSync(part, to);
  } catch {
    removeQuietly(part);
    pruneEmptied(tree, [folder]); // the folders made above it for the commit, unless another's are there
    return false;
  }
  try {
    const listed = inFolder.map(([rel, content]) => [prefix + rel, content.length]);
    writeFileSync(join(prestage, "lists", `${id}.json`), JSON.stringify({ folder, files: listed }));
    return true;
  } catch {
    return false; // committed but not listed: the emit phase finds its files there and stages afresh
  }
}

/**
 * Moves the prestage's committed targets to `staging` (which must not exist) and returns the paths they hold; undefined
 * when there is nothing to take, or a listed file is not one of `files` or has another length there (then `staging`
 * is left absent). Every path returned is a file a thread of this run wrote whole, with the text it rendered for the
 * path: the length is a check against a mix-up, not a comparison of contents (no other producer writes into a
 * target's folder, and no other run into this prestage).
 */
export function takePrestage(
  prestage: string,
  staging: string,
  files: ReadonlyMap<string, string>,
): Set<string> | undefined {
  const tree = join(prestage, "tree");
  if (!existsSync(tree)) return undefined;
  const taken = new Set<string>();
  for (const name of readdirSync(join(prestage, "lists"))) {
    const list = JSON.parse(readFileSync(join(prestage, "lists", name), "utf8")) as { files: [string, number][] };
    for (const [path, length] of list.files) {
      if (files.get(path)?.length !== length) return undefined;
      taken.add(path);
    }
  }
  mkdirSync(dirname(staging), { recursive: true });
  renameSync(tree, staging);
  return taken;
}

/** True when the prestage `path` is abandoned: its owner's process is gone, or it cannot tell and is old. */
function abandoned(path: string): boolean {
  try {
    const owner = JSON.parse(readFileSync(join(path, "owner.json"), "utf8")) as { pid: number; host: string };
    if (!alive(owner)) return true;
  } catch {
    // no owner yet (being opened) or none readable: judged by age alone
  }
  try {
    return Date.now() - statSync(path).mtimeMs > ABANDONED_AFTER_MS;
  } catch {
    return false;
  }
}

/**
 * Removes the prestages in the work folder `work` that are abandoned: their process is gone (killed before it could
 * remove its own), or they are older than a day. Never throws.
 */
export function removeAbandonedPrestages(work: string): void {
  let names: string[];
  try {
    names = readdirSync(work);
  } catch {
    return;
  }
  for (const name of names) if (name.startsWith(PREFIX) && abandoned(join(work, name))) removeQuietly(join(work, name));
}
