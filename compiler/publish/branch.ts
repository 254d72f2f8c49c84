/**
 * The publish branch, locally and on the remote: where its tip is, whether
 * a user has it checked out, and moving it without ever forcing.
 */
import type { SimpleGit } from "simple-git";
import { ManifoldError } from "../errors.ts";
import { resolveCommit } from "../git.ts";

const ZERO = "0".repeat(40);

/** The local branch's tip, if the branch exists. */
export function localTip(git: SimpleGit, branch: string): Promise<string | undefined> {
  return resolveCommit(git, `refs/heads/${branch}`);
}

/** Refuses when a worktree of this repository has the branch checked out: moving it would change someone's files. */
export async function assertNotCheckedOut(git: SimpleGit, branch: string): Promise<void> {
  const list = await git.raw(["worktree", "list", "--porcelain"]);
  for (const block of list.split("\n\n")) {
    if (block.split("\n").includes(`branch refs/heads/${branch}`)) {
      const path = block.split("\n")[0].replace(/^worktree /, "");
      throw new ManifoldError(
        `publish refused: the branch ${branch} is checked out in ${path}; publish never touches a checkout`,
      );
    }
  }
}

/**
 * Moves the local branch from `old` (undefined: it must not exist yet) to `next`; false when someone moved it
 * meanwhile.
 */
export async function moveLocal(
  git: SimpleGit,
  branch: string,
  next: string,
  old: string | undefined,
): Promise<boolean> {
  try {
    await git.raw(["update-ref", "-m", "manifold publish", `refs/heads/${branch}`, next, old ?? ZERO]);
    return true;
  } catch {
    return false;
  }
}

/** Points the local branch at `next`, whatever it held: the remote's branch is the truth once pushed. */
export async function setLocal(git: SimpleGit, branch: string, next: string): Promise<void> {
  await git.raw(["update-ref", "-m", "manifold publish", `refs/heads/${branch}`, next]);
}

/**
 * The remote's tip of the branch (fetched, so its objects are local), or undefined when the remote has no such branch.
 */
export async function fetchRemoteTip(git: SimpleGit, remote: string, branch: string): Promise<string | undefined> {
  const line = (await git.raw(["ls-remote", "--heads", remote, `refs/heads/${branch}`])).trim();
  if (!line) return undefined;
  await git.raw(["fetch", "--no-tags", remote, `+refs/heads/${branch}:refs/remotes/${remote}/${branch}`]);
  return resolveCommit(git, `refs/remotes/${remote}/${branch}`);
}

/**
 * What a push did: updated the branch, found it already there (an identical commit), or was refused (git's complaint).
 */
export type PushOutcome = { kind: "pushed" } | { kind: "up-to-date" } | { kind: "refused"; complaint: string };

/** Pushes `commit` as the remote's branch, never forcing. */
export async function pushBranch(git: SimpleGit, remote: string, branch: string, commit: string): Promise<PushOutcome> {
  try {
    const out = await git.raw(["push", "--porcelain", remote, `${commit}:refs/heads/${branch}`]);
    await git.raw(["update-ref", `refs/remotes/${remote}/${branch}`, commit]);
    return out.split("\n").some((l) => l.startsWith("=\t")) ? { kind: "up-to-date" } : { kind: "pushed" };
  } catch (e) {
    return { kind: "refused", complaint: (e as Error).message.trim() };
  }
}
