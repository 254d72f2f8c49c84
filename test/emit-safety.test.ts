import { afterAll, describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { CLI, cleanProjects, cliEnv, makeProject, REPO, runCli } from "./helpers/project.ts";
import { readTree } from "../compiler/emit/write.ts";

afterAll(cleanProjects);

function cli(cwd: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: "utf8", env: cliEnv(env) });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function cliAsync(cwd: string, args: string[]): Promise<{ status: number; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: cliEnv() });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += String(d)));
    child.on("close", (code) => done({ status: code ?? -1, stderr }));
  });
}

function writeLock(root: string, pid: number): string {
  mkdirSync(join(root, ".manifold-cache"), { recursive: true });
  const since = "2026-01-02T03:04:05.000Z";
  writeFileSync(
    join(root, ".manifold-cache/lock"),
    JSON.stringify({ pid, command: "manifold compile --platform ossa", since, host: hostname() }),
  );
  return since;
}

const repoTree = () => readTree(join(REPO, "rendered"));

describe("the lock: one compile writes at a time", () => {
  it("says who holds the lock (pid, command, since when) when the wait runs out, and writes nothing", () => {
    const root = makeProject({ rendered: true });
    const before = readTree(join(root, "rendered"));
    const since = writeLock(root, process.pid);
    const r = cli(root, ["compile"], { MANIFOLD_LOCK_TIMEOUT: "0" });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `pid ${process.pid} (manifold compile --platform ossa) on ${hostname()}, since ${since}`,
    );
    expect(r.stderr).toContain(join(root, ".manifold-cache/lock"));
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(readTree(join(root, "rendered"))).toEqual(before);
  });

  it("takes over a lock left by a process that is gone, and releases it", () => {
    const root = makeProject({ rendered: true });
    const gone = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    writeLock(root, Number(gone.stdout));
    const r = cli(root, ["compile"], { MANIFOLD_LOCK_TIMEOUT: "0" });
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(root, ".manifold-cache/lock"))).toBe(false);
  });

  it("two compiles at once into a fresh folder both succeed, the tree is whole, and nothing is left beside it", async () => {
    const root = makeProject();
    const [a, b] = await Promise.all([cliAsync(root, ["compile"]), cliAsync(root, ["compile"])]);
    expect(a.status, a.stderr).toBe(0);
    expect(b.status, b.stderr).toBe(0);
    expect(readTree(join(root, "rendered"))).toEqual(repoTree());
    expect(readdirSync(root).filter((f) => f.includes(".tmp-") || f.startsWith("rendered."))).toEqual([]);
    expect(readdirSync(join(root, ".manifold-cache")).filter((f) => f.startsWith("lock"))).toEqual([]);
  });
});

describe("compile reports its whole wall time", () => {
  it("the 'in N ms' of a compile includes writing the files", () => {
    const root = makeProject();
    const r = cli(root, ["compile", "--timings", "--no-cache"]);
    expect(r.status, r.stderr).toBe(0);
    const timings = JSON.parse(/timings: (\{.*\})/.exec(r.stderr)![1]) as Record<string, number>;
    const ms = Number(/ in (\d+) ms;/.exec(r.stderr)![1]);
    expect(timings.emit).toBeGreaterThan(0);
    expect(ms).toBeGreaterThanOrEqual(timings.load + timings.emit);
  });
});

describe("stray files in platforms/ and the removal of whole target folders", () => {
  it("warns about a platform file that is not .ts and refuses to prune its platform without --allow-removal", () => {
    const root = makeProject({ rendered: true });
    renameSync(join(root, "platforms/multi-agent.ts"), join(root, "platforms/multi-agent.ts.bak"));
    writeFileSync(join(root, "platforms/shop.yaml"), "name: shop\n");
    const before = readTree(join(root, "rendered"));
    const refused = runCli(root, ["compile"]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("warning: platforms/multi-agent.ts.bak: ignored: only .ts, .mts, .js and .mjs");
    expect(refused.stderr).toContain("warning: platforms/shop.yaml: ignored");
    expect(refused.stderr).toMatch(
      /error: platforms\/: this compile would remove \d+ whole target folder\(s\) from rendered\/ \(rendered\/dev\/us-west-2\/multi-agent\/, /,
    );
    expect(refused.stderr).toContain("--allow-removal");
    expect(readTree(join(root, "rendered"))).toEqual(before);

    const allowed = runCli(root, ["compile", "--allow-removal"]);
    expect(allowed.status, allowed.stderr).toBe(0);
    const after = [...readTree(join(root, "rendered")).keys()];
    expect(after.some((p) => p.split("/")[2] === "multi-agent")).toBe(false);
    expect(after.length).toBeGreaterThan(0);
  });

  it("a filtered compile, or one that removes single files, needs no --allow-removal", () => {
    const root = makeProject({ rendered: true });
    const r = runCli(root, ["compile", "--platform", "ossa"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toContain("warning:");
  });
});

describe("an interrupted write is finished by the next run", () => {
  it("a committed journal is replayed before rendered/ is read, and the stage is gone afterwards", () => {
    const root = makeProject({ rendered: true });
    const work = join(root, ".manifold-cache/emit-rendered");
    mkdirSync(join(work, "staging/dev/us-west-2/ossa"), { recursive: true });
    const readme = "dev/us-west-2/ossa/README.md";
    const original = readFileSync(join(root, "rendered", readme), "utf8");
    writeFileSync(join(work, "staging", readme), original + "\nchanged\n");
    const removed = [...readTree(join(root, "rendered")).keys()].find((p) => p.startsWith("staging/"))!;
    writeFileSync(join(work, "journal.json"), JSON.stringify({ moves: [readme], removals: [removed] }));
    // --check finishes the write first, then finds the tree stale (the journal's content is not what compiles)
    const check = runCli(root, ["compile", "--check"]);
    expect(check.status).toBe(1);
    expect(check.stdout.split("\n").sort().filter(Boolean)).toEqual([
      `added    rendered/${removed}`,
      `changed  rendered/${readme}`,
    ]);
    expect(existsSync(join(work, "journal.json"))).toBe(false);
    expect(existsSync(join(work, "staging"))).toBe(false);
    expect(runCli(root, ["compile"]).status).toBe(0);
    expect(readTree(join(root, "rendered"))).toEqual(repoTree());
  });

  it("a stage without a journal is discarded: the tree stays the old one", () => {
    const root = makeProject({ rendered: true });
    const work = join(root, ".manifold-cache/emit-rendered");
    mkdirSync(join(work, "staging/dev"), { recursive: true });
    writeFileSync(join(work, "staging/dev/half-written.yaml"), "kind: Conf");
    const check = runCli(root, ["compile", "--check"]);
    expect(check.status, check.stdout).toBe(0);
    expect(existsSync(join(work, "staging"))).toBe(false);
  });
});
