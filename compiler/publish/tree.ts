/**
 * Building the branch's tree with git plumbing and a temporary index, so the
 * user's index, HEAD and working tree are never touched: the source commit's
 * `rendered/` tree, plus the `hydrator.metadata` provenance files.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SimpleGit } from "simple-git";
import { openGit } from "../git.ts";
import { METADATA_FILE, folderMetadata, isMetadataPath, rootMetadata } from "./metadata.ts";
import type { SourceCommit } from "./source.ts";
import type { TreeEntry } from "./list-tree.ts";

function folderOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "" : path.slice(0, i);
}

/** The files of one folder (not its subfolders), provenance left out, as a comparable string. */
function folderContent(entries: Map<string, TreeEntry>, folder: string): string {
  const out: string[] = [];
  for (const [path, e] of entries)
    if (folderOf(path) === folder && !isMetadataPath(path)) out.push(`${path} ${e.mode} ${e.sha}`);
  return out.sort().join("\n");
}

/** True when two trees hold the same files, provenance files left out. */
export function sameContent(a: Map<string, TreeEntry>, b: Map<string, TreeEntry>): boolean {
  const strip = (m: Map<string, TreeEntry>) =>
    [...m]
      .filter(([p]) => !isMetadataPath(p))
      .map(([p, e]) => `${p} ${e.mode} ${e.sha}`)
      .sort()
      .join("\n");
  return strip(a) === strip(b);
}

/** Folders that Argo CD reads as an application: those that directly hold a manifest. */
export function applicationFolders(entries: Map<string, TreeEntry>): string[] {
  const folders = new Set<string>();
  for (const path of entries.keys())
    if (/\.(ya?ml|json)$/.test(path) && folderOf(path) !== "") folders.add(folderOf(path));
  return [...folders].sort();
}

async function writeBlobs(git: SimpleGit, contents: string[]): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), "manifold-blob-"));
  try {
    const files = contents.map((c, i) => {
      const f = join(dir, `blob-${i}`);
      writeFileSync(f, c);
      return f;
    });
    return (await git.raw(["hash-object", "-w", "--no-filters", "--", ...files])).trim().split("\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Writes the tree the branch gets for `source`: `rendered/` of the source
 * commit, a root `hydrator.metadata`, and one per application folder. A
 * folder whose files did not change since `previous` keeps its metadata
 * (it names the source commit that last changed the folder, as the Source
 * Hydrator does). Returns the tree's id.
 */
export async function writeBranchTree(
  top: string,
  source: SourceCommit,
  rendered: Map<string, TreeEntry>,
  previous: Map<string, TreeEntry> | undefined,
): Promise<string> {
  const git = openGit(top);
  const [rootBlob, folderBlob] = await writeBlobs(git, [rootMetadata(source), folderMetadata(source)]);
  const metadata: [string, string][] = [[METADATA_FILE, rootBlob]];
  for (const folder of applicationFolders(rendered)) {
    const path = `${folder}/${METADATA_FILE}`;
    const kept = previous?.get(path);
    const unchanged = previous && kept && folderContent(previous, folder) === folderContent(rendered, folder);
    metadata.push([path, unchanged ? kept.sha : folderBlob]);
  }
  const dir = mkdtempSync(join(tmpdir(), "manifold-index-"));
  try {
    const indexed = openGit(top, { GIT_INDEX_FILE: join(dir, "index") });
    await indexed.raw(["read-tree", source.renderedTree]);
    for (let i = 0; i < metadata.length; i += 200) {
      const args = metadata.slice(i, i + 200).flatMap(([path, sha]) => ["--cacheinfo", `100644,${sha},${path}`]);
      await indexed.raw(["update-index", "--add", ...args]);
    }
    return (await indexed.raw(["write-tree"])).trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
