/**
 * Writing many files of which many are equal (the same object rendered for several regions: 2,929 files of the
 * seed fleet hold 1,141 distinct contents; 122,450 of the 100k bench fleet hold 16,650). Each content is written
 * once; every later file of that content is a hard link to the first, which makes a directory entry and no new
 * inode, no new data and nothing to write back. On ext4 a new inode costs kernel processor time that swings tenfold
 * with the volume's state (after a large delete it was 8 s for 121,000 files against 1 to 1.3 s with links).
 *
 * Used for the stage only (journal.ts), a fresh folder whose files are moved into the tree by rename: a later write
 * replaces a path with a new file, never writing into one, so linked paths never change together through Manifold.
 * A program that writes into one of them in place (vim by default for a linked file, a shell's `>`) changes them
 * all; `compile --check` then reports each. Every file is created new (`wx`): a name the stage already holds (two
 * names one file on a volume that ignores case) is an error, never a write into a linked file. Where the file system
 * refuses links (no support, or too many links to one file) the file is written instead.
 */
import { createHash } from "../hash.ts";
import { linkSync, writeFileSync } from "node:fs";

/** Writes a file of the stage: `write(path, content)`. */
export type FileWriter = (path: string, content: string) => void;

/** What an equal-content writer needs of the file system; Node's by default. */
export interface LinkingFs {
  link: (existing: string, path: string) => void;
  /** Creates the file `path`, failing if it exists. */
  create: (path: string, content: string) => void;
}

const NODE_FS: LinkingFs = { link: linkSync, create: (path, content) => writeFileSync(path, content, { flag: "wx" }) };

/**
 * V8 hashes a string longer than this by its length alone, so a Map keyed by long contents of equal length (the
 * same dashboard with another region's name in it) would compare each with every other; those are keyed by digest.
 */
const LONGEST_HASHED = 16383;

const keyOf = (content: string) =>
  content.length <= LONGEST_HASHED ? content : createHash("sha256").update(content).digest("base64");

/**
 * A writer for one stage: the first file of each content is created, the others linked to it. After a refusal other
 * than "too many links" (EMLINK, after which that content starts a new first file) or "exists" (a name taken twice,
 * which the creation then reports) it only creates: the file system does not link, and each refusal is an exception.
 */
export function equalContentWriter(fs: LinkingFs = NODE_FS): FileWriter {
  const first = new Map<string, { path: string; content: string }>();
  let linking = true;
  return (path, content) => {
    const key = linking ? keyOf(content) : "";
    const existing = linking ? first.get(key) : undefined;
    if (existing !== undefined && existing.content === content) {
      try {
        fs.link(existing.path, path);
        return;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code !== "EMLINK" && code !== "EEXIST") linking = false;
      }
    }
    fs.create(path, content);
    if (linking) first.set(key, { path, content });
  };
}
