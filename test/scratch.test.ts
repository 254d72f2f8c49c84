// The scratch folder's own .gitignore keeps git from ever showing .manifold-cache/, even after a run was killed
// while writing it.
import { afterAll, describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ignoredWorkDir } from "../compiler/scratch.ts";
import { git } from "./helpers/git.ts";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function repo(): string {
  const root = mkdtempSync(join(tmpdir(), "manifold-scratch-"));
  dirs.push(root);
  git(root, "init", "-q");
  return root;
}

describe("the scratch folder", () => {
  it("is made with a .gitignore that hides it, and everything in it, from git", () => {
    const root = repo();
    const dir = ignoredWorkDir(join(root, ".manifold-cache"));
    writeFileSync(join(dir, "run.json"), "{}");
    expect(git(root, "status", "--porcelain", "--untracked-files=all")).toBe("");
  });

  it.each([
    ["left empty by a run killed while writing it", ""],
    ["of the right size but zero-filled (a crash of the file system)", "\0\0"],
  ])("writes again a .gitignore %s", (_, broken) => {
    const root = repo();
    const dir = join(root, ".manifold-cache");
    mkdirSync(dir);
    writeFileSync(join(dir, ".gitignore"), broken);
    writeFileSync(join(dir, "run.json"), "{}");
    expect(git(root, "status", "--porcelain", "--untracked-files=all")).not.toBe("");
    ignoredWorkDir(dir);
    expect(readFileSync(join(dir, ".gitignore"), "utf8")).toBe("*\n");
    expect(git(root, "status", "--porcelain", "--untracked-files=all")).toBe("");
  });
});
