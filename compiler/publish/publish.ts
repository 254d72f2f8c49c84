/**
 * `manifold publish`: put the current `rendered/` on the rendered-manifests
 * branch, with provenance, through git plumbing only (the user's index, HEAD
 * and working tree are never touched). With `push`, the remote's branch is
 * the truth: fetch it, build on it, push without force, and when the remote
 * moved meanwhile, fetch and re-apply on top, a bounded number of times.
 */
import type { SimpleGit } from "simple-git";
import { ManifoldError } from "../errors.ts";
import { openGit, repoTop } from "../git.ts";
import { assertNotCheckedOut, fetchRemoteTip, localTip, moveLocal, pushBranch, setLocal } from "./branch.ts";
import { planStep, type Step } from "./commit.ts";
import { assertClean, assertFresh, readSource, remoteUrl, type SourceCommit } from "./source.ts";
import { commandLine, withLock } from "../emit/lock.ts";

export interface PublishOptions {
  /** The project folder (it holds `rendered/`). */
  root: string;
  branch?: string;
  remote?: string;
  push?: boolean;
  /** How many times to fetch and re-apply when the remote moves (default 5). */
  attempts?: number;
  /** Progress lines. */
  log?: (line: string) => void;
}

export type PublishOutcome = "committed" | "unchanged" | "newer-on-branch";

export interface PublishResult {
  outcome: PublishOutcome;
  branch: string;
  /** The source commit published. */
  source: string;
  /** The branch's tip afterwards (undefined when it still does not exist). */
  tip?: string;
  /** The source commit the branch already held, when it was newer or the same. */
  tipSource?: string;
  pushed: boolean;
  attempts: number;
  /** One line saying what happened. */
  message: string;
}

const DEFAULT_BRANCH = "rendered-manifests";

/** One publish run: what it publishes, where, and how it reports. */
interface Run {
  top: string;
  git: SimpleGit;
  source: SourceCommit;
  branch: string;
  remote: string;
  attempts: number;
  log: (line: string) => void;
}

/**
 * Publishes `rendered/` to the branch (and the remote with `push`), holding the project's lock: no compile changes
 * rendered/ between the freshness check and the commit. Refusals are ManifoldErrors; nothing is written then.
 */
export async function publish(options: PublishOptions): Promise<PublishResult> {
  return withLock(options.root, commandLine(), async () => {
    const run = await prepare(options);
    return options.push ? publishAndPush(run) : publishLocally(run);
  });
}

/** Checks everything a publish needs before it writes anything, and reads the source commit. */
async function prepare(options: PublishOptions): Promise<Run> {
  const branch = options.branch ?? DEFAULT_BRANCH;
  const remote = options.remote ?? "origin";
  const log = options.log ?? (() => {});
  const top = await repoTop(options.root);
  const git = openGit(top);
  const prefix = (await openGit(options.root).raw(["rev-parse", "--show-prefix"])).trim();
  if ((await git.raw(["check-ref-format", "--branch", branch]).catch(() => "")).trim() !== branch)
    throw new ManifoldError(`"${branch}" is not a valid branch name`);
  await assertClean(git);
  await assertNotCheckedOut(git, branch);
  if (options.push && !(await remoteUrl(git, remote)))
    throw new ManifoldError(`publish --push: there is no remote "${remote}"; name one with --remote`);
  const source = await readSource(git, top, remote, prefix);
  log("checking that the committed rendered/ is up to date");
  await assertFresh(options.root, git, source.renderedTree);
  return { top, git, source, branch, remote, attempts: Math.max(1, options.attempts ?? 5), log };
}

