import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkProject } from "../compiler/load.ts";
import { compileLoaded, compileLoadedParallel, compileTargets, type Offload } from "../compiler/compile.ts";
import { readTree } from "../compiler/emit/write.ts";
import { repoProject } from "./helpers/memory.ts";
import { runCli } from "./helpers/project.ts";
import { SIZES, writeFleet } from "../bench/fleet.ts";

const dirs: string[] = [];
afterAll(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** An offload that builds its batch in this thread, as a worker would, and hands back what a worker sends. */
const inline: Offload = (targets) => ({
  run: Promise.resolve().then(() => {
    const built = compileTargets(targets);
    return {
      files: [...built.files],
      findings: built.findings,
      targets: built.targets.map((t) => ({ id: t.target.id, objects: structuredClone(t.objects), waves: t.waves })),
    };
  }),
});

describe("compiling on two threads", () => {
  it("gives the same files, findings and counts as one thread, and falls back when the helper fails", async () => {
    const project = checkProject(structuredClone(await repoProject()));
    const one = compileLoaded(project);
    for (const offload of [inline, (() => ({ run: Promise.reject(new Error("gone")) })) as Offload]) {
      const two = await compileLoadedParallel(project, { offload });
      expect([...two.files.entries()].sort()).toEqual([...one.files.entries()].sort());
      expect(two.findings).toEqual(one.findings);
      const count = (r: typeof one) =>
        r.targets.reduce((n, t) => n + t.objects.length, 0) + r.elsewhere.reduce((n, t) => n + t.objects.length, 0);
      expect(count(two)).toBe(count(one));
    }
  });

  it("the CLI's helper thread renders a ten-target fleet exactly as one thread does", () => {
    const root = mkdtempSync(join(tmpdir(), "manifold-threads-"));
    dirs.push(root);
    writeFleet(root, SIZES[0]);
    const run = runCli(root, ["compile", "--no-cache", "--timings"]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain('"wait":'); // the main thread waited on its helper
    expect(run.stderr).toMatch(/compiled 10 targets, \d+ objects/);
    const threaded = readTree(join(root, "rendered"));
    rmSync(join(root, "rendered"), { recursive: true });
    process.env.MANIFOLD_NO_THREADS = "1";
    try {
      const single = runCli(root, ["compile", "--no-cache"]);
      expect(single.status, single.stderr).toBe(0);
    } finally {
      delete process.env.MANIFOLD_NO_THREADS;
    }
    expect(readTree(join(root, "rendered"))).toEqual(threaded);
  });
});
