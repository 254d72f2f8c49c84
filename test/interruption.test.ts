/**
 * A property test of the rendered tree under interruption: a real
 * `manifold compile` is killed (SIGKILL mostly, SIGINT and SIGTERM too) at a
 * random moment of its run, then the next run reads rendered/. Whatever the
 * moment, rendered/ must read as entirely the old tree or entirely the new one,
 * byte for byte, and after the next full compile `git status` shows exactly
 * the difference between the two trees, never debris. Seeded, bounded.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { CLI, cleanProjects, cliEnv, edit, runCli } from "./helpers/project.ts";
import { git, gitTempDirs, makeRepo } from "./helpers/git.ts";
import { readTree } from "../compiler/emit/write.ts";

const SEED = 14;
const ITERATIONS = Number(process.env.MANIFOLD_FUZZ_ITERATIONS ?? 6);

/** A small seeded generator (mulberry32): the same kill moments on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let repo: string;
let descriptions: { old: Map<string, string | null>; new: Map<string, string | null> };
let trees: { old: Map<string, string>; new: Map<string, string> };
let statusAfterNew: string;
let fullRun: number;

const rendered = () => join(repo, "rendered");

function setDescriptions(which: Map<string, string | null>): void {
  for (const [path, content] of which)
    if (content === null) rmSync(join(repo, path), { force: true });
    else writeFileSync(join(repo, path), content);
}

function setTree(tree: Map<string, string>): void {
  rmSync(rendered(), { recursive: true, force: true });
  for (const [path, content] of tree) {
    mkdirSync(dirname(join(rendered(), path)), { recursive: true });
    writeFileSync(join(rendered(), path), content);
  }
}

/** Runs a compile and kills it with `signal` after `ms` (or lets it finish first). */
function compileKilledAfter(ms: number, signal: NodeJS.Signals): Promise<void> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, "compile", "--allow-removal"], {
      cwd: repo,
      stdio: "ignore",
      env: cliEnv(),
    });
    const timer = setTimeout(() => child.kill(signal), ms);
    child.on("close", () => {
      clearTimeout(timer);
      done();
    });
  });
}

beforeAll(() => {
  // The old state is the committed one; the new one changes a version everywhere in ossa and drops multi-agent.
  repo = makeRepo();
  const ossa = "platforms/ossa.ts";
  const agents = "platforms/multi-agent.ts";
  const oldOssa = readFileSync(join(repo, ossa), "utf8");
  const oldAgents = readFileSync(join(repo, agents), "utf8");
  edit(repo, ossa, "OSSA_VERSION: VERSION,", 'OSSA_VERSION: "0.1.9",');
  edit(repo, ossa, 'agentService("discovery", 5, 30,', 'agentService("discovery", 6, 30,');
  descriptions = {
    old: new Map([
      [ossa, oldOssa],
      [agents, oldAgents],
    ]),
    new: new Map([
      [ossa, readFileSync(join(repo, ossa), "utf8")],
      [agents, null],
    ]),
  };
  setDescriptions(descriptions.new);
  const old = readTree(rendered());
  const start = performance.now();
  const first = runCli(repo, ["compile", "--allow-removal"]);
  fullRun = performance.now() - start;
  expect(first.status, first.stderr).toBe(0);
  trees = { old, new: readTree(rendered()) };
  statusAfterNew = git(repo, "status", "--porcelain", "--untracked-files=all");
  expect(statusAfterNew).toContain(" D rendered/dev/us-west-2/multi-agent/");
  expect(statusAfterNew).not.toContain(".manifold-cache");
}, 300_000);

afterAll(() => {
  cleanProjects();
  for (const d of gitTempDirs()) rmSync(d, { recursive: true, force: true });
});

describe("a compile killed at any moment leaves rendered/ whole", () => {
  it(`old or new, byte for byte, and a clean git status after the next run (${ITERATIONS} seeded kills)`, async () => {
    const next = random(SEED);
    const seen = { old: 0, new: 0 };
    for (let i = 0; i < ITERATIONS; i++) {
      const forward = next() < 0.5;
      const [from, to] = forward ? (["old", "new"] as const) : (["new", "old"] as const);
      setDescriptions(descriptions[to]);
      setTree(trees[from]);
      const roll = next();
      const signal: NodeJS.Signals = roll < 0.7 ? "SIGKILL" : roll < 0.85 ? "SIGINT" : "SIGTERM";
      const delay = Math.round(next() * fullRun * 1.1);
      await compileKilledAfter(delay, signal);

      // The next run finishes or discards the interrupted write before it reads rendered/.
      runCli(repo, ["compile", "--check"]);
      const now = readTree(rendered());
      const whole = now.size === trees[from].size && [...now].every(([p, c]) => trees[from].get(p) === c);
      const done = now.size === trees[to].size && [...now].every(([p, c]) => trees[to].get(p) === c);
      expect(whole || done, `kill ${i} (${signal} after ${delay} ms, ${from} -> ${to}) left a mixed tree`).toBe(true);
      seen[whole ? "old" : "new"]++;

      const after = runCli(repo, ["compile", "--allow-removal"]);
      expect(after.status, after.stderr).toBe(0);
      expect(readTree(rendered())).toEqual(trees[to]);
      expect(git(repo, "status", "--porcelain", "--untracked-files=all")).toBe(forward ? statusAfterNew : "");
    }
    expect(seen.old + seen.new).toBe(ITERATIONS);
  }, 900_000);
});