/** What a publish did, with the line that says so. */
function outcome(run: Run, step: Step, tip: string | undefined, pushed: boolean, attempts: number): PublishResult {
  const { branch, source, remote } = run;
  const short = source.sha.slice(0, 12);
  const base = { branch, source: source.sha, tip, tipSource: step.tipSource, pushed, attempts };
  if (step.kind === "newer")
    return {
      ...base,
      outcome: "newer-on-branch",
      message: `nothing to do: ${branch} already holds ${step.tipSource.slice(0, 12)}, which is newer than (or contains) ${short}`,
    };
  if (step.kind === "unchanged")
    return {
      ...base,
      outcome: "unchanged",
      message: `nothing to do: ${branch} already holds the rendered tree of ${short}${pushed ? " (pushed)" : ""}`,
    };
  return {
    ...base,
    outcome: "committed",
    message: `published ${short} to ${branch} as ${step.commit.slice(0, 12)}${pushed ? ` and pushed to ${remote}` : ""}${step.diverged ? ` (note: the previous publish came from ${step.tipSource?.slice(0, 12)}, which is not an ancestor of ${short})` : ""}`,
  };
}

/** Commits on the local branch, re-applying when the branch moves meanwhile. */
async function publishLocally(run: Run): Promise<PublishResult> {
  const { top, git, source, branch, attempts, log } = run;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const tip = await localTip(git, branch);
    const step = await planStep(top, git, source, tip, async () => {});
    if (step.kind !== "commit") return outcome(run, step, tip, false, attempt);
    if (await moveLocal(git, branch, step.commit, tip)) return outcome(run, step, step.commit, false, attempt);
    log(`${branch} moved while publishing; re-applying (attempt ${attempt + 1})`);
  }
  throw new ManifoldError(`publish gave up: ${branch} kept moving for ${attempts} attempts`);
}

/** Builds on the remote's branch and pushes without force, fetching and re-applying when the remote moves. */
async function publishAndPush(run: Run): Promise<PublishResult> {
  const { top, git, source, branch, remote, attempts, log } = run;
  const fetchAll = async () => {
    log(`fetching ${remote} to compare source commits`);
    await git.raw(["fetch", "--no-tags", remote]);
  };
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const remoteTip = await fetchRemoteTip(git, remote, branch);
    const tip = remoteTip ?? (await localTip(git, branch));
    const step = await planStep(top, git, source, tip, fetchAll);
    if (step.kind !== "commit") {
      if (remoteTip) await setLocal(git, branch, remoteTip);
      else if (tip) {
        // The remote lacks the branch but we have it: publish what we have.
        const pushed = await pushBranch(git, remote, branch, tip);
        if (pushed.kind !== "refused") return outcome(run, step, tip, true, attempt);
        if (!(await fetchRemoteTip(git, remote, branch)))
          throw new ManifoldError(`publish: the push to ${remote} failed: ${pushed.complaint}`);
        continue;
      }
      return outcome(run, step, tip, false, attempt);
    }
    const pushed = await pushBranch(git, remote, branch, step.commit);
    if (pushed.kind !== "refused") {
      await setLocal(git, branch, step.commit);
      // Another publisher pushed the very same commit (same tree, parent, message and second) first.
      if (pushed.kind === "up-to-date")
        return outcome(run, { kind: "unchanged", tipSource: source.sha }, step.commit, false, attempt);
      return outcome(run, step, step.commit, true, attempt);
    }
    await afterRefusedPush(run, remoteTip, pushed.complaint, attempt);
  }
  throw new ManifoldError(`publish gave up: ${remote}/${branch} kept moving for ${attempts} attempts; run it again`);
}

/** A refused push: an error when the remote did not move (something else is wrong), else a short pause to retry. */
async function afterRefusedPush(
  run: Run,
  remoteTip: string | undefined,
  complaint: string,
  attempt: number,
): Promise<void> {
  const { git, branch, remote, attempts, log } = run;
  const now =
    (await git.raw(["ls-remote", "--heads", remote, `refs/heads/${branch}`])).trim().split(/\s/)[0] || undefined;
  if (now === remoteTip) throw new ManifoldError(`publish: the push to ${remote} failed: ${complaint}`);
  log(`${remote}/${branch} moved while publishing; fetching and re-applying (attempt ${attempt + 1} of ${attempts})`);
  await new Promise((r) => setTimeout(r, 50 * attempt + Math.floor(Math.random() * 100)));
}
