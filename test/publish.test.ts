import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chmodSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cleanProjects, edit, runCli } from "./helpers/project.ts";
import { commitAll, git, gitTempDirs, makeBare, makeClone, makeRepo } from "./helpers/git.ts";
import { publish } from "../compiler/publish/publish.ts";
import { readTree } from "../compiler/emit/write.ts";
import { stage } from "../compiler/emit/journal.ts";
import { compile } from "../compiler/compile.ts";
import { COMPILER_VERSION } from "../compiler/version.ts";
import { redactUrl } from "../compiler/git.ts";

const BRANCH = "rendered-manifests";
let repo: string;
let remote: string;

beforeAll(() => {
  repo = makeRepo();
  remote = makeBare();
  git(repo, "remote", "add", "origin", remote);
  git(repo, "push", "-q", "origin", "main");
});

afterAll(() => {
  cleanProjects();
  for (const d of gitTempDirs()) rmSync(d, { recursive: true, force: true });
});

/** Files on the branch (path → blob id), and the same for rendered/ on disk hashed byte for byte. */
function branchFiles(root: string, ref = BRANCH): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of git(root, "ls-tree", "-r", ref).split("\n")) {
    const [meta, path] = line.split("\t");
    out.set(path, meta.split(" ")[2]);
  }
  return out;
}
function renderedBlobs(root: string): Map<string, string> {
  const paths = [...readTree(join(root, "rendered")).keys()];
  const shas = git(join(root, "rendered"), "hash-object", "--no-filters", "--", ...paths).split("\n");
  return new Map(paths.map((p, i) => [p, shas[i]]));
}
function withoutMetadata(files: Map<string, string>): Map<string, string> {
  return new Map([...files].filter(([p]) => !p.endsWith("hydrator.metadata")));
}
function trailer(root: string, ref: string, key: string): string {
  return git(root, "log", "-1", `--format=%(trailers:key=${key},valueonly)`, ref);
}
function show(root: string, spec: string): string {
  return git(root, "show", spec);
}

