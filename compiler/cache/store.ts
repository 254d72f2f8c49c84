/**
 * The incremental-compile cache: one entry per target key in
 * `.manifold-cache/targets/<key>.json`, holding the target's rendered files,
 * its waves, its findings and how many objects it has; its final objects (what
 * the fleet layers and the plan read) are kept apart, in
 * `.manifold-cache/objects/<key>.json`, and read only when asked for: a
 * compile whose fleet layers come from their own cache never parses them. An
 * entry is trusted only when it parses, names the key it is stored under, and
 * its files (and objects) match the digest it carries; anything else (a
 * truncated write, an edit, another format) is ignored and rebuilt. Entries
 * are written aside and renamed into place, the objects first.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ignoredWorkDir } from "../scratch.ts";
import type { Finding } from "../model/finding.ts";
import { compilerKey, targetKey } from "./key.ts";
import type { ResolvedTarget } from "../model/target.ts";
import type { RenderedObject } from "../model/object.ts";
import type { WavePlan } from "../model/target.ts";

const FORMAT = 3;

export interface CachedTarget {
  /** `platform/environment/region`. */
  id: string;
  objects: RenderedObject[];
  /** How many objects (known without reading them). */
  count: number;
  waves: WavePlan;
  findings: Finding[];
  /** File contents keyed by path relative to `rendered/`. */
  files: [string, string][];
}

interface Entry extends Omit<CachedTarget, "objects"> {
  format: number;
  key: string;
  digest: string;
  /** The digest of the objects file's text. */
  objects: string;
}

function digest(files: [string, string][]): string {
  const hash = createHash("sha256");
  for (const [path, content] of files) hash.update(path).update("\0").update(content).update("\0");
  return hash.digest("hex");
}

function sha(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Writes `text` aside and renames it into place. */
function writeAtomically(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** A folder of cached targets, for one compiler. */
export class TargetCache {
  readonly dir: string;
  /** Where each entry's objects are: `<cache>/objects`. */
  readonly objectsDir: string;
  readonly compiler: string;

  /** `dir` is the cache folder (`<root>/.manifold-cache`); `compiler` defaults to the running compiler's key. */
  constructor(dir: string, compiler: string = compilerKey()) {
    this.dir = join(dir, "targets");
    this.objectsDir = join(dir, "objects");
    this.compiler = compiler;
  }

  /** The key of a target under this cache's compiler. */
  keyOf(target: ResolvedTarget): string {
    return targetKey(this.compiler, target);
  }

  /**
   * The cached output for `key`, or undefined when there is none or it cannot be trusted. With `objects: "lazy"`
   * the objects are read (and checked) only when the result's `objects` is first read; that read throws when the
   * objects file went missing or bad meanwhile.
   */
  get(key: string, objects: "now" | "lazy" = "now"): CachedTarget | undefined {
    const entry = this.entry(key);
    if (!entry) return undefined;
    const { id, waves, findings, files, count } = entry;
    if (objects === "now") {
      const list = this.objects(key, entry);
      return list ? { id, objects: list, count, waves, findings, files } : undefined;
    }
    let memo: RenderedObject[] | undefined;
    const load = (): RenderedObject[] => {
      memo ??= this.objects(key, entry);
      if (!memo) throw new Error(`the cached objects of ${id} are unreadable: compile again with --no-cache`);
      return memo;
    };
    return Object.defineProperty({ id, count, waves, findings, files } as CachedTarget, "objects", {
      get: load,
      enumerable: true,
    });
  }

  private entry(key: string): Entry | undefined {
    let entry: Entry;
    try {
      entry = JSON.parse(readFileSync(join(this.dir, `${key}.json`), "utf8")) as Entry;
    } catch {
      return undefined;
    }
    if (
      !entry ||
      entry.format !== FORMAT ||
      entry.key !== key ||
      typeof entry.id !== "string" ||
      typeof entry.count !== "number" ||
      typeof entry.objects !== "string" ||
      typeof entry.waves !== "object" ||
      entry.waves === null
    )
      return undefined;
    if (!Array.isArray(entry.findings) || !Array.isArray(entry.files)) return undefined;
    if (
      !entry.files.every(
        (f) => Array.isArray(f) && f.length === 2 && typeof f[0] === "string" && typeof f[1] === "string",
      )
    )
      return undefined;
    if (digest(entry.files) !== entry.digest) return undefined;
    return entry;
  }

  private objects(key: string, entry: Entry): RenderedObject[] | undefined {
    try {
      const text = readFileSync(join(this.objectsDir, `${key}.json`), "utf8");
      if (sha(text) !== entry.objects) return undefined;
      const objects = JSON.parse(text) as unknown;
      return Array.isArray(objects) && objects.length === entry.count ? (objects as RenderedObject[]) : undefined;
    } catch {
      return undefined;
    }
  }

  /** Stores the output of `key` (counting its objects). Failing to write is no error: the next compile rebuilds. */
  put(key: string, value: Omit<CachedTarget, "count">): void {
    const objects = JSON.stringify(value.objects);
    const { id, waves, findings, files } = value;
    const entry: Entry = {
      format: FORMAT,
      key,
      digest: digest(files),
      count: value.objects.length,
      objects: sha(objects),
      id,
      waves,
      findings,
      files,
    };
    try {
      ignoredWorkDir(dirname(this.dir));
      mkdirSync(this.dir, { recursive: true });
      mkdirSync(this.objectsDir, { recursive: true });
      writeAtomically(join(this.objectsDir, `${key}.json`), objects);
      writeAtomically(join(this.dir, `${key}.json`), JSON.stringify(entry));
    } catch {
      // read-only or full disk: caching is an optimisation only
    }
  }

  /** Removes every entry whose key is not in `keep` (after a compile of the whole fleet). */
  prune(keep: Set<string>): void {
    for (const dir of [this.dir, this.objectsDir]) {
      try {
        for (const name of readdirSync(dir)) {
          if (!keep.has(name.replace(/\.json$/, ""))) rmSync(join(dir, name), { force: true });
        }
      } catch {
        // nothing cached yet
      }
    }
  }
}
