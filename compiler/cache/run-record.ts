/**
 * The run record: what the last whole-fleet compile with a cache gave, in `.manifold-cache/run.json`, under a key
 * naming the compiler and the loaded descriptions. Resolve, every target's output and the fleet layers are pure
 * functions of those two (cache/key.ts, cache/layers.ts), so a compile whose loaded project gives the recorded key
 * would give the recorded result: the same target and object counts, the same findings, the same file paths under
 * the same files key. Such a compile takes it from here and skips resolve, the target keys and the cache lookup;
 * emit then confirms `rendered/` by its stamps (emit/stamps.ts). The record holds no file contents, only which cache
 * entry holds each file (a target's key, or the fleet layers): a content asked for (a file missing, edited or just
 * written in `rendered/`) is read from there, and one found missing or bad throws an UnreadableCacheError, after
 * which the caller compiles again the full way. The record is written aside and renamed into place; one that does
 * not parse, is in another format or names another key is ignored.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Finding } from "../model/finding.ts";
import type { Project } from "../model/project.ts";
import { ignoredWorkDir, writeAside } from "../scratch.ts";
import { LazyFiles } from "./lazy-files.ts";
import { UnreadableCacheError } from "./store.ts";

const FORMAT = 3;
const FILE = "run.json";

/** What a whole-fleet compile gave, without its files' contents. */
export interface RunRecord {
  format: number;
  key: string;
  /** The fleet layers' key, which names the whole of the files (CompileResult.filesKey). */
  filesKey: string;
  /** How many targets, and objects in them. */
  targets: number;
  objects: number;
  findings: Finding[];
  /** Every file's path, relative to `rendered/`, in the compile's order. */
  paths: string[];
  /** The cache entries holding the files' contents: a target's key, or "" for the fleet layers. */
  owners: string[];
  /** For each path, the index of its owner. */
  owner: number[];
}

/**
 * The key of a whole-fleet compile of `project` by the compiler `compiler` (its cache key, cache/key.ts): the text
 * itself, not a hash of it, so that an unchanged compile compares two strings instead of loading node:crypto and
 * hashing (the text is the loaded descriptions' JSON, some tens of kilobytes).
 */
export function runKey(compiler: string, project: Project): string {
  return `run-record ${FORMAT}\0${compiler}\0${JSON.stringify(project)}`;
}

/** The record in the cache folder `dir` (`<root>/.manifold-cache`) if it is for `key`, or undefined. */
export function readRunRecord(dir: string, key: string): RunRecord | undefined {
  let record: RunRecord;
  try {
    record = JSON.parse(readFileSync(join(dir, FILE), "utf8")) as RunRecord;
  } catch {
    return undefined;
  }
  const valid =
    record?.format === FORMAT &&
    record.key === key &&
    typeof record.filesKey === "string" &&
    Number.isInteger(record.targets) &&
    Number.isInteger(record.objects) &&
    Array.isArray(record.findings) &&
    Array.isArray(record.paths) &&
    record.paths.every((p) => typeof p === "string") &&
    Array.isArray(record.owners) &&
    record.owners.every((o) => typeof o === "string") &&
    Array.isArray(record.owner) &&
    record.owner.length === record.paths.length &&
    record.owner.every((i) => Number.isInteger(i) && i >= 0 && i < record.owners.length);
  return valid ? record : undefined;
}

/** Records a whole-fleet compile's result in the cache folder `dir`; a folder that cannot be written is no error. */
export function writeRunRecord(dir: string, record: Omit<RunRecord, "format">): void {
  const text = JSON.stringify({ format: FORMAT, ...record });
  try {
    ignoredWorkDir(dir);
    writeAside(join(dir, FILE), text);
  } catch {
    // an unwritable cache only costs the full lookup next time
  }
}

/**
 * The files' owners for a record: a path in a target's folder (`<environment>/<region>/<platform>/`) belongs to that
 * target's cache entry (`keyOfFolder`), any other to the fleet layers ("").
 */
export function ownersOf(
  paths: Iterable<string>,
  keyOfFolder: Map<string, string>,
): Pick<RunRecord, "owners" | "owner"> {
  const owners: string[] = [];
  const index = new Map<string, number>();
  const owner: number[] = [];
  for (const path of paths) {
    const folder = path.split("/", 3).join("/");
    const key = keyOfFolder.get(folder) ?? "";
    let i = index.get(key);
    if (i === undefined) index.set(key, (i = owners.push(key) - 1));
    owner.push(i);
  }
  return { owners, owner };
}

/**
 * The recorded files: every path, each content read when first asked for from its owner (`read` gives an owner's
 * files: a target's cache entry, or the fleet layers for ""); a content its owner does not give throws an
 * UnreadableCacheError.
 */
export function recordedFiles(
  record: RunRecord,
  read: (owner: string) => Iterable<[string, string]> | undefined,
): LazyFiles {
  const files = new LazyFiles();
  const kept = new Map<number, Map<string, string>>();
  const content = (path: string, owner: number) => () => {
    let contents = kept.get(owner);
    if (!contents) kept.set(owner, (contents = new Map(read(record.owners[owner]) ?? [])));
    const text = contents.get(path);
    if (text === undefined)
      throw new UnreadableCacheError(`the cache holds no content for ${path}: compile again with --no-cache`);
    return text;
  };
  record.paths.forEach((path, i) => files.setLazy(path, content(path, record.owner[i])));
  return files;
}
