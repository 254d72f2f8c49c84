/**
 * What a publish checks: the compile's files against the `rendered/` tree of the source commit, the tree it
 * publishes, not against the disk. The disk can differ from the commit in ways a clean `git status` does not show:
 * a file `.gitignore` excludes is on disk but never committed, and an interrupted compile's journal, waiting in the
 * ignored scratch folder, would rewrite the disk before a check of it reads it.
 */
import type { SimpleGit } from "simple-git";
import { createHash } from "../hash.ts";
import type { TreeDiff } from "../emit/write.ts";
import { listTree } from "./list-tree.ts";

/** git's object id of a regular file with this content (`git hash-object`), in the repository's hash (sha1, sha256). */
export function blobId(content: string, format = "sha1"): string {
  const bytes = Buffer.from(content, "utf8");
  return createHash(format).update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

/** The repository's object hash: sha1, or sha256 in a repository made with --object-format=sha256. */
async function objectFormat(git: SimpleGit): Promise<string> {
  const format = (await git.raw(["rev-parse", "--show-object-format"]).catch(() => "")).trim();
  return format === "sha256" ? "sha256" : "sha1";
}

/**
 * What committing `files` (paths relative to `rendered/`, with their content) would change in the committed tree
 * `tree` (the object id of a commit's `rendered/`): a file is equal only as a regular file with the same content.
 */
export async function diffCommitted(git: SimpleGit, tree: string, files: Map<string, string>): Promise<TreeDiff> {
  const committed = await listTree(git, tree);
  const format = await objectFormat(git);
  const diff: TreeDiff = { added: [], changed: [], removed: [] };
  for (const [path, content] of files) {
    const entry = committed.get(path);
    if (!entry) diff.added.push(path);
    else if (entry.mode !== "100644" || entry.sha !== blobId(content, format)) diff.changed.push(path);
  }
  for (const path of committed.keys()) if (!files.has(path)) diff.removed.push(path);
  diff.added.sort();
  diff.changed.sort();
  diff.removed.sort();
  return diff;
}
