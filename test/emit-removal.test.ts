import { afterAll, describe, expect, it, vi } from "vitest";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// Counts how often the writer lists a folder: removing files must not re-read their folder once per file.
const calls = vi.hoisted(() => ({ readdir: 0 }));
vi.mock("node:fs", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs")>();
  const readdirSync = ((...args: Parameters<typeof fs.readdirSync>) => {
    calls.readdir++;
    return fs.readdirSync(...args);
  }) as typeof fs.readdirSync;
  return { ...fs, default: { ...fs, readdirSync }, readdirSync };
});

const { diffTree, readTree, writeTree } = await import("../compiler/emit/write.ts");

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("removing many files is linear", () => {
  it("removes 3,000 files from a few folders listing folders a bounded number of times, and prunes emptied ones", () => {
    const root = mkdtempSync(join(tmpdir(), "manifold-removal-"));
    made.push(root);
    const dir = join(root, "rendered");
    const keep = new Map<string, string>();
    for (const folder of ["dev/a/gone", "dev/a/kept", "dev/b/gone"]) {
      mkdirSync(join(dir, folder), { recursive: true });
      for (let i = 0; i < 1000; i++) writeFileSync(join(dir, folder, `configmap-${i}.yaml`), `n: ${i}\n`);
    }
    for (let i = 0; i < 1000; i++) keep.set(`dev/a/kept/configmap-${i}.yaml`, `n: ${i}\n`);
    const diff = diffTree(dir, keep, undefined);
    expect(diff.removed).toHaveLength(2000);
    calls.readdir = 0;
    writeTree(dir, keep, diff);
    expect(calls.readdir).toBeLessThan(10);
    expect(readTree(dir)).toEqual(keep);
    expect(readTree(join(root, ".manifold-cache/emit-rendered"))).toEqual(new Map());
  });
});
