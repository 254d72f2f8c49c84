// The identity of the compiler: a hash of every file under compiler/, the
// package manifest and lock file (so a dependency upgrade counts), and the
// precompile script. The precompiled CLI is used only when its key matches,
// and the key is part of every incremental-compile cache key.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

// node:fs through require: its ES-module facade costs 7-10 ms at every start; node:crypto (~16 ms to load) only when
// the key must be computed, not when the memo gives it.
const require = createRequire(import.meta.url);
const { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } = require("node:fs");

function files(root, dir, out) {
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) files(root, rel, out);
    else out.push(rel);
  }
  return out;
}

/** Every file the source key covers, relative to `repo`, in hashing order. */
function sourceFiles(repo) {
  const list = files(repo, "compiler", []).sort();
  for (const extra of ["package.json", "package-lock.json", "bin/precompile.mjs", "bin/source-key.mjs"])
    if (existsSync(join(repo, extra))) list.push(extra);
  return list;
}

function keyOf(repo, list) {
  const hash = require("node:crypto").createHash("sha256");
  for (const rel of list)
    hash
      .update(rel)
      .update("\0")
      .update(readFileSync(join(repo, rel)))
      .update("\0");
  return hash.digest("hex").slice(0, 32);
}

/** The source key of the compiler installed at `repo` (the folder holding compiler/ and package.json). */
export function sourceKey(repo) {
  return keyOf(repo, sourceFiles(repo));
}

/** A file's identity without reading it, as git's index keeps it: size, modification time (ns) and inode. */
function stamp(path) {
  const s = statSync(path, { bigint: true });
  return { line: `${s.size}:${s.mtimeNs}:${s.ino}`, mtimeMs: Number(s.mtimeNs / 1000000n) };
}

/**
 * sourceKey, remembered in `memo` (a JSON file) against every file's size, modification time and inode: while
 * none of them changed, the key is taken from the memo instead of reading every file. A file modified within
 * the last two seconds makes the memo unusable (its time may not tell two edits apart), so it is not written then.
 */
export function cachedSourceKey(repo, memo) {
  const list = sourceFiles(repo);
  const stamps = list.map((rel) => stamp(join(repo, rel)));
  // the stamps themselves, not a hash of them (about 20 KB): comparing them needs no node:crypto
  const stats = list.map((rel, i) => `${rel}\0${stamps[i].line}`).join("\n");
  try {
    const m = JSON.parse(readFileSync(memo, "utf8"));
    if (m.stats === stats && typeof m.key === "string") return m.key;
  } catch {
    // no memo yet
  }
  const key = keyOf(repo, list);
  if (stamps.every((s) => Date.now() - s.mtimeMs > 2000)) {
    try {
      mkdirSync(dirname(memo), { recursive: true });
      writeFileSync(`${memo}.${process.pid}.tmp`, JSON.stringify({ stats, key }));
      renameSync(`${memo}.${process.pid}.tmp`, memo);
    } catch {
      // an unwritable folder only costs reading the sources next time
    }
  }
  return key;
}
