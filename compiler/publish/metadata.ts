/**
 * Provenance files in the Argo CD Source Hydrator's format, so tools that
 * read those (the Argo CD UI, GitOps Promoter) find the source commit:
 * a `hydrator.metadata` JSON file at the branch root (repoURL, drySha,
 * author, date, subject, body) and one in every application folder
 * (repoURL, drySha, commands).
 *
 * They live only on the branch, never in `rendered/`: they name the source
 * commit, which cannot be known when `rendered/` is committed. The branch is
 * therefore `rendered/` byte for byte plus these files, and "nothing changed"
 * is decided with them left out.
 */
import type { SourceCommit } from "./source.ts";

/** The file name the Source Hydrator uses. */
export const METADATA_FILE = "hydrator.metadata";

/** The commands that reproduce the branch from the source commit. */
export const REPRODUCE_COMMANDS = [
  "npm ci",
  "npm run compile",
  "# this branch is rendered/ of that commit, plus hydrator.metadata files",
];

/** True for a provenance file's path (at the root or in any folder). */
export function isMetadataPath(path: string): boolean {
  return path === METADATA_FILE || path.endsWith(`/${METADATA_FILE}`);
}

/** The root `hydrator.metadata`: which commit of which repository the branch was rendered from. */
export function rootMetadata(source: SourceCommit): string {
  return json({
    repoURL: source.repoUrl,
    drySha: source.sha,
    author: source.author,
    date: source.date,
    subject: source.subject,
    body: source.body || undefined,
  });
}

/** The `hydrator.metadata` of one application folder. */
export function folderMetadata(source: SourceCommit): string {
  return json({ repoURL: source.repoUrl, drySha: source.sha, commands: REPRODUCE_COMMANDS });
}

function json(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}
