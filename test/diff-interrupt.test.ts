import { afterAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLI, cleanProjects, edit, runCli } from "./helpers/project.ts";
import { git, gitTempDirs, makeRepo } from "./helpers/git.ts";

afterAll(() => {
  cleanProjects();
  for (const d of gitTempDirs()) rmSync(d, { recursive: true, force: true });
});

/** The worktrees registered in `repo` besides its own checkout. */
function extraWorktrees(repo: string): string[] {
  return git(repo, "worktree", "list", "--porcelain")
    .split("\n")
    .filter((l) => l.startsWith("worktree "))
    .map((l) => l.slice("worktree ".length))
    .slice(1);
}

/**
 * Starts `manifold diff --base HEAD`, waits until its temporary worktree is registered, sends `signal`, waits for the
 * end. SIGKILL goes to the diff's whole process group, as a cancelled CI job or a terminal's kill of the job ends it:
 * its `git worktree add`, or the compile of the ref, dies with it instead of writing on. (A kill of the diff alone
 * leaves them running; the next run then removes what it can and leaves the rest for a later run.)
 */
async function interruptDiff(repo: string, signal: NodeJS.Signals): Promise<{ worktree: string; code: number | null }> {
  const child = spawn(process.execPath, [CLI, "diff", "--base", "HEAD"], {
    cwd: repo,
    stdio: "ignore",
    detached: signal === "SIGKILL", // its own process group, to be killed whole
  });
  const ended = new Promise<number | null>((done) => child.on("close", (code, sig) => done(code ?? (sig ? -1 : null))));
  let worktree: string | undefined;
  for (let i = 0; i < 2000 && !worktree; i++) {
    worktree = extraWorktrees(repo)[0];
    if (!worktree) await new Promise((r) => setTimeout(r, 25));
  }
  expect(worktree, "the diff never registered its worktree").toBeDefined();
  if (signal === "SIGKILL") process.kill(-child.pid!, signal);
  else child.kill(signal);
  return { worktree: worktree!, code: await ended };
}

describe("an interrupted manifold diff leaves no worktree registered", () => {
  it.each(["SIGINT", "SIGTERM"] as const)(
    "%s removes the temporary worktree before the process ends",
    async (signal) => {
      const repo = makeRepo();
      edit(repo, "platforms/ossa.ts", `agentService("gateway", 5, 50,`, `agentService("gateway", 5, 60,`);
      const { worktree, code } = await interruptDiff(repo, signal);
      expect(code).not.toBe(0);
      expect(extraWorktrees(repo)).toEqual([]);
      expect(existsSync(worktree)).toBe(false);
      expect(git(repo, "status", "--porcelain")).toBe("M platforms/ossa.ts");
    },
  );

  it("the next run removes a dead run's worktree that git left locked (killed during the checkout), and its bare folder", () => {
    const repo = makeRepo();
    const dead =
      (existsSync("/proc/sys/kernel/pid_max") ? Number(readFileSync("/proc/sys/kernel/pid_max", "utf8")) : 4194304) + 1;
    const dir = mkdtempSync(join(tmpdir(), `manifold-diff-${dead}-`));
    const tree = join(dir, "tree");
    git(repo, "worktree", "add", "--detach", tree, "HEAD");
    git(repo, "worktree", "lock", "--reason", "initializing", tree);
    expect(extraWorktrees(repo)).toHaveLength(1);
    // and a folder of a run killed before git registered its worktree
    const unregistered = mkdtempSync(join(tmpdir(), `manifold-diff-${dead}-`));
    const next = runCli(repo, ["diff", "--base", "HEAD", "--format", "text"]);
    expect(next.status, next.stderr).toBe(0);
    expect(extraWorktrees(repo)).toEqual([]);
    expect(existsSync(dir)).toBe(false);
    expect(existsSync(unregistered)).toBe(false);
  });

  it("a diff killed outright (SIGKILL) leaves one, and the next run removes it", async () => {
    const repo = makeRepo();
    edit(repo, "platforms/ossa.ts", `agentService("gateway", 5, 50,`, `agentService("gateway", 5, 60,`);
    const { worktree } = await interruptDiff(repo, "SIGKILL");
    expect(extraWorktrees(repo)).toEqual([worktree]);
    const next = runCli(repo, ["diff", "--base", "HEAD", "--format", "text"]);
    expect(next.status, next.stderr).toBe(0);
    expect(extraWorktrees(repo)).toEqual([]);
    expect(existsSync(worktree)).toBe(false);
  });
});
