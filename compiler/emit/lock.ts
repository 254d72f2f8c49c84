/**
 * One writer at a time: `compile` (and `publish`) hold `.manifold-cache/lock`
 * while they read and write `rendered/`. The lock file says who holds it (pid,
 * command, since when, host). A second run waits for it, a bounded time
 * (`MANIFOLD_LOCK_TIMEOUT` seconds, default 60), then stops with an error
 * that names the holder. A lock whose process is gone is taken over.
 */
import { hostname } from "node:os";
import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { ManifoldError } from "../errors.ts";
import { ignoredWorkDir } from "./work-dir.ts";
import { STDERR, writeTo } from "../stdio.ts";

/** Who holds a lock. */
export interface LockOwner {
  pid: number;
  command: string;
  since: string;
  host: string;
}

/** Roots whose lock this process holds, with how many nested holders. */
const held = new Map<string, number>();

/** The lock file of a project. */
export function lockPath(root: string): string {
  return join(root, ".manifold-cache", "lock");
}

function readOwner(path: string): LockOwner | undefined {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as LockOwner;
  } catch {
    return undefined;
  }
}

/** True when the owner is a process that still runs (on another host, it is assumed to). */
export function alive(owner: Pick<LockOwner, "pid" | "host">): boolean {
  if (owner.host !== hostname()) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Creates the lock atomically (a complete file linked into place); false when someone holds it. */
function tryCreate(path: string, owner: LockOwner): boolean {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(owner) + "\n");
  try {
    linkSync(tmp, path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw e;
  } finally {
    unlinkSync(tmp);
  }
}

/** Moves a dead owner's lock aside; puts it back if, meanwhile, it had become a live owner's. */
function takeOver(path: string, stale: LockOwner): void {
  const aside = `${path}.stale-${process.pid}`;
  try {
    renameSync(path, aside);
  } catch {
    return;
  }
  const moved = readOwner(aside);
  if (moved && (moved.pid !== stale.pid || moved.since !== stale.since)) {
    try {
      linkSync(aside, path);
    } catch {
      // a third run took the free lock meanwhile; the owner we moved keeps running without it
    }
  }
  unlinkSync(aside);
}

function describeOwner(o: LockOwner): string {
  return `pid ${o.pid} (${o.command}) on ${o.host}, since ${o.since}`;
}

/** The command this process runs, as the lock shows it to a second run. */
export function commandLine(): string {
  return ["manifold", ...process.argv.slice(2)].join(" ");
}

/**
 * Runs `fn` holding the project's lock. Waits (bounded) while a live process holds it, takes over the lock of a
 * dead one, and throws a ManifoldError naming the holder when the wait runs out. Nested calls in one process share it.
 */
export function withLock<T>(root: string, command: string, fn: () => T): T {
  const path = lockPath(root);
  if (held.has(path)) {
    held.set(path, held.get(path)! + 1);
    try {
      return fn();
    } finally {
      held.set(path, held.get(path)! - 1);
    }
  }
  acquire(root, path, command);
  held.set(path, 1);
  const release = () => {
    held.delete(path);
    if (readOwner(path)?.pid === process.pid) unlinkSync(path);
  };
  let result: T;
  try {
    result = fn();
  } catch (e) {
    release();
    throw e;
  }
  if (result instanceof Promise) return result.finally(release) as T;
  release();
  return result;
}

function acquire(root: string, path: string, command: string): void {
  mkdirSync(ignoredWorkDir(join(root, ".manifold-cache")), { recursive: true });
  const owner: LockOwner = { pid: process.pid, command, since: new Date().toISOString(), host: hostname() };
  const timeout = Number(process.env.MANIFOLD_LOCK_TIMEOUT ?? 60) * 1000;
  const start = Date.now();
  let said = false;
  for (;;) {
    if (tryCreate(path, owner)) return;
    const other = readOwner(path);
    if (other && !alive(other)) {
      takeOver(path, other);
      continue;
    }
    if (Date.now() - start >= timeout) {
      const who = other ? describeOwner(other) : "a run that is still writing the lock file";
      throw new ManifoldError(
        `another manifold run holds the lock on ${relative(root, path) || path}: ${who}; waited ${Math.round(timeout / 1000)} s. ` +
          `Wait for it to finish, or, if no such process runs, delete ${path}`,
      );
    }
    if (!said && other) {
      writeTo(STDERR, `manifold: waiting for the lock held by ${describeOwner(other)}\n`);
      said = true;
    }
    sleep(100);
  }
}
