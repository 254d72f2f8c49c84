/**
 * Git access for publish and diff, through simple-git. simple-git strips
 * `GIT_*` variables from the child environment unless they are named, and
 * refuses explicitly passed variables that could run other programs (EDITOR,
 * PAGER, GIT_SSH_COMMAND, …), so only the few this project sets (a temporary
 * index, a fallback identity) are allowed and passed.
 */
import { simpleGit, type SimpleGit } from "simple-git";
import { ManifoldError } from "./errors.ts";

const ALLOWED_ENV = [
  "GIT_INDEX_FILE",
  "GIT_AUTHOR_NAME",
  "GIT_AUTHOR_EMAIL",
  "GIT_COMMITTER_NAME",
  "GIT_COMMITTER_EMAIL",
  "GIT_TERMINAL_PROMPT",
];

/** Variables simple-git refuses when passed explicitly (they name programs to run). */
const UNSAFE = new Set(["EDITOR", "VISUAL", "PAGER", "PREFIX", "SSH_ASKPASS"]);

/** A simple-git client for `dir`, optionally with extra environment variables for the git child processes. */
export function openGit(dir: string, env?: Record<string, string>): SimpleGit {
  const git = simpleGit({ baseDir: dir, allowEnvironment: ALLOWED_ENV });
  if (!env) return git;
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !k.toUpperCase().startsWith("GIT_") && !UNSAFE.has(k.toUpperCase())) base[k] = v;
  for (const k of ALLOWED_ENV) if (process.env[k] !== undefined) base[k] = process.env[k]!;
  return git.env({ ...base, ...env });
}

/** The commit a ref names, or undefined when it names none. */
export async function resolveCommit(git: SimpleGit, ref: string): Promise<string | undefined> {
  const out = (await git.raw(["rev-parse", "--verify", "-q", `${ref}^{commit}`])).trim();
  return out || undefined;
}

/** The top folder of the repository that holds `dir`; a ManifoldError when there is none. */
export async function repoTop(dir: string): Promise<string> {
  try {
    return (await openGit(dir).raw(["rev-parse", "--show-toplevel"])).trim();
  } catch {
    throw new ManifoldError(`${dir} is not inside a git repository`);
  }
}

/** True when commit `a` is `b` or one of its ancestors (both must exist locally). */
export async function isAncestor(git: SimpleGit, a: string, b: string): Promise<boolean> {
  if (a === b) return true;
  const base = (await git.raw(["merge-base", a, b])).trim();
  return base === a;
}

/** A remote URL without any user name, password or token in it, so it can be written into a commit. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, "$1");
}
