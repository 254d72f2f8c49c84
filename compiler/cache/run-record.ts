/**
 * The run record: what the last whole-fleet compile with a cache gave, in `.manifold-cache/run.json`, under a key
 * naming the compiler and the loaded descriptions. Resolve, every target's output and the fleet layers are pure
 * functions of those two (cache/key.ts, cache/layers.ts), so a compile whose loaded project hashes to the recorded key
 * would give the recorded result: the same target and object counts, the same findings, the same file paths under
 * the same files key. Such a compile takes it from here and skips resolve, the target keys and the cache lookup;
 * emit then confirms `rendered/` by its stamps (emit/stamps.ts). The record holds no file contents: a content asked
 * for (a file missing or edited in `rendered/`) throws an UnreadableCacheError, and the caller compiles again the
 * full way. The record is written aside and renamed into place; one that does not parse, is in another format or
 * names another key is ignored.
 */
import { createHash } from "node:crypto";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Finding } from "../model/finding.ts";
import type { Project } from "../model/project.ts";
import { ignoredWorkDir } from "../scratch.ts";
import { LazyFiles } from "./lazy-files.ts";
import { UnreadableCacheError } from "./store.ts";

const FORMAT = 1;
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
}

/** The key of a whole-fleet compile of `project` by the compiler `compiler` (its cache key, cache/key.ts). */
export function runKey(compiler: string, project: Project): string {
  return createHash("sha256")
    .update(`run-record ${FORMAT}\0${compiler}\0`)
    .update(JSON.stringify(project))
    .digest("hex");
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
    record.paths.every((p) => typeof p === "string");
  return valid ? record : undefined;
}

/** Records a whole-fleet compile's result in the cache folder `dir`; a folder that cannot be written is no error. */
export function writeRunRecord(dir: string, record: Omit<RunRecord, "format">): void {
  const text = JSON.stringify({ format: FORMAT, ...record });
  try {
    ignoredWorkDir(dir);
    const tmp = join(dir, `${FILE}.${process.pid}.tmp`);
    writeFileSync(tmp, text);
    renameSync(tmp, join(dir, FILE));
  } catch {
    // an unwritable cache only costs the full lookup next time
  }
}

/** The recorded files: every path, each content throwing an UnreadableCacheError when asked for. */
export function recordedFiles(record: RunRecord): LazyFiles {
  const files = new LazyFiles();
  const unread = (path: string) => () => {
    throw new UnreadableCacheError(`the run record holds no content for ${path}: compile the full way`);
  };
  for (const path of record.paths) files.setLazy(path, unread(path));
  return files;
}
