// The identity of the compiler: a hash of every file under compiler/, the
// package manifest and lock file (so a dependency upgrade counts), and the
// precompile script. The precompiled CLI is used only when its key matches,
// and the key is part of every incremental-compile cache key.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

function files(root, dir, out) {
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) files(root, rel, out);
    else out.push(rel);
  }
  return out;
}

/** The source key of the compiler installed at `repo` (the folder holding compiler/ and package.json). */
export function sourceKey(repo) {
  const hash = createHash("sha256");
  const list = files(repo, "compiler", []).sort();
  for (const extra of ["package.json", "package-lock.json", "bin/precompile.mjs", "bin/source-key.mjs"])
    if (existsSync(join(repo, extra))) list.push(extra);
  for (const rel of list)
    hash
      .update(rel)
      .update("\0")
      .update(readFileSync(join(repo, rel)))
      .update("\0");
  return hash.digest("hex").slice(0, 32);
}
