// The identity of the compiler: a hash of every file under compiler/, the
// package manifest and lock file (so a dependency upgrade counts), and the
// precompile script. The precompiled CLI is used only when its key matches,
// and the key is part of every incremental-compile cache key.
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";

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

/**
 * The files a package manager rewrites at every install, naming what is installed (npm's hidden lockfile, pnpm's and
 * Yarn's state files): a lock file pulled before the install, or an install that does not touch the lock file,
 * still changes the key, so dist/ is never left bundled from other dependencies than those installed.
 */
const INSTALL_STATE = [".package-lock.json", ".modules.yaml", ".yarn-state.yml", ".yarn-integrity"];

/**
 * Every file the source key covers, relative to `repo`, in hashing order: the compiler's sources, the package's
 * manifest and lock file, the scripts that bundle and key it, and the install state of the node_modules its
 * dependencies resolve from (its own, or, installed as a package, the one it sits in).
 */
function sourceFiles(repo) {
  const list = files(repo, "compiler", []).sort();
  for (const extra of ["package.json", "package-lock.json", "bin/precompile.mjs", "bin/source-key.mjs"])
    if (existsSync(join(repo, extra))) list.push(extra);
  const installed = basename(dirname(repo)) === "node_modules" ? ".." : "node_modules";
  for (const state of INSTALL_STATE) if (existsSync(join(repo, installed, state))) list.push(`${installed}/${state}`);
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

/**
 * A file's identity without reading it, as git's index keeps it: size, modification and change time (ns) and inode.
 * The change time is set by every write and cannot be set back, so an edit that keeps the size and restores the
 * modification time still shows.
 */
function stamp(path) {
  const s = statSync(path, { bigint: true });
  const latest = s.ctimeNs > s.mtimeNs ? s.ctimeNs : s.mtimeNs;
  return { line: `${s.size}:${s.mtimeNs}:${s.ctimeNs}:${s.ino}`, mtimeMs: Number(latest / 1000000n) };
}

/**
 * sourceKey, remembered in `memo` (a JSON file) against every file's stamp (size, times, inode): while
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
