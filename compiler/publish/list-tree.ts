/** Reading a git tree with git plumbing: every file of it, with its mode and object id. */
import type { SimpleGit } from "simple-git";

/** One file of a git tree: its mode and blob. */
export interface TreeEntry {
  mode: string;
  sha: string;
}

/** Every file of a tree-ish, keyed by path. */
export async function listTree(git: SimpleGit, treeish: string): Promise<Map<string, TreeEntry>> {
  const out = await git.raw(["ls-tree", "-r", "-z", "--full-tree", treeish]);
  const entries = new Map<string, TreeEntry>();
  for (const record of out.split("\0")) {
    if (!record) continue;
    const tab = record.indexOf("\t");
    const [mode, , sha] = record.slice(0, tab).split(" ");
    entries.set(record.slice(tab + 1), { mode, sha });
  }
  return entries;
}
