/**
 * compiler/emit/journal.ts: a committed journal is finished by whoever comes next, whatever happened to the tree
 * since: here, a folder the journal moves as a whole is back in the tree (git restored it after the interrupted
 * compile, or a branch switch did).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { recoverTree, stage } from "../compiler/emit/journal.ts";
import { readTree } from "../compiler/emit/write.ts";

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A project folder with `rendered/` holding `files`. */
function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "manifold-journal-"));
  made.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, "rendered", path, ".."), { recursive: true });
    writeFileSync(join(root, "rendered", path), text);
  }
  return root;
}

describe("a committed journal", () => {
  it("moves a staged folder into the same folder restored meanwhile, file by file, and the next run is clean", () => {
    const root = project({ "dev/a/keep.yaml": "keep\n" });
    const dir = join(root, "rendered");
    // a write that adds the whole folder dev/b (absent when it was planned), stopped once its journal was committed
    stage(
      dir,
      [
        ["dev/b/one.yaml", "one: new\n"],
        ["dev/b/sub/two.yaml", "two: new\n"],
      ],
      { moves: ["dev/b"], removals: [] },
    );
    // ... and the folder is back: an older version of it, with a file the write does not make
    mkdirSync(join(dir, "dev/b/sub"), { recursive: true });
    writeFileSync(join(dir, "dev/b/one.yaml"), "one: old\n");
    writeFileSync(join(dir, "dev/b/sub/two.yaml"), "two: old\n");
    writeFileSync(join(dir, "dev/b/three.yaml"), "three: old\n");
    expect(recoverTree(dir)).toBe("finished");
    expect(Object.fromEntries(readTree(dir))).toEqual({
      "dev/a/keep.yaml": "keep\n",
      "dev/b/one.yaml": "one: new\n",
      "dev/b/sub/two.yaml": "two: new\n",
      "dev/b/three.yaml": "three: old\n",
    });
    expect(recoverTree(dir)).toBe("clean");
    expect(existsSync(join(root, ".manifold-cache/emit-rendered/journal.json"))).toBe(false);
  });

  it("replaces a file that stands where it moves a folder", () => {
    const root = project({ "dev/b": "a file\n" });
    const dir = join(root, "rendered");
    rmSync(join(dir, "dev/b"));
    stage(dir, [["dev/b/one.yaml", "one\n"]], { moves: ["dev/b"], removals: [] });
    writeFileSync(join(dir, "dev/b"), "a file again\n");
    expect(recoverTree(dir)).toBe("finished");
    expect(readFileSync(join(dir, "dev/b/one.yaml"), "utf8")).toBe("one\n");
  });
});
