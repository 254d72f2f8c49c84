/**
 * Deciding what one publish does on top of a given branch tip, and making
 * the commit: nothing when the tip already holds this source or a newer
 * one, nothing when the rendered files are the same, otherwise one commit
 * whose parent is the tip (an orphan root commit the first time).
 */
import type { SimpleGit } from "simple-git";
import { ManifoldError } from "../errors.ts";
import { isAncestor, openGit, resolveCommit } from "../git.ts";
import { commitMessage, sourceCommitOf } from "./message.ts";
import type { SourceCommit } from "./source.ts";
import { sameContent, writeBranchTree } from "./tree.ts";
import { listTree } from "./list-tree.ts";

export type Step =
  | { kind: "newer"; tipSource: string }
  | { kind: "unchanged"; tipSource?: string }
  | { kind: "commit"; commit: string; tipSource?: string; diverged: boolean };

async function identity(git: SimpleGit): Promise<Record<string, string>> {
  const name = (await git.raw(["config", "--get", "user.name"])).trim();
  const email = (await git.raw(["config", "--get", "user.email"])).trim();
  const env: Record<string, string> = {};
  if (!name) Object.assign(env, { GIT_AUTHOR_NAME: "Manifold", GIT_COMMITTER_NAME: "Manifold" });
  if (!email) Object.assign(env, { GIT_AUTHOR_EMAIL: "manifold@localhost", GIT_COMMITTER_EMAIL: "manifold@localhost" });
  return env;
}

/**
 * What publishing `source` on top of `tip` means. `fetchMissing` is asked to
 * bring in the tip's source commit when this clone lacks it (a newer commit
 * pushed by someone else); the ancestry check needs it.
 */
export async function planStep(
  top: string,
  git: SimpleGit,
  source: SourceCommit,
  tip: string | undefined,
  fetchMissing: () => Promise<void>,
): Promise<Step> {
  let tipSource: string | undefined;
  let diverged = false;
  if (tip) {
    tipSource = await sourceCommitOf(git, tip);
    if (tipSource === source.sha) return { kind: "unchanged", tipSource };
    if (tipSource) {
      if (!(await resolveCommit(git, tipSource))) await fetchMissing();
      if (!(await resolveCommit(git, tipSource))) {
        throw new ManifoldError(
          `publish refused: the branch was last published from ${tipSource.slice(0, 12)}, which this clone does not have, so it cannot tell which is newer; fetch the full history (CI: fetch-depth 0) and retry`,
        );
      }
      if (await isAncestor(git, source.sha, tipSource)) return { kind: "newer", tipSource };
      diverged = !(await isAncestor(git, tipSource, source.sha));
    }
  }
  const rendered = await listTree(git, source.renderedTree);
  const previous = tip ? await listTree(git, tip) : undefined;
  if (previous && sameContent(previous, rendered)) return { kind: "unchanged", tipSource };
  const tree = await writeBranchTree(top, source, rendered, previous);
  const env = await identity(git);
  const committer = Object.keys(env).length ? openGit(top, env) : git;
  const commit = (
    await committer.raw(["commit-tree", tree, ...(tip ? ["-p", tip] : []), "-m", commitMessage(source)])
  ).trim();
  return { kind: "commit", commit, tipSource, diverged };
}
