/**
 * Writing many files of which many are equal (the same object rendered for several regions: 2,929 files of the
 * seed fleet hold 1,141 distinct contents; 122,450 of the 100k bench fleet hold 16,650). Each content is written
 * once; every later file of that content is a hard link to the first, which makes a directory entry and no new
 * inode, no new data and nothing to write back. On ext4 a new inode costs kernel processor time that swings tenfold
 * with the volume's state (after a large delete it was 8 s for 121,000 files against 1 to 1.3 s with links).
 *
 * Used for the stage only (journal.ts), whose files are moved into the tree by rename: a later write replaces a
 * path with a new file, never writing into one, so linked paths never change together through Manifold. A program
 * that edits one of them in place (some editors do) changes them all; `compile --check` then reports each.
 * Where the file system refuses links (no support, or too many links to one file) the file is written instead.
 */
import { linkSync, writeFileSync } from "node:fs";

/** Writes a file of the stage: `write(path, content)`. */
export type FileWriter = (path: string, content: string) => void;

/** What an equal-content writer needs of the file system; Node's by default. */
export interface LinkingFs {
  link: (existing: string, path: string) => void;
  write: (path: string, content: string) => void;
}

const NODE_FS: LinkingFs = { link: linkSync, write: (path, content) => writeFileSync(path, content) };

/**
 * A writer for one stage: the first file of each content is written, the others linked to it. After a refusal
 * other than "too many links" (EMLINK, after which that content starts a new first file) it only writes: the file
 * system does not link, and each refusal is an exception.
 */
export function equalContentWriter(fs: LinkingFs = NODE_FS): FileWriter {
  const first = new Map<string, string>();
  let linking = true;
  return (path, content) => {
    const existing = linking ? first.get(content) : undefined;
    if (existing !== undefined) {
      try {
        fs.link(existing, path);
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EMLINK") linking = false;
      }
    }
    fs.write(path, content);
    if (linking) first.set(content, path);
  };
}
