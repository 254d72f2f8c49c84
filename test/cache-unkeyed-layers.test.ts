import { afterAll, describe, expect, it, vi } from "vitest";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// A project whose fleet layers have no key (as with a hydrated add-on, whose layer reads a vendored chart): they are
// rendered at every whole-fleet compile, from every target's objects, cached or not.
vi.mock("../compiler/cache/layers.ts", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../compiler/cache/layers.ts")>()),
  layersKey: () => undefined,
}));

const { checkProject } = await import("../compiler/load.ts");
const { compileLoaded } = await import("../compiler/compile.ts");
const { TargetCache } = await import("../compiler/cache/store.ts");
const { repoProject } = await import("./helpers/memory.ts");

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("fleet layers that are never cached", () => {
  it("read the cached targets' objects at the lookup: a damaged objects file rebuilds its target", async () => {
    const dir = mkdtempSync(join(tmpdir(), "manifold-unkeyed-"));
    dirs.push(dir);
    const cache = new TargetCache(dir, "test-compiler");
    const project = async () => checkProject(structuredClone(await repoProject()));
    const fresh = compileLoaded(await project(), { cache });
    for (const name of readdirSync(join(dir, "objects"))) writeFileSync(join(dir, "objects", name), "[]");
    const again = compileLoaded(await project(), { cache });
    expect(again.targets.length).toBe(fresh.targets.length);
    expect(again.reused).toEqual([]);
    expect([...again.files.entries()].sort()).toEqual([...fresh.files.entries()].sort());
  });
});
