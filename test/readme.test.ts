/** Every README code block marked `ts compile` compiles, in a copy of this repository's environments and regions. */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cleanProjects, makeProject, REPO, runCli } from "./helpers/project.ts";

afterAll(cleanProjects);

/** The README's code blocks whose info string is `ts compile`, each with the path its first line names. */
export function compilingBlocks(markdown: string): { path: string; code: string }[] {
  return [...markdown.matchAll(/^```ts compile\n([\s\S]*?)^```$/gm)].map((m) => {
    const path = /^\/\/ (\S+\.ts)\n/.exec(m[1])?.[1];
    if (!path) throw new Error(`a 'ts compile' block must start with '// <path>.ts':\n${m[1].slice(0, 200)}`);
    return { path, code: m[1] };
  });
}

const blocks = compilingBlocks(readFileSync(join(REPO, "README.md"), "utf8"));

describe("README code blocks", () => {
  it("marks at least the platform example as compiling", () => {
    expect(blocks.map((b) => b.path)).toContain("platforms/example.ts");
  });

  for (const block of blocks) {
    it(`${block.path} compiles as written`, () => {
      const root = makeProject();
      writeFileSync(join(root, block.path), block.code);
      const platform = /^platforms\/([^/]+)\.ts$/.exec(block.path)?.[1];
      const run = runCli(root, ["compile", ...(platform ? ["--platform", platform] : [])]);
      expect(run.stderr).not.toMatch(/^error/m);
      expect(run.status, run.stderr).toBe(0);
      expect(run.stderr).toMatch(/compiled \d+ targets/);
    });
  }
});
