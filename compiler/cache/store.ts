/**
 * The incremental-compile cache: one entry per target key in
 * `.manifold-cache/targets/<key>.json`, holding the paths of the target's
 * rendered files, its waves, its findings and how many objects it has. The
 * files' contents (`.manifold-cache/contents/<key>.txt`) and the final objects
 * (`.manifold-cache/objects/<key>.json`, what the fleet layers and the plan
 * read) are kept apart, and may be read only when first asked for: a compile
 * whose fleet layers come from their own cache never parses the objects, and
 * one that finds `rendered/` unchanged by its stamps never reads the contents.
 * An entry is trusted only when it parses, names the key it is stored under,
 * and its files (and objects) match the digests it carries; anything else (a
 * truncated write, an edit, another format) is ignored and rebuilt, or, read
 * late, is an error (UnreadableCacheError) after which the caller compiles
 * again reading everything at once. Entries are written aside and renamed into
 * place, the contents and objects first.
 */
import { createHash } from "../hash.ts";
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { ignoredWorkDir, writeAside } from "../scratch.ts";
import type { Finding } from "../model/finding.ts";
import { compilerKey, targetKey } from "./key.ts";
import type { ResolvedTarget } from "../model/target.ts";
import type { RenderedObject } from "../model/object.ts";
import type { WavePlan } from "../model/target.ts";
import { writtenJson } from "../validate/content-memo.ts";

const FORMAT = 5;

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
  /** The files' paths, in order (known without reading their contents). */
  paths: string[];
}

interface Entry extends Omit<CachedTarget, "objects" | "files"> {
  format: number;
  key: string;
  /** The digest of the contents file's text (which, with `paths`, gives every file). */
  contents: string;
  /** The digest of the objects file's text. */
  objects: string;
}

/** A cached file or object list read late (lazily) that is missing or does not match its entry's digest. */
export class UnreadableCacheError extends Error {}

/**
 * The contents file's text: a JSON list of each content's length (in UTF-16 units, as JavaScript counts), a newline,
 * then the contents one after the other. Unlike a JSON list of the contents it needs no escaping of the YAML's quotes
 * and newlines to write, nor unescaping to read.
 */
function frame(contents: string[]): string {
  return `${JSON.stringify(contents.map((c) => c.length))}\n${contents.join("")}`;
}

/** The contents framed in `text` (frame), or undefined when it is not such a text. */
function unframe(text: string): string[] | undefined {
  const newline = text.indexOf("\n");
  if (newline < 0) return undefined;
  const lengths = JSON.parse(text.slice(0, newline)) as unknown;
  if (!Array.isArray(lengths) || !lengths.every((n) => Number.isInteger(n) && n >= 0)) return undefined;
  const contents: string[] = [];
  let at = newline + 1;
  for (const n of lengths as number[]) contents.push(text.slice(at, (at += n)));
  return at === text.length ? contents : undefined;
}

/**
 * `JSON.stringify(objects)`, taking each object's text from the validation that just wrote it (content-memo.ts
 * `writtenJson`) instead of writing it again.
 */
function objectsJson(objects: RenderedObject[]): string {
  const STAND_IN = '{"object":0';
  const parts = objects.map((o) => {
    const text = writtenJson(o.object);
    const rest = text === undefined ? undefined : JSON.stringify({ ...o, object: 0 });
    return rest?.startsWith(STAND_IN) ? `{"object":${text}${rest.slice(STAND_IN.length)}` : JSON.stringify(o);
  });
  return `[${parts.join(",")}]`;
}

