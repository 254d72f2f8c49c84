/**
 * The source side of a publish: the commit `rendered/` comes from, where the
 * repository lives, and the refusals that protect the branch (a dirty
 * working tree, a stale `rendered/`, a failing compile).
 */
import type { SimpleGit } from "simple-git";
import { ManifoldError } from "../errors.ts";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { compile } from "../compile.ts";
import { diffCommitted } from "./committed.ts";
import { isEmptyDiff } from "../emit/write.ts";
import { redactUrl, resolveCommit } from "../git.ts";

export interface SourceCommit {
  sha: string;
  subject: string;
  body: string;
  /** `Name <email>` of the source commit's author. */
  author: string;
  /** The source commit's author date, ISO 8601 with its offset. */
  date: string;
  /** Where the source lives: the remote's URL without credentials, or the repository's path. */
  repoUrl: string;
  /** The tree of `rendered/` in the source commit. */
  renderedTree: string;
}

/** Refuses (ManifoldError) when the working tree has uncommitted or untracked changes. */
export async function assertClean(git: SimpleGit): Promise<void> {
  const status = (await git.raw(["status", "--porcelain", "--untracked-files=all"])).trimEnd();
  if (!status) return;
  const lines = status.split("\n");
  const shown = lines
    .slice(0, 5)
    .map((l) => l.slice(3))
    .join(", ");
  throw new ManifoldError(
    `publish refused: the working tree is dirty (${lines.length} change(s): ${shown}${lines.length > 5 ? ", …" : ""}); commit or stash first, so the branch names a commit that really produced it`,
  );
}

/**
 * Refuses (ManifoldError) when the compile fails or the source commit's `rendered/` (the tree `renderedTree`, what
 * the branch gets) differs from what the descriptions compile to. The disk is not read: the commit is what is
 * published (committed.ts).
 */
export async function assertFresh(root: string, git: SimpleGit, renderedTree: string): Promise<void> {
  let result;
  try {
    result = await compile({ root });
  } catch (e) {
    if (e instanceof ManifoldError)
      throw new ManifoldError(`publish refused: the compile fails: ${e.format()}`, {}, e.others);
    throw e;
  }
  const diff = await diffCommitted(git, renderedTree, result.files);
  if (!isEmptyDiff(diff)) {
    const n = diff.added.length + diff.changed.length + diff.removed.length;
    const first = [...diff.added, ...diff.changed, ...diff.removed][0];
    const ignored = diff.added.length > 0 && existsSync(join(root, "rendered", diff.added[0]));
    throw new ManifoldError(
      `publish refused: the committed rendered/ is stale (${n} file(s) differ from what the descriptions compile to, e.g. rendered/${first}${ignored ? ", which is on disk but not committed: does .gitignore exclude it?" : ""}); run 'npm run compile' and commit rendered/`,
    );
  }
}

/** The URL a remote fetches from, without credentials; undefined when there is no such remote. */
export async function remoteUrl(git: SimpleGit, remote: string): Promise<string | undefined> {
  const remotes = (await git.raw(["remote"])).split("\n").map((s) => s.trim());
  if (!remotes.includes(remote)) return undefined;
  const url = (await git.raw(["remote", "get-url", remote])).trim();
  return url ? redactUrl(url) : undefined;
}

/**
 * Reads the source commit (HEAD) and the tree of its `rendered/` (`prefix` is the project folder inside the
 * repository).
 */
export async function readSource(git: SimpleGit, top: string, remote: string, prefix = ""): Promise<SourceCommit> {
  const sha = await resolveCommit(git, "HEAD");
  if (!sha) throw new ManifoldError("publish refused: the repository has no commit yet");
  const renderedTree = (await git.raw(["rev-parse", "--verify", "-q", `${sha}:${prefix}rendered`])).trim();
  if (!renderedTree)
    throw new ManifoldError(
      `publish refused: rendered/ is not committed in ${sha.slice(0, 12)}; run 'npm run compile' and commit rendered/`,
    );
  const [subject, author, date, ...body] = (
    await git.raw(["show", "-s", "--format=%s%n%an <%ae>%n%aI%n%b", sha])
  ).split("\n");
  return {
    sha,
    subject,
    author,
    date,
    body: body.join("\n").trim(),
    repoUrl: (await remoteUrl(git, remote)) ?? top,
    renderedTree,
  };
}
