/**
 * The incremental-compile cache: one entry per target key in
 * `.manifold-cache/targets/<key>.json`, holding the target's rendered files,
 * its final objects and waves (the Argo CD layer and the plan read them) and
 * its findings. An entry is trusted only when it parses,
 * names the key it is stored under, and its files match the digest it
 * carries; anything else (a truncated write, an edit, another format) is
 * ignored and rebuilt. Entries are written aside and renamed into place.
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

const FORMAT = 2;

export interface CachedTarget {
  /** `platform/environment/region`. */
  id: string;
  objects: RenderedObject[];
  waves: WavePlan;
  findings: Finding[];
  /** File contents keyed by path relative to `rendered/`. */
  files: [string, string][];
}

interface Entry extends CachedTarget {
  format: number;
  key: string;
  digest: string;
}

function digest(files: [string, string][]): string {
  const hash = createHash("sha256");
  for (const [path, content] of files) hash.update(path).update("\0").update(content).update("\0");
  return hash.digest("hex");
}

/** A folder of cached targets, for one compiler. */
export class TargetCache {
  readonly dir: string;
  readonly compiler: string;

  /** `dir` is the cache folder (`<root>/.manifold-cache`); `compiler` defaults to the running compiler's key. */
  constructor(dir: string, compiler: string = compilerKey()) {
    this.dir = join(dir, "targets");
    this.compiler = compiler;
  }

  /** The key of a target under this cache's compiler. */
  keyOf(target: ResolvedTarget): string {
    return targetKey(this.compiler, target);
  }

  /** The cached output for `key`, or undefined when there is none or it cannot be trusted. */
  get(key: string): CachedTarget | undefined {
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
      !Array.isArray(entry.objects) ||
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
    return { id: entry.id, objects: entry.objects, waves: entry.waves, findings: entry.findings, files: entry.files };
  }

  /** Stores the output of `key`. A cache that cannot be written is not an error: the next compile rebuilds. */
  put(key: string, value: CachedTarget): void {
    const entry: Entry = { format: FORMAT, key, digest: digest(value.files), ...value };
    try {
      ignoredWorkDir(dirname(this.dir));
      mkdirSync(this.dir, { recursive: true });
      const tmp = join(this.dir, `${key}.json.${process.pid}.tmp`);
      writeFileSync(tmp, JSON.stringify(entry));
      renameSync(tmp, join(this.dir, `${key}.json`));
    } catch {
      // read-only or full disk: caching is an optimisation only
    }
  }

  /** Removes every entry whose key is not in `keep` (after a compile of the whole fleet). */
  prune(keep: Set<string>): void {
    try {
      for (const name of readdirSync(this.dir)) {
        if (!keep.has(name.replace(/\.json$/, ""))) rmSync(join(this.dir, name), { force: true });
      }
    } catch {
      // nothing cached yet
    }
  }
}
