/**
 * The precompiled bundle (bin/precompile.mjs): every file a build writes opens with the source key it was built for,
 * so a build that finds another build's entry points beside its own (two builds of different sources at once)
 * withdraws the key instead of leaving them trusted under it.
 */
import { readdirSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO, cleanProjects, makeProject } from "./helpers/project.ts";
import { buildDist, checkListingBuiltIns } from "./helpers/precompiled.ts";

const DIST = join(REPO, "dist");

beforeAll(buildDist);

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

describe("a compile on the bundle", () => {
  afterAll(cleanProjects);

  // Under the CLI's V8 options Node compiles a built-in afresh at each load (its own code cache does not match them):
  // node:zlib (~40 ms) only where a zip is read, and `punycode` (which the models' formats require) is the bundled
  // package, not Node's deprecated built-in.
  it("loads neither Node's punycode built-in nor node:zlib", () => {
    // one thread: every target is built, validated and rendered in the thread whose built-ins are listed
    const { r, loaded } = checkListingBuiltIns(makeProject({ rendered: true }), true);
    expect(r.status, r.stderr).toBe(0);
    // the list is of what a compile that validated loads: the content memo hashes with node:crypto
    expect(loaded).toContain("NativeModule crypto");
    expect(loaded.filter((m) => /^NativeModule (?:punycode|zlib)$/.test(m))).toEqual([]);
  });

  // Nothing cached: the helper thread, started at once, bundles the descriptions (esbuild, and through it
  // node:child_process and node:tty) while this thread loads its build code; the Helm code loads
  // node:child_process only to run Helm.
  it.skipIf(availableParallelism() < 2)(
    "on a fresh clone, bundles the descriptions on the helper thread: the main thread loads no esbuild",
    () => {
      const root = makeProject({ rendered: true });
      // the bundles even where Node could strip the types itself (test/native-descriptions.test.ts)
      const { r, loaded } = checkListingBuiltIns(root, false, { MANIFOLD_BUNDLE_DESCRIPTIONS: "1" });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toContain("rendered/ is up to date");
      expect(loaded).toContain("NativeModule worker_threads");
      expect(loaded.filter((m) => /^NativeModule (?:child_process|tty)$/.test(m))).toEqual([]);
      // every description's bundle is in the description cache, for the next compile
      const descriptions = ["platforms", "environments", "regions", "argocd", "addons"].flatMap((dir) =>
        readdirSync(join(root, dir)).filter((f) => f.endsWith(".ts") && !f.startsWith("_")),
      );
      const bundles = readdirSync(join(root, ".manifold-cache", "descriptions")).filter((f) => f.endsWith(".mjs"));
      expect(bundles.length).toBe(descriptions.length);
    },
  );
});
