/**
 * The precompiled bundle (bin/precompile.mjs): every file a build writes opens with the source key it was built for,
 * so a build that finds another build's entry points beside its own (two builds of different sources at once)
 * withdraws the key instead of leaving them trusted under it.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { CLI, REPO } from "./helpers/project.ts";

const DIST = join(REPO, "dist");

beforeAll(() => {
  // builds dist/ when it is missing or stale
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.MANIFOLD_NO_PRECOMPILE;
  const r = spawnSync(process.execPath, [CLI, "--help"], { cwd: REPO, encoding: "utf8", env });
  expect(r.status, r.stderr).toBe(0);
});

describe("dist/", () => {
  it("has every entry point and every chunk it imports open with the key in dist/manifold.key", () => {
    const key = readFileSync(join(DIST, "manifold.key"), "utf8");
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    const line = `/* manifold source key ${key} */`;
    const entries = ["cli.mjs", "language.mjs", "manifold.mjs", "worker.mjs"];
    const files = new Set(entries);
    // the chunks the entry points import, and those they import in turn
    for (const file of files)
      for (const [, chunk] of readFileSync(join(DIST, file), "utf8").matchAll(/from\s*"\.\/(chunk-[^"]+\.mjs)"/g))
        files.add(chunk);
    expect(files.size).toBeGreaterThan(entries.length);
    for (const file of files) expect(readFileSync(join(DIST, file), "utf8").startsWith(line), file).toBe(true);
    expect(readdirSync(DIST)).toEqual(expect.arrayContaining(entries));
  });
});
