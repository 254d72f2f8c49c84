/**
 * compiler/publish/committed.ts: a publish compares the compile's files with the committed tree by git's own object
 * ids, in the repository's hash (sha1, or sha256).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { simpleGit } from "simple-git";
import { blobId, diffCommitted } from "../compiler/publish/committed.ts";

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A repository (in `format`) with one commit holding rendered/ with `files`; returns it and the tree of rendered/. */
function repoWith(format: string, files: Record<string, string>): { dir: string; tree: string } {
  const dir = mkdtempSync(join(tmpdir(), "manifold-committed-"));
  made.push(dir);
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, encoding: "utf8" }).trim();
  git("init", "-q", `--object-format=${format}`);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, "rendered", path, ".."), { recursive: true });
    writeFileSync(join(dir, "rendered", path), text);
  }
  git("add", "-A");
  git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "x");
  return { dir, tree: git("rev-parse", "HEAD:rendered") };
}

describe("diffCommitted", () => {
  it.each(["sha1", "sha256"])(
    "tells equal, changed, added and removed files apart in a %s repository",
    async (format) => {
      const { dir, tree } = repoWith(format, {
        "dev/a.yaml": "a: 1\n",
        "dev/b.yaml": "b: é\n",
        "dev/gone.yaml": "gone: true\n",
      });
      const files = new Map([
        ["dev/a.yaml", "a: 1\n"],
        ["dev/b.yaml", "b: e\n"],
        ["dev/new.yaml", "new: true\n"],
      ]);
      expect(await diffCommitted(simpleGit(dir), tree, files)).toEqual({
        added: ["dev/new.yaml"],
        changed: ["dev/b.yaml"],
        removed: ["dev/gone.yaml"],
      });
      expect(
        await diffCommitted(
          simpleGit(dir),
          tree,
          new Map([...files, ["dev/b.yaml", "b: é\n"]]).set("dev/gone.yaml", "gone: true\n"),
        ),
      ).toEqual({
        added: ["dev/new.yaml"],
        changed: [],
        removed: [],
      });
      expect(blobId("b: é\n", format)).toBe(
        execFileSync("git", ["rev-parse", "HEAD:rendered/dev/b.yaml"], { cwd: dir, encoding: "utf8" }).trim(),
      );
    },
  );
});
