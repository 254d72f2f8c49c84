/**
 * Cleaning up the temporary worktrees of `manifold diff`: on SIGINT or SIGTERM
 * while one exists (watchInterrupts), and, for a run that was killed outright (SIGKILL), on the
 * next run, which removes the worktrees of diff runs that are gone. Worktree
 * folders are named `manifold-diff-<pid>-…` so a later run can tell whose
 * they were.
 */
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { basename, dirname } from "node:path";
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

/** Removes the worktrees that diff runs which are no longer running left registered in the repository of `git`. */
export async function pruneLeftovers(git: SimpleGit): Promise<string[]> {
  await git.raw(["worktree", "prune"]).catch(() => "");
  const list = await git.raw(["worktree", "list", "--porcelain"]).catch(() => "");
  const removed: string[] = [];
  for (const line of list.split("\n")) {
    if (!line.startsWith("worktree ")) continue;
    const path = line.slice("worktree ".length);
    const m = /^manifold-diff-(\d+)-/.exec(basename(dirname(path)));
    if (!m || basename(path) !== "tree" || Number(m[1]) === process.pid || alive(Number(m[1]))) continue;
    await git.raw(["worktree", "remove", "--force", path]).catch(() => "");
    rmSync(dirname(path), { recursive: true, force: true });
    removed.push(path);
  }
  await git.raw(["worktree", "prune"]).catch(() => "");
  return removed;
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
    rmSync(dir, { recursive: true, force: true });
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
