/**
 * Real git repositories in temp folders for publish and diff tests: a committed copy of this project, clones and bare
 * remotes.
 */
import { mkdtempSync, symlinkSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { makeProject, REPO } from "./project.ts";

const made: string[] = [];

/** Runs git in `cwd` and returns its trimmed stdout; throws with stderr when git fails. */
export function git(cwd: string, ...args: string[]): string {
  const r = spawnSync("git", args, {
    cwd,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "Test",
      GIT_AUTHOR_EMAIL: "test@example.com",
      GIT_COMMITTER_NAME: "Test",
      GIT_COMMITTER_EMAIL: "test@example.com",
    },
  });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")} failed in ${cwd}: ${r.stderr}`);
  return r.stdout.trim();
}

/**
 * A temp copy of this project (descriptions, rendered/, the compiler linked in) committed as the first commit of
 * `main`.
 */
export function makeRepo(files: Record<string, string | null> = {}): string {
  const root = makeProject({ rendered: true, files: { ".gitignore": "node_modules\n", ...files } });
  git(root, "init", "-q", "-b", "main");
  git(root, "add", "-A");
  git(root, "commit", "-q", "-m", "Initial descriptions");
  return root;
}

/** A bare repository to push to. */
export function makeBare(): string {
  const dir = mkdtempSync(join(tmpdir(), "manifold-remote-"));
  made.push(dir);
  git(dir, "init", "-q", "--bare", "-b", "main");
  return dir;
}

/** A clone of `remote` with node_modules linked in, ready to compile and publish. */
export function makeClone(remote: string): string {
  const dir = mkdtempSync(join(tmpdir(), "manifold-clone-"));
  made.push(dir);
  git(dir, "clone", "-q", remote, ".");
  git(dir, "config", "user.name", "Test");
  git(dir, "config", "user.email", "test@example.com");
  if (!existsSync(join(dir, "node_modules"))) symlinkSync(join(REPO, "node_modules"), join(dir, "node_modules"));
  return dir;
}

/** Commits everything in `root` and returns the new commit. */
export function commitAll(root: string, message: string): string {
  git(root, "add", "-A");
  git(root, "commit", "-q", "-m", message);
  return git(root, "rev-parse", "HEAD");
}

/** Temp folders made by this helper, for cleanup. */
export function gitTempDirs(): string[] {
  return made.splice(0);
}