describe("manifold publish", () => {
  it("first publish: an orphan branch whose tree is rendered/ byte for byte, plus provenance; the checkout is untouched", async () => {
    const head = git(repo, "rev-parse", "HEAD");
    const result = await publish({ root: repo });
    expect(result.outcome).toBe("committed");
    expect(git(repo, "rev-list", "--parents", "-n", "1", BRANCH)).toBe(result.tip);
    const files = branchFiles(repo);
    expect(withoutMetadata(files)).toEqual(renderedBlobs(repo));
    const metadata = [...files.keys()].filter((p) => p.endsWith("hydrator.metadata")).sort();
    const folders = [
      ...new Set(
        [...renderedBlobs(repo).keys()].filter((p) => p.endsWith(".yaml")).map((p) => p.slice(0, p.lastIndexOf("/"))),
      ),
    ];
    expect(metadata).toEqual(["hydrator.metadata", ...folders.map((f) => `${f}/hydrator.metadata`)].sort());
    const root = JSON.parse(show(repo, `${BRANCH}:hydrator.metadata`));
    expect(root).toMatchObject({
      drySha: head,
      repoURL: remote,
      subject: "Initial descriptions",
      author: "Test <test@example.com>",
    });
    expect(JSON.parse(show(repo, `${BRANCH}:production/us-west-2/ossa/hydrator.metadata`))).toEqual({
      repoURL: remote,
      drySha: head,
      commands: expect.arrayContaining(["npm ci", "npm run compile"]),
    });
    expect(git(repo, "log", "-1", "--format=%s", BRANCH)).toBe(`Render ${head.slice(0, 12)}: Initial descriptions`);
    expect(trailer(repo, BRANCH, "Source-Commit")).toBe(head);
    expect(trailer(repo, BRANCH, "Source-Repo")).toBe(remote);
    expect(trailer(repo, BRANCH, "Manifold-Version")).toBe(COMPILER_VERSION);
    expect(git(repo, "rev-parse", "HEAD")).toBe(head);
    expect(git(repo, "symbolic-ref", "HEAD")).toBe("refs/heads/main");
    expect(git(repo, "status", "--porcelain")).toBe("");
  });

  it("a second publish of the same commit makes no commit", async () => {
    const before = git(repo, "rev-parse", BRANCH);
    const result = await publish({ root: repo });
    expect(result.outcome).toBe("unchanged");
    expect(git(repo, "rev-parse", BRANCH)).toBe(before);
    expect(git(repo, "rev-list", "--count", BRANCH)).toBe("1");
  });

  it("a new commit that changes no rendered file makes no commit either, and --push sends the branch", async () => {
    writeFileSync(join(repo, "NOTES.md"), "notes\n");
    commitAll(repo, "Add notes");
    const result = await publish({ root: repo, push: true });
    expect(result.outcome).toBe("unchanged");
    expect(result.pushed).toBe(true);
    expect(git(remote, "rev-parse", BRANCH)).toBe(git(repo, "rev-parse", BRANCH));
    expect(git(repo, "rev-list", "--count", BRANCH)).toBe("1");
  });

  it("refuses a dirty working tree: exit 1, one clear message, nothing written", () => {
    const before = git(repo, "rev-parse", BRANCH);
    writeFileSync(join(repo, "scratch.txt"), "x\n");
    const run = runCli(repo, ["publish"]);
    rmSync(join(repo, "scratch.txt"));
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(
      "error: publish refused: the working tree is dirty (1 change(s): scratch.txt); commit or stash first, so the branch names a commit that really produced it",
    );
    expect(git(repo, "rev-parse", BRANCH)).toBe(before);
  });

  it("a target that disappears from rendered/ disappears from the branch; unchanged folders keep their provenance", () => {
    const first = trailer(repo, BRANCH, "Source-Commit");
    edit(
      repo,
      "environments/production.ts",
      `regions: ["us-west-2", "us-east-1", "eu-west-1"]`,
      `regions: ["us-west-2", "us-east-1"]`,
    );
    // an add-on's per-cluster values must name a cluster that still exists
    edit(
      repo,
      "addons/external-dns.ts",
      `    "production/eu-west-1": { values: { txtOwnerId: "production-eu-west-1" } },\n`,
      "",
    );
    const compiled = runCli(repo, ["compile", "--allow-removal"]);
    expect(compiled.status, compiled.stderr).toBe(0); // the removal of eu-west-1 is intended
    const source = commitAll(repo, "Leave eu-west-1");
    const run = runCli(repo, ["publish"]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain(`published ${source.slice(0, 12)} to ${BRANCH}`);
    const files = branchFiles(repo);
    expect([...files.keys()].some((p) => p.startsWith("production/eu-west-1/"))).toBe(false);
    expect(withoutMetadata(files)).toEqual(renderedBlobs(repo));
    expect(git(repo, "rev-list", "--count", BRANCH)).toBe("2");
    expect(JSON.parse(show(repo, `${BRANCH}:hydrator.metadata`)).drySha).toBe(source);
    expect(JSON.parse(show(repo, `${BRANCH}:dev/us-west-2/ossa/hydrator.metadata`)).drySha).toBe(first);
  });
});

describe("publish refuses what it cannot do safely", () => {
  it("a remote that does not exist, with --push", async () => {
    await expect(publish({ root: repo, push: true, remote: "upstream" })).rejects.toThrow(
      `publish --push: there is no remote "upstream"; name one with --remote`,
    );
  });

  it("a branch that a worktree has checked out", async () => {
    const clone = makeClone(remote);
    const elsewhere = join(clone, "..", `${clone.split("/").pop()}-wt`);
    git(clone, "worktree", "add", "-q", elsewhere, `origin/${BRANCH}`, "-b", BRANCH);
    try {
      await expect(publish({ root: clone })).rejects.toThrow(`publish refused: the branch ${BRANCH} is checked out in`);
    } finally {
      git(clone, "worktree", "remove", "--force", elsewhere);
    }
  });
});

describe("publish refuses a stale rendered/ and a failing compile, writing nothing", () => {
  it.each([
    [
      "stale",
      (root: string) =>
        writeFileSync(join(root, "rendered/dev/us-west-2/ossa/configmap-ossa-config.yaml"), "edited: by hand\n"),
      "publish refused: the committed rendered/ is stale (1 file(s) differ from what the descriptions compile to, e.g. rendered/dev/us-west-2/ossa/configmap-ossa-config.yaml)",
    ],
    [
      "failing",
      (root: string) =>
        edit(root, "platforms/ossa.ts", `namespace: "ossa-platform",`, `namespace: "ossa-platform", colour: "blue",`),
      "publish refused: the compile fails",
    ],
  ])("%s", async (_name, breakIt, message) => {
    const clone = makeClone(remote);
    breakIt(clone);
    commitAll(clone, "Break it");
    await expect(publish({ root: clone })).rejects.toThrow(message);
    expect(git(clone, "branch", "--list", BRANCH)).toBe("");
  });
});

describe("publish checks the committed rendered/, the tree it publishes, not the disk", () => {
  it("a file .gitignore keeps out of the commit: refused, naming it", async () => {
    const clone = makeClone(remote);
    const kept = "dev/us-west-2/ossa/configmap-ossa-config.yaml";
    writeFileSync(join(clone, ".gitignore"), `rendered/${kept}\n`);
    git(clone, "rm", "-q", "--cached", `rendered/${kept}`);
    commitAll(clone, "Ignore a rendered file");
    expect(git(clone, "status", "--porcelain")).toBe("");
    expect(runCli(clone, ["compile", "--check"]).status).toBe(0);
    await expect(publish({ root: clone })).rejects.toThrow(
      `publish refused: the committed rendered/ is stale (1 file(s) differ from what the descriptions compile to, e.g. rendered/${kept}, which is on disk but not committed: does .gitignore exclude it?)`,
    );
    expect(git(clone, "branch", "--list", BRANCH)).toBe("");
  });

  it("a stale commit with an interrupted compile's journal waiting: refused, and the working tree untouched", async () => {
    const clone = makeClone(remote);
    edit(
      clone,
      "platforms/ossa.ts",
      'dev: { config: { NODE_ENV: "development" } },',
      'dev: { config: { NODE_ENV: "dev" } },',
    );
    commitAll(clone, "A description change committed without compiling");
    // the compile that would have made rendered/ fresh, stopped once its journal was committed
    const result = await compile({ root: clone });
    const dir = join(clone, "rendered");
    const onDisk = readTree(dir);
    const changed = [...result.files].filter(([path, text]) => onDisk.get(path) !== text);
    expect(changed.length).toBeGreaterThan(0);
    stage(dir, changed, { moves: changed.map(([path]) => path), removals: [] });
    expect(git(clone, "status", "--porcelain")).toBe("");
    await expect(publish({ root: clone })).rejects.toThrow("publish refused: the committed rendered/ is stale");
    expect(git(clone, "status", "--porcelain")).toBe("");
    expect(git(clone, "branch", "--list", BRANCH)).toBe("");
  });
});

describe("two publishers racing for the remote", () => {
  it("the loser fetches and re-applies on top; an older source never overwrites a newer one", async () => {
    // A commits S2 and pushes main; B starts from S2 and commits S3.
    const a = makeClone(remote);
    edit(a, "platforms/ossa.ts", `agentService("gateway", 5, 50,`, `agentService("gateway", 5, 60,`);
    expect(runCli(a, ["compile"]).status).toBe(0);
    const s2 = commitAll(a, "Gateway up to 60");
    git(a, "push", "-q", "origin", "main");
    const b = makeClone(remote);
    edit(b, "platforms/ossa.ts", `agentService("mcp-bridge-agent", 6, 80,`, `agentService("mcp-bridge-agent", 6, 90,`);
    expect(runCli(b, ["compile"]).status).toBe(0);
    const s3 = commitAll(b, "MCP agents up to 90");
    git(b, "push", "-q", "origin", "main");
    const p1 = git(remote, "rev-parse", BRANCH);

    // A publishes S2 locally; B's pre-push hook pushes A's commit first, so the remote moves under B.
    git(a, "fetch", "-q", "origin", `${BRANCH}:${BRANCH}`);
    const mine = await publish({ root: a });
    expect(mine.outcome).toBe("committed");
    const hook = join(b, ".git/hooks/pre-push");
    writeFileSync(
      hook,
      `#!/bin/sh\nfor v in $(env | sed -n 's/^\\(GIT_[A-Z_]*\\)=.*/\\1/p'); do unset $v; done\n[ -f "${hook}.done" ] && exit 0\ntouch "${hook}.done"\ngit -C "${a}" push -q origin ${BRANCH}:${BRANCH}\n`,
    );
    chmodSync(hook, 0o755);
    const result = await publish({ root: b, push: true });
    expect(result.outcome).toBe("committed");
    expect(result.attempts).toBe(2);
    const tip = git(remote, "rev-parse", BRANCH);
    expect(tip).toBe(result.tip);
    expect(git(remote, "log", "--format=%(trailers:key=Source-Commit,valueonly)", BRANCH).split(/\n+/)).toEqual([
      s3,
      s2,
      trailer(repo, p1, "Source-Commit"),
    ]);
    expect(git(remote, "rev-parse", `${BRANCH}~1`)).toBe(mine.tip);
    expect(withoutMetadata(branchFiles(b))).toEqual(renderedBlobs(b));

    // A, with the older S2, now tries to push: the branch already holds S3, a descendant, so nothing happens.
    const late = await publish({ root: a, push: true });
    expect(late.outcome).toBe("newer-on-branch");
    expect(late.message).toContain(
      `already holds ${s3.slice(0, 12)}, which is newer than (or contains) ${s2.slice(0, 12)}`,
    );
    expect(git(remote, "rev-parse", BRANCH)).toBe(tip);
  });
});

describe("two publishers at once", () => {
  it("two clones of the same new commit publishing concurrently make exactly one commit", async () => {
    const writer = makeClone(remote);
    edit(writer, "platforms/ossa.ts", `agentService("coordination", 3, 10,`, `agentService("coordination", 3, 12,`);
    expect(runCli(writer, ["compile"]).status).toBe(0);
    const source = commitAll(writer, "Coordination up to 12");
    git(writer, "push", "-q", "origin", "main");
    const count = () =>
      git(remote, "branch", "--list", BRANCH) ? Number(git(remote, "rev-list", "--count", BRANCH)) : 0;
    const before = count();
    const [c, d] = [makeClone(remote), makeClone(remote)];
    const results = await Promise.all([publish({ root: c, push: true }), publish({ root: d, push: true })]);
    expect(results.map((r) => r.outcome).sort()).toEqual(["committed", "unchanged"]);
    expect(count()).toBe(before + 1);
    expect(trailer(remote, BRANCH, "Source-Commit")).toBe(source);
    expect(withoutMetadata(branchFiles(remote))).toEqual(renderedBlobs(c));
  });
});

describe("Source-Repo never carries credentials", () => {
  it.each([
    [
      "https://oauth2:glpat-secret@gitlab.example.com/team/platforms.git",
      "https://gitlab.example.com/team/platforms.git",
    ],
    ["https://x-access-token:ghs_abc@github.com/org/repo", "https://github.com/org/repo"],
    ["https://github.com/org/repo.git", "https://github.com/org/repo.git"],
    ["git@github.com:org/repo.git", "git@github.com:org/repo.git"],
    ["ssh://git@host:22/org/repo.git", "ssh://host:22/org/repo.git"],
    ["/srv/git/repo.git", "/srv/git/repo.git"],
  ])("%s → %s", (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });
});
