/**
 * Rendering one side of a diff. A ref is checked out into a temporary git
 * worktree under the OS temp folder (never the user's checkout), this
 * project's node_modules is linked in, and the ref's own compiler renders it
 * there, so a change to the compiler shows in the diff too. The working
 * tree is compiled in memory; nothing is written. An interrupt (SIGINT,
 * SIGTERM) removes the worktree before the process ends, and each run first
 * removes worktrees that killed runs left behind (cleanup.ts).
 */
import { execFile, type ChildProcess } from "node:child_process";
import { PACKAGE_ROOT } from "../version.ts";
import { existsSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compile } from "../compile.ts";
import { ManifoldError } from "../errors.ts";
import { readTree } from "../emit/write.ts";
import { openGit, repoTop, resolveCommit } from "../git.ts";
import { beginCheckout, removeFolder, watchInterrupts, worktreePrefix } from "./cleanup.ts";

export interface RenderedSide {
  /** What the side is called in the report: the ref, or "working tree". */
  label: string;
  ref?: string;
  commit?: string;
  /** Rendered files keyed by path relative to `rendered/`. */
  files: Map<string, string>;
}

const OWN_CLI = join(PACKAGE_ROOT, "bin/manifold.js");

function run(
  cli: string,
  cwd: string,
  started: (child: ChildProcess) => void,
): Promise<{ code: number; stderr: string }> {
  return new Promise((done) => {
    const child = execFile(
      process.execPath,
      [cli, "compile", "--root", cwd],
      { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: "1" } },
      (error, _stdout, stderr) => {
        done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stderr: String(stderr) });
      },
    );
    started(child);
  });
}

/** Renders the working tree's descriptions in memory. */
export async function renderWorkingTree(root: string): Promise<RenderedSide> {
  try {
    const result = await compile({ root });
    return { label: "working tree", files: result.files };
  } catch (e) {
    if (e instanceof ManifoldError)
      throw new ManifoldError(`diff: the working tree does not compile: ${e.format()}`, {}, e.others);
    throw e;
  }
}

/** What a checkout tells the work done inside it: the child process to stop on a signal, and whether one came. */
export interface CheckoutRun {
  /** Registers the child process a signal must stop. */
  setChild(child: ChildProcess): void;
  /** Throws once SIGINT or SIGTERM has arrived. */
  interrupted(): void;
}

/**
 * Checks `ref` out into a temporary git worktree (this project's node_modules linked in), runs `fn` on the
 * project folder inside it and its commit, then removes the worktree: also on SIGINT and SIGTERM, and leftovers of
 * earlier runs that died are pruned first.
 */
export async function withCheckout<T>(
  root: string,
  ref: string,
  fn: (project: string, commit: string, run: CheckoutRun) => Promise<T>,
): Promise<T> {
  const top = await repoTop(root);
  const git = openGit(top);
  const commit = await resolveCommit(git, ref);
  if (!commit) throw new ManifoldError(`diff: "${ref}" names no commit in ${top}`);
  const prefix = (await openGit(root).raw(["rev-parse", "--show-prefix"])).trim();
  const checkout = await beginCheckout(git, top);
  let dir: string;
  try {
    dir = mkdtempSync(join(tmpdir(), worktreePrefix()));
  } catch (e) {
    checkout.end(true);
    throw e;
  }
  const tree = join(dir, "tree");
  let child: ChildProcess | undefined;
  const watch = watchInterrupts(top, tree, dir, () => child);
  const run: CheckoutRun = {
    setChild: (c) => (child = c),
    interrupted: () => {
      const signal = watch.signal();
      if (signal) throw new ManifoldError(`diff: interrupted (${signal})`);
    },
  };
  try {
    await git.raw(["worktree", "add", "--detach", "--force", tree, commit]);
    run.interrupted();
    const project = join(tree, prefix);
    const modules = join(root, "node_modules");
    if (existsSync(modules) && !existsSync(join(project, "node_modules")))
      symlinkSync(realpathSync(modules), join(project, "node_modules"), "dir");
    return await fn(project, commit, run);
  } finally {
    // Removes the folder and git's record of it; only this worktree is touched. A prune only when a removal failed,
    // once no other checkout of this process is in progress (see beginCheckout).
    const removed = await git.raw(["worktree", "remove", "--force", "--force", tree]).then(
      () => true,
      () => false,
    );
    if (checkout.end(removed)) await git.raw(["worktree", "prune"]).catch(() => "");
    removeFolder(dir);
    watch.done();
  }
}

/** Why a compile failed, from its standard error: its error lines (not the warnings before them), else its last. */
function failureOf(stderr: string): string {
  const lines = stderr.trim().split("\n");
  const errors = lines.filter((line) => /^(error: |manifold: )/.test(line));
  return (errors.length ? errors : lines).slice(-5).join("; ");
}

/** Checks `ref` out into a temporary worktree, compiles it there with its own compiler and reads its rendered tree. */
export async function renderRef(root: string, ref: string): Promise<RenderedSide> {
  return withCheckout(root, ref, async (project, commit, checkout) => {
    const cli = existsSync(join(project, "bin/manifold.js")) ? join(project, "bin/manifold.js") : OWN_CLI;
    // What the ref's descriptions render, from scratch: its committed rendered/ (maybe stale, maybe holding a
    // platform since removed, which a compile would refuse to remove) plays no part.
    rmSync(join(project, "rendered"), { recursive: true, force: true });
    const { code, stderr } = await run(cli, project, (c) => checkout.setChild(c));
    checkout.interrupted();
    if (code !== 0)
      throw new ManifoldError(`diff: ${ref} (${commit.slice(0, 12)}) does not compile: ${failureOf(stderr)}`);
    return { label: ref, ref, commit, files: readTree(join(project, "rendered")) };
  });
}
