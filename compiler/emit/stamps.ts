/**
 * Telling that `rendered/` is unchanged without reading it. When a compile has compared the tree with its files,
 * every file found equal is recorded with its stamp, as git's index keeps one (size, modification and change
 * time in ns, inode), in `<work>/stamps.json` under the key of the compile's files (the fleet layers' key: the
 * compiler, the descriptions and every target key, so that equal keys mean equal files). A later compile with the
 * same key reads only the files whose stamp differs. Any write to a file (an editor, git, a copy, touch) sets its
 * change time to the current time, which no program can set back, so a hand edit always shows.
 *
 * A file is recorded only when its change time is older than a mark taken before the comparison began, on the same
 * file system (the stage's folder): a change made during or after the comparison gets a change time no older than
 * the mark, so it never hides behind a recorded stamp (git's "racily clean" rule).
 */
import { readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ignoredWorkDir, workDirOf } from "./work-dir.ts";
import { eachFile, type TreeDiff } from "./write.ts";

const FORMAT = 1;

interface Manifest {
  format: number;
  key: string;
  stamps: Record<string, string>;
}

interface Seen {
  /** Undefined when the entry cannot be stat'ed (a symbolic link to nothing, a loop): it matches no recorded stamp. */
  stamp?: string;
  changed: bigint;
}

/** The stamps recorded for `key`, or none. */
function recorded(file: string, key: string): Map<string, string> {
  try {
    const m = JSON.parse(readFileSync(file, "utf8")) as Manifest;
    if (m?.format === FORMAT && m.key === key && m.stamps && typeof m.stamps === "object")
      return new Map(Object.entries(m.stamps));
  } catch {
    // none yet, or unreadable: every file is read
  }
  return new Map();
}

/**
 * Every entry under `dir` that is not a folder, with its stamp, keyed by path relative to it, with `/` separators. An
 * entry whose stat fails is still there, with no stamp: the comparison then goes as diffTree's (emit/write.ts) does,
 * reported removed when the compile has no such file, read (and its error reported) when it has.
 */
function walk(dir: string): Map<string, Seen> {
  const out = new Map<string, Seen>();
  eachFile(dir, (path) => out.set(path, stampOf(`${dir}/${path}`)));
  return out;
}

/** A file's stamp, or none when its stat fails. */
function stampOf(path: string): Seen {
  try {
    const s = statSync(path, { bigint: true });
    return { stamp: `${s.size}:${s.mtimeNs}:${s.ctimeNs}:${s.ino}`, changed: s.ctimeNs };
  } catch {
    return { changed: -1n };
  }
}

/**
 * What writing `files` (the whole tree: the compile is unfiltered) would change under `dir`, reading only the files
 * whose stamp is not the one recorded for `key`; and `record`, which stores the stamps of the files found equal (call
 * it while holding the project's lock, after the comparison). Any failure to take the mark or write the record only
 * means every file is read next time.
 */
export function diffWithStamps(
  dir: string,
  files: Map<string, string>,
  key: string,
): { diff: TreeDiff; record: () => void } {
  const work = workDirOf(dir);
  const file = join(work, "stamps.json");
  let mark: bigint | undefined;
  try {
    ignoredWorkDir(work);
    writeFileSync(join(work, "mark"), "");
    mark = statSync(join(work, "mark"), { bigint: true }).mtimeNs;
  } catch {
    mark = undefined;
  }
  const known = mark === undefined ? new Map<string, string>() : recorded(file, key);
  const onDisk = walk(dir);
  const diff: TreeDiff = { added: [], changed: [], removed: [] };
  const equal: string[] = [];
  let read = 0;
  // A file's content is asked for only when it must be compared (`files` may read contents late).
  for (const path of files.keys()) {
    const seen = onDisk.get(path);
    if (!seen) diff.added.push(path);
    else if (seen.stamp !== undefined && known.get(path) === seen.stamp) equal.push(path);
    else if ((read++, readFileSync(`${dir}/${path}`, "utf8") === files.get(path))) equal.push(path);
    else diff.changed.push(path);
  }
  for (const path of onDisk.keys()) if (!files.has(path)) diff.removed.push(path);
  diff.added.sort();
  diff.changed.sort();
  diff.removed.sort();
  const record = () => {
    if (mark === undefined || (read === 0 && equal.length === known.size)) return;
    const stamps: Record<string, string> = {};
    for (const path of equal.sort()) {
      const seen = onDisk.get(path)!;
      if (seen.stamp !== undefined && seen.changed < mark) stamps[path] = seen.stamp;
    }
    const manifest: Manifest = { format: FORMAT, key, stamps };
    try {
      writeFileSync(`${file}.tmp`, JSON.stringify(manifest));
      renameSync(`${file}.tmp`, file);
    } catch {
      // an unwritable scratch folder only costs reading the tree next time
    }
  };
  return { diff, record };
}
