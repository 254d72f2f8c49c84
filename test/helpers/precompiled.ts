/** Running the precompiled CLI (dist/) in the tests: building it, and listing what a compile's main thread loads. */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { CLI, REPO, cliEnv } from "./project.ts";

/** Builds dist/ when it is missing or stale (the CLI builds it on its first run), for a suite's beforeAll. */
export function buildDist(): void {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.MANIFOLD_NO_PRECOMPILE;
  const r = spawnSync(process.execPath, [CLI, "--help"], { cwd: REPO, encoding: "utf8", env });
  expect(r.status, r.stderr).toBe(0);
}

/**
 * Runs `compile --check` on the bundle in `root` (nothing cached), on one thread or on two, with `extra` in its
 * environment, and lists the built-ins the main thread loaded (process.moduleLoadList at its exit, recorded by a
 * --require hook).
 */
export function checkListingBuiltIns(
  root: string,
  oneThread: boolean,
  extra: NodeJS.ProcessEnv = {},
): { r: SpawnSyncReturns<string>; loaded: string[] } {
  const list = join(root, "built-ins.txt");
  const hook = join(root, "record-built-ins.cjs");
  writeFileSync(
    hook,
    // the list is taken before the hook itself loads node:worker_threads to tell the main thread
    [
      `process.on("exit", () => {`,
      `  const loaded = process.moduleLoadList.join("\\n");`,
      `  if (require("node:worker_threads").isMainThread) require("node:fs").writeFileSync(${JSON.stringify(list)}, loaded);`,
      `});`,
    ].join("\n"),
  );
  const env = cliEnv(extra);
  if (oneThread) env.MANIFOLD_NO_THREADS = "1";
  else delete env.MANIFOLD_NO_THREADS;
  delete env.MANIFOLD_NO_PRECOMPILE;
  const r = spawnSync(process.execPath, ["--require", hook, CLI, "compile", "--check"], {
    cwd: root,
    encoding: "utf8",
    env,
  });
  return { r, loaded: r.status === 0 ? readFileSync(list, "utf8").split("\n") : [] };
}
