/**
 * Rendering one side of a diff. A ref is checked out into a temporary git
 * worktree under the OS temp folder (never the user's checkout), this
 * project's node_modules is linked in, and the ref's own compiler renders it
 * there, so a change to the compiler shows in the diff too. The working
 * tree is compiled in memory; nothing is written.
 */
import { execFile } from "node:child_process";
import { PACKAGE_ROOT } from "../version.ts";
import { existsSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compile } from "../compile.ts";
import { ManifoldError } from "../errors.ts";
import { readTree } from "../emit/write.ts";
import { openGit, repoTop, resolveCommit } from "../git.ts";

export interface RenderedSide {
  /** What the side is called in the report: the ref, or "working tree". */
  label: string;
  ref?: string;
  commit?: string;
  /** Rendered files keyed by path relative to `rendered/`. */
  files: Map<string, string>;
}

const OWN_CLI = join(PACKAGE_ROOT, "bin/manifold.js");

function run(cli: string, cwd: string): Promise<{ code: number; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [cli, "compile", "--root", cwd],
      { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: "1" } },
      (error, _stdout, stderr) => {
        done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stderr: String(stderr) });
      },
    );
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

/**
 * Checks `ref` out into a temporary git worktree (this project's node_modules linked in), runs `fn` on the
 * project folder inside it and its commit, then removes the worktree.
 */
export async function withCheckout<T>(
  root: string,
  ref: string,
  fn: (project: string, commit: string) => Promise<T>,
): Promise<T> {
  const top = await repoTop(root);
  const git = openGit(top);
  const commit = await resolveCommit(git, ref);
  if (!commit) throw new ManifoldError(`diff: "${ref}" names no commit in ${top}`);
  const prefix = (await openGit(root).raw(["rev-parse", "--show-prefix"])).trim();
  const dir = mkdtempSync(join(tmpdir(), "manifold-diff-"));
  const tree = join(dir, "tree");
  try {
    await git.raw(["worktree", "add", "--detach", "--force", tree, commit]);
    const project = join(tree, prefix);
    const modules = join(root, "node_modules");
    if (existsSync(modules) && !existsSync(join(project, "node_modules")))
      symlinkSync(realpathSync(modules), join(project, "node_modules"), "dir");
    return await fn(project, commit);
  } finally {
    // Removes the folder and git's record of it; only this worktree is touched.
    await git.raw(["worktree", "remove", "--force", tree]).catch(() => "");
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Checks `ref` out into a temporary worktree, compiles it there with its own compiler and reads its rendered tree. */
export async function renderRef(root: string, ref: string): Promise<RenderedSide> {
  return withCheckout(root, ref, async (project, commit) => {
    const cli = existsSync(join(project, "bin/manifold.js")) ? join(project, "bin/manifold.js") : OWN_CLI;
    const { code, stderr } = await run(cli, project);
    if (code !== 0) {
      const why = stderr.trim().split("\n").slice(-5).join("; ");
      throw new ManifoldError(`diff: ${ref} (${commit.slice(0, 12)}) does not compile: ${why}`);
    }
    return { label: ref, ref, commit, files: readTree(join(project, "rendered")) };
  });
}