function sha(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** A folder of cached targets, for one compiler. */
export class TargetCache {
  readonly dir: string;
  /** Where each entry's objects are: `<cache>/objects`. */
  readonly objectsDir: string;
  /** Where each entry's files' contents are: `<cache>/contents/<key>.txt` (framed, see frame). */
  readonly contentsDir: string;
  readonly compiler: string;
  /** True once put made the folders (and the work folder's .gitignore) for this cache object. */
  private prepared = false;

  /** `dir` is the cache folder (`<root>/.manifold-cache`); `compiler` defaults to the running compiler's key. */
  constructor(dir: string, compiler: string = compilerKey()) {
    this.dir = join(dir, "targets");
    this.objectsDir = join(dir, "objects");
    this.contentsDir = join(dir, "contents");
    this.compiler = compiler;
  }

  /** The key of a target under this cache's compiler. */
  keyOf(target: ResolvedTarget): string {
    return targetKey(this.compiler, target);
  }

  /**
   * The cached output for `key`, or undefined when there is none or it cannot be trusted. With `objects: "lazy"`
   * the objects are read (and checked) only when the result's `objects` is first read, and with `files: "lazy"` the
   * files' contents only when its `files` is; such a read throws an UnreadableCacheError when the file went missing
   * or bad meanwhile.
   */
  get(key: string, objects: "now" | "lazy" = "now", files: "now" | "lazy" = "now"): CachedTarget | undefined {
    const entry = this.entry(key);
    if (!entry) return undefined;
    const { id, waves, findings, count, paths } = entry;
    const out = { id, count, waves, findings, paths } as CachedTarget;
    for (const [field, when, read] of [
      ["objects", objects, () => this.objects(key, entry)],
      ["files", files, () => this.contents(key, entry)],
    ] as const) {
      if (when === "now") {
        const value = read();
        if (!value) return undefined;
        Object.defineProperty(out, field, { value, enumerable: true });
        continue;
      }
      let memo: unknown;
      const load = () => {
        memo ??= read();
        if (!memo)
          throw new UnreadableCacheError(`the cached ${field} of ${id} are unreadable: compile again with --no-cache`);
        return memo;
      };
      Object.defineProperty(out, field, { get: load, enumerable: true });
    }
    return out;
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
      typeof entry.contents !== "string" ||
      typeof entry.waves !== "object" ||
      entry.waves === null
    )
      return undefined;
    if (!Array.isArray(entry.findings) || !Array.isArray(entry.paths)) return undefined;
    if (!entry.paths.every((p) => typeof p === "string")) return undefined;
    return entry;
  }

  /** The files of an entry: their contents read, checked against the contents file's digest, with the entry's paths. */
  private contents(key: string, entry: Entry): [string, string][] | undefined {
    try {
      const text = readFileSync(join(this.contentsDir, `${key}.txt`), "utf8");
      if (sha(text) !== entry.contents) return undefined;
      const contents = unframe(text);
      if (!contents || contents.length !== entry.paths.length) return undefined;
      return entry.paths.map((p, i): [string, string] => [p, contents[i]]);
    } catch {
      return undefined;
    }
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
  put(key: string, value: Omit<CachedTarget, "count" | "paths">): void {
    // Texts, not buffers: a digest encodes a text as fast as its bytes, and Node writes a text in one call
    // (encoding it to a buffer first, to share that, made the writes slower than the digests got faster).
    const objects = objectsJson(value.objects);
    const { id, waves, findings, files } = value;
    const contents = frame(files.map(([, content]) => content));
    const entry: Entry = {
      format: FORMAT,
      key,
      count: value.objects.length,
      objects: sha(objects),
      contents: sha(contents),
      id,
      waves,
      findings,
      paths: files.map(([path]) => path),
    };
    const write = () => {
      writeAside(join(this.objectsDir, `${key}.json`), objects);
      writeAside(join(this.contentsDir, `${key}.txt`), contents);
      writeAside(join(this.dir, `${key}.json`), JSON.stringify(entry));
    };
    try {
      if (!this.prepared) this.prepare();
      write();
    } catch {
      // the folders went missing since they were made (another run's `cache clean`): make them again, once
      try {
        this.prepare();
        write();
      } catch {
        // read-only or full disk: caching is an optimisation only
      }
    }
  }

  /** Makes the cache's folders, in a work folder git ignores: once per cache object, not for every entry. */
  private prepare(): void {
    this.prepared = false;
    ignoredWorkDir(dirname(this.dir));
    mkdirSync(this.dir, { recursive: true });
    mkdirSync(this.objectsDir, { recursive: true });
    mkdirSync(this.contentsDir, { recursive: true });
    this.prepared = true;
  }

  /** Removes every entry whose key is not in `keep` (after a compile of the whole fleet). */
  prune(keep: Set<string>): void {
    for (const dir of [this.dir, this.objectsDir, this.contentsDir]) {
      try {
        for (const name of readdirSync(dir)) {
          if (!keep.has(name.replace(/\.(json|txt)$/, ""))) rmSync(join(dir, name), { force: true });
        }
      } catch {
        // nothing cached yet
      }
    }
  }
}
