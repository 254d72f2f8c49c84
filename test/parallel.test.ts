import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { checkProject } from "../compiler/load.ts";
import {
  compile,
  compileLoaded,
  compileLoadedParallel,
  compileTargets,
  finishCompile,
  type Offload,
  type RemoteTarget,
} from "../compiler/compile.ts";
import { startCompile } from "../compiler/reuse.ts";
import { take } from "../compiler/work-queue.ts";
import { readTree } from "../compiler/emit/write.ts";
import { repoProject } from "./helpers/memory.ts";
import { cleanProjects, edit, makeProject, runCli } from "./helpers/project.ts";
import { SIZES, writeFleet } from "../bench/fleet.ts";
import {
  SMALL_BATCH_COMPONENTS,
  SMALL_NURSERY_MB,
  batchComponents,
  compileCacheBase,
  helperBoot,
  helperForBatch,
  helperLimits,
} from "../compiler/parallel.ts";

const dirs: string[] = [];
afterAll(() => {
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
  cleanProjects();
});

/**
 * An offload that builds in this thread, as a worker would, and hands back what a worker sends: it takes `count`
 * targets from the shared queue at once (before the main thread takes any), so the main thread gets the rest.
 */
const inline =
  (count: number): Offload =>
  (targets, _keys, queue) => {
    const out: RemoteTarget[] = [];
    for (let n = 0, i = take(queue, true); i !== undefined; i = ++n < count ? take(queue, true) : undefined) {
      const built = compileTargets([targets[i]]);
      for (const t of built.targets)
        out.push({
          id: t.target.id,
          objects: structuredClone(t.objects),
          waves: t.waves,
          files: [...built.files],
          findings: built.findings,
        });
    }
    return { run: Promise.resolve(out) };
  };

/** Compiles `root` again on one thread (rendered/ removed first) and expects the very files the two threads wrote. */
function expectRenderedAsOneThread(root: string): void {
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
}

