/**
 * Cleaning up the temporary worktrees of `manifold diff`: on SIGINT or SIGTERM
 * while one exists (watchInterrupts), and, for a run that was killed outright (SIGKILL), on the
 * next run, which removes the worktrees of diff runs that are gone. Worktree
 * folders are named `manifold-diff-<pid>-…` so a later run can tell whose
 * they were.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import type { SimpleGit } from "simple-git";

/** The prefix of a diff worktree's temp folder for process `pid`. */
export function worktreePrefix(pid = process.pid): string {
  return `manifold-diff-${pid}-`;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes a folder as far as it can: a process the killed run left behind (its `git worktree add`, or the compile of
 * the ref) may still be writing into it, so a failure is retried, then left for a later run.
 */
export function removeFolder(dir: string): boolean {
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
    return true;
  } catch {
    return false;
  }
}

/**
 * Removes the worktrees that diff runs which are no longer running left registered in the repository of `git`, as
 * far as it can (what cannot be removed yet is left for a later run), then the temp folders of dead runs that git never
 * registered. A worktree killed while git was still checking it out is locked
 * ("initializing"), hence the unlock.
 */
async function removeLeftovers(git: SimpleGit): Promise<void> {
  await git.raw(["worktree", "prune"]).catch(() => "");
  const list = await git.raw(["worktree", "list", "--porcelain"]).catch(() => "");
  for (const line of list.split("\n")) {
    if (!line.startsWith("worktree ")) continue;
    const path = line.slice("worktree ".length);
    if (basename(path) !== "tree" || !deadRunFolder(basename(dirname(path)))) continue;
    // The folder first: while it cannot be removed (a process of the dead run still writing into it), git's record
    // stays, so a later run finds the worktree again. Unlocked first, so that the prune below drops the record.
    await git.raw(["worktree", "unlock", path]).catch(() => "");
    if (!removeFolder(dirname(path))) continue;
    await git.raw(["worktree", "remove", "--force", "--force", path]).catch(() => "");
  }
  await git.raw(["worktree", "prune"]).catch(() => "");
  // Folders of dead runs that git never registered (killed before or during `git worktree add`), in any repository.
  for (const name of readdirSafe(tmpdir())) if (deadRunFolder(name)) removeFolder(join(tmpdir(), name));
}

/** True when `name` is the temp folder of a diff run (worktreePrefix) whose process is gone. */
function deadRunFolder(name: string): boolean {
  const m = /^manifold-diff-(\d+)-/.exec(name);
  return m !== null && Number(m[1]) !== process.pid && !alive(Number(m[1]));
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** This process's checkouts in progress, per repository: how many, the clean-up the first ran, and a prune owed. */
const checkouts = new Map<string, { count: number; cleaned: Promise<unknown>; prune: boolean }>();

/**
 * Begins a checkout in the repository `top` (of `git`): removes the leftovers of dead runs first when this process has
 * no other checkout in progress there, else waits for the clean-up the first one ran. A `git worktree prune` must
 * never run beside this process's own `git worktree add` (the two sides of a diff check out together): one landing
 * after `add` made its entry but before it locked it deletes the entry. Gives `end`, to call once the checkout's
 * worktree is removed (`removed`: whether that succeeded), which says whether to prune now: when this was the last
 * checkout in progress and any removal failed.
 */
export async function beginCheckout(git: SimpleGit, top: string): Promise<{ end: (removed: boolean) => boolean }> {
  let state = checkouts.get(top);
  if (state) state.count++;
  else checkouts.set(top, (state = { count: 1, cleaned: removeLeftovers(git).catch(() => undefined), prune: false }));
  const current = state;
  const end = (removed: boolean) => {
    current.prune ||= !removed;
    if (--current.count > 0) return false;
    if (checkouts.get(top) === current) checkouts.delete(top);
    return current.prune;
  };
  await current.cleaned;
  return { end };
}

/** What an interrupt watch tells the code that runs under it. */
export interface InterruptWatch {
  /** The signal received, if any: the caller stops at its next step and cleans up in its `finally`. */
  signal(): NodeJS.Signals | undefined;
  /** Stops watching; after an interrupt, ends the process as the signal would (the cleanup has run by then). */
  done(): void;
}

/**
 * Watches for SIGINT and SIGTERM while a diff worktree exists. A first signal stops `child()` (the compile of the
 * ref) and is remembered: the caller checks `signal()` after each step, throws, removes the worktree in its
 * `finally`, then calls `done()`, which ends the process with the signal. A second signal removes the worktree
 * `tree` (and `dir`) from the repository at `top` at once and ends the process.
 */
export function watchInterrupts(
  top: string,
  tree: string,
  dir: string,
  child: () => { kill(): void } | undefined,
): InterruptWatch {
  let received: NodeJS.Signals | undefined;
  const stop = () => {
    process.off("SIGINT", handler);
    process.off("SIGTERM", handler);
  };
  const handler = (signal: NodeJS.Signals) => {
    if (!received) {
      received = signal;
      try {
        child()?.kill();
      } catch {
        // already gone
      }
      return;
    }
    stop();
    for (const args of [
      ["worktree", "remove", "--force", "--force", tree],
      ["worktree", "prune"],
    ])
      try {
        execFileSync("git", ["-C", top, ...args], { stdio: "ignore" });
      } catch {
        // not registered (yet), or nothing to prune
      }
    removeFolder(dir);
    process.kill(process.pid, signal);
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return {
    signal: () => received,
    done: () => {
      stop();
      if (received) process.kill(process.pid, received);
    },
  };
}
