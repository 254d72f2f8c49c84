/**
 * A compile that would delete a whole target folder (`<env>/<region>/<platform>/`)
 * from `rendered/` prunes that platform from its cluster once published. That
 * happens when a description disappears, or is renamed to something the
 * loader skips (`shop.ts.bak`, `shop.yaml`), so it needs saying so
 * explicitly: `--allow-removal`.
 */
import { ManifoldError } from "../errors.ts";
import type { TreeDiff } from "./write.ts";

function targetFolderOf(path: string): string | undefined {
  const parts = path.split("/");
  return parts.length >= 4 && parts[0] !== "argocd" ? parts.slice(0, 3).join("/") : undefined;
}

/** The target folders whose every file `diff` removes and `files` no longer has. */
export function removedTargetFolders(diff: TreeDiff, files: Map<string, string>): string[] {
  const gone = new Set(diff.removed.map(targetFolderOf).filter((f) => f !== undefined));
  if (!gone.size) return [];
  for (const path of files.keys()) {
    const folder = targetFolderOf(path);
    if (folder) gone.delete(folder);
  }
  return [...gone].sort();
}

/** Throws a ManifoldError naming each target folder the write would remove, unless removal is allowed. */
export function refuseTargetRemoval(diff: TreeDiff, files: Map<string, string>): void {
  const folders = removedTargetFolders(diff, files);
  if (!folders.length) return;
  const shown = folders.slice(0, 10).map((f) => `rendered/${f}/`);
  if (folders.length > shown.length) shown.push(`and ${folders.length - shown.length} more`);
  throw new ManifoldError(
    `this compile would remove ${folders.length} whole target folder(s) from rendered/ (${shown.join(", ")}): ` +
      `no description renders them any more, and publishing would prune them from their clusters. ` +
      `If a description was renamed, check platforms/ for files that are not .ts; ` +
      `if the removal is intended, run the compile again with --allow-removal`,
    { file: "platforms/" },
  );
}