describe("compiling on two threads", () => {
  it("gives the same files, in the same order, findings and counts as one thread, however many targets the helper takes, and falls back when it fails", async () => {
    const project = checkProject(structuredClone(await repoProject()));
    const one = compileLoaded(project);
    const failing: Offload = () => ({ run: Promise.reject(new Error("gone")) });
    for (const offload of [inline(0), inline(5), inline(1000), failing]) {
      const two = await compileLoadedParallel(project, { offload });
      expect([...two.files.entries()]).toEqual([...one.files.entries()]);
      expect(two.findings).toEqual(one.findings);
      const count = (r: typeof one) =>
        r.targets.reduce((n, t) => n + t.objects.length, 0) + r.elsewhere.reduce((n, t) => n + t.objects.length, 0);
      expect(count(two)).toBe(count(one));
    }
  });

  it("gives the batch to the helper when the cache lookup is done, before this thread builds; a failure in between is heard", async () => {
    const root = makeProject();
    const one = await compile({ root });
    const given: number[] = [];
    const recording: Offload = (targets, keys, queue) => {
      given.push(targets.length);
      return inline(3)(targets, keys, queue);
    };
    const started = await startCompile({ root, offload: recording });
    expect(given).toEqual([started.p.toBuild.length]); // given before finishCompile, all of it
    expect(started.p.toBuild.length).toBeGreaterThan(3);
    const two = await finishCompile(started);
    expect(given).toHaveLength(1); // asked once per compile
    expect(two.elsewhere.length).toBe(3); // the helper's three, from the batch's own queue
    expect([...two.files.entries()]).toEqual([...one.files.entries()]);
    expect(two.findings).toEqual(one.findings);
    // A helper failing while this thread is still busy (here: a whole macrotask later) is no unhandled rejection;
    // the targets are then all built here.
    const unheard: unknown[] = [];
    const listener = (reason: unknown) => unheard.push(reason);
    process.on("unhandledRejection", listener);
    try {
      const failing: Offload = () => ({ run: Promise.reject(new Error("gone")) });
      const late = await startCompile({ root, offload: failing });
      expect(late.shared).toBeDefined();
      await new Promise((next) => setTimeout(next, 10));
      const alone = await finishCompile(late);
      expect(alone.elsewhere).toEqual([]);
      expect([...alone.files.entries()]).toEqual([...one.files.entries()]);
    } finally {
      process.off("unhandledRejection", listener);
    }
    expect(unheard).toEqual([]);
  });

  it("the helper's boot enables the compile cache folder this thread reads, not a subfolder of it", () => {
    const base = mkdtempSync(join(tmpdir(), "manifold-compile-cache-"));
    dirs.push(base);
    // A Node with a compile cache of its own choosing (or none) would not report `base`'s subfolder.
    const env = { ...process.env };
    delete env.NODE_COMPILE_CACHE;
    delete env.NODE_DISABLE_COMPILE_CACHE;
    const node = (script: string) => execFileSync(process.execPath, ["-e", script], { encoding: "utf8", env }).trim();
    const enable = `const m = require("node:module"); m.enableCompileCache(${JSON.stringify(base)});`;
    const mainDir = node(`${enable} console.log(m.getCompileCacheDir());`);
    expect(mainDir.startsWith(`${base}/`)).toBe(true); // Node reports its per-version subfolder
    expect(compileCacheBase(mainDir)).toBe(base);
    // A worker started with helperBoot for that folder reports the very same one.
    const probe = join(base, "probe.mjs");
    writeFileSync(
      probe,
      `import m from "node:module"; import { parentPort } from "node:worker_threads"; parentPort.postMessage(m.getCompileCacheDir());`,
    );
    const boot = helperBoot(mainDir, pathToFileURL(probe).href);
    const start = `const { Worker } = require("node:worker_threads"); new Worker(${JSON.stringify(boot)}, { eval: true }).once("message", (d) => { console.log(d); process.exit(0); });`;
    expect(node(`${enable} ${start}`)).toBe(mainDir);
  });

  it("the CLI's helper thread renders a ten-target fleet exactly as one thread does", () => {
    const root = mkdtempSync(join(tmpdir(), "manifold-threads-"));
    dirs.push(root);
    writeFleet(root, SIZES[0]);
    const run = runCli(root, ["compile", "--no-cache", "--timings"]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain('"wait":'); // the main thread waited on its helper
    // each rule's time, on a line of its own, summed over both threads: every rule that ran on any target is there
    const rules = JSON.parse(/^rules: (\{.*\})$/m.exec(run.stderr)![1]) as Record<string, number>;
    expect(Object.keys(rules)).toEqual(expect.arrayContaining(["schema", "unknown-fields", "reachability", "waivers"]));
    expect(Object.values(rules).every((ms) => Number.isInteger(ms) && ms >= 0)).toBe(true);
    expect(/^timings: (.*)$/m.exec(run.stderr)![1]).not.toContain("rule:");
    expect(run.stderr).toMatch(/compiled 10 targets, \d+ objects/);
    expectRenderedAsOneThread(root);
  });

  const small = { maxYoungGenerationSizeMb: SMALL_NURSERY_MB };
  it.each([
    [undefined, small],
    [1, small],
    [228, small],
    [SMALL_BATCH_COMPONENTS, small],
    [SMALL_BATCH_COMPONENTS + 1, undefined],
    [14_000, undefined],
  ])("a helper for a batch of %s components gets the heap limits %j", (components, limits) => {
    expect(helperLimits(components)).toEqual(limits);
  });

  it("a small batch keeps the helper started early; a big one ends it and gets a helper sized for it", () => {
    const made: (number | undefined)[] = [];
    const ended: string[] = [];
    const helper = (name: string) => ({ name, terminate: () => void ended.push(name) });
    const start = (components: number) => (made.push(components), helper(`new ${components}`));
    expect(helperForBatch(helper("early"), SMALL_BATCH_COMPONENTS, start)?.name).toBe("early");
    expect([made, ended]).toEqual([[], []]);
    expect(helperForBatch(helper("early"), SMALL_BATCH_COMPONENTS + 1, start)?.name).toBe(
      `new ${SMALL_BATCH_COMPONENTS + 1}`,
    );
    expect([made, ended]).toEqual([[SMALL_BATCH_COMPONENTS + 1], ["early"]]);
    expect(helperForBatch(undefined, 5, start)?.name).toBe("new 5");
    expect(helperForBatch(undefined, 5, () => undefined)).toBeUndefined();
    const batch = [{ components: { api: {}, db: {} } }, { components: { api: {} } }, { components: {} }];
    expect(batchComponents(batch as unknown as Parameters<typeof batchComponents>[0])).toBe(3);
  });

  it("the CLI builds a fleet of more than SMALL_BATCH_COMPONENTS components on two threads, with no error", () => {
    const root = mkdtempSync(join(tmpdir(), "manifold-threads-"));
    dirs.push(root);
    // 20 targets of 150 services and two stores each (3,040 components), on a helper with V8's own heap sizes (the
    // early one, sized small, ended); the threads' output is compared with one thread's for a small fleet above
    const size = { label: "big", platforms: 1, environments: 4, regions: 5, services: 150 };
    writeFleet(root, size);
    const run = runCli(root, ["compile", "--no-cache", "--timings"]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain('"wait":'); // the main thread shared the targets with a helper
    expect(run.stderr).not.toMatch(/helper|\n\s+at /);
    expect(run.stderr).toMatch(/compiled 20 targets, \d+ objects/);
  });

  it("the CLI reports a blocking finding in a target the helper took as one thread does, with no stack trace", () => {
    // ossa is the last platform, so its targets are at the back of the queue, where the helper takes from
    const root = makeProject();
    edit(
      root,
      "platforms/ossa.ts",
      'env: { COLLECTOR_ZIPKIN_HOST_PORT: ":9411",',
      'env: { API_PASSWORD: "Zx9!kq2LmP0wRt7vYb", COLLECTOR_ZIPKIN_HOST_PORT: ":9411",',
    );
    const threaded = runCli(root, ["compile", "--no-cache"]);
    process.env.MANIFOLD_NO_THREADS = "1";
    let single: ReturnType<typeof runCli>;
    try {
      single = runCli(root, ["compile", "--no-cache"]);
    } finally {
      delete process.env.MANIFOLD_NO_THREADS;
    }
    expect(single.status).toBe(1);
    expect(single.stderr).toContain("no-plaintext-secret: Deployment/ossa-jaeger");
    expect(threaded.status).toBe(1);
    expect(threaded.stderr).not.toMatch(/helper failed|\n\s+at /);
    expect(threaded.stderr).toBe(single.stderr);
  });
});
