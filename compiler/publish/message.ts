/**
 * The publish commit's message: a subject naming the source commit, a body,
 * and trailers (`Source-Commit`, `Source-Repo`, `Manifold-Version`) that
 * `git interpret-trailers` and `git log --format=%(trailers)` read back.
 */
import type { SimpleGit } from "simple-git";
import { COMPILER_VERSION } from "../version.ts";
import type { SourceCommit } from "./source.ts";

/** The message of the commit that publishes `source`. */
export function commitMessage(source: SourceCommit): string {
  return [
    `Render ${source.sha.slice(0, 12)}: ${source.subject}`,
    "",
    `Manifold ${COMPILER_VERSION} rendered commit ${source.sha} of ${source.repoUrl}.`,
    "The tree is rendered/ of that commit, plus hydrator.metadata provenance files.",
    "",
    `Source-Commit: ${source.sha}`,
    `Source-Repo: ${source.repoUrl}`,
    `Manifold-Version: ${COMPILER_VERSION}`,
    "",
  ].join("\n");
}

/** The `Source-Commit` trailer of a commit, if it has one. */
export async function sourceCommitOf(git: SimpleGit, commit: string): Promise<string | undefined> {
  const out = (
    await git.raw(["log", "-1", "--format=%(trailers:key=Source-Commit,valueonly,separator=%x00)", commit])
  ).trim();
  const sha = out.split("\0")[0]?.trim();
  return sha && /^[0-9a-f]{40}$/.test(sha) ? sha : undefined;
}
