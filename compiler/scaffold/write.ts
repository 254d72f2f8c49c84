/** Writing scaffolded files without overwriting anything. */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ManifoldError } from "../errors.ts";

/** Writes `files` (paths relative to `root`); refuses, writing nothing, when any of them exists already. */
export function writeNew(root: string, files: Record<string, string>): string[] {
  const taken = Object.keys(files).filter((f) => existsSync(join(root, f)));
  if (taken.length)
    throw new ManifoldError(`already exists; nothing was written (remove it or choose another name)`, {
      file: taken.join(", "),
    });
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return Object.keys(files);
}
