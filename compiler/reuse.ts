/**
 * The part of a compile that needs none of the build, validate, render or layer code: load, resolve, and take from
 * the cache every target it holds (phases 1 and 2 and the cache lookup), then assemble the result. When the cache
 * holds every selected target and (on a whole-fleet compile) the fleet layers, startCompile finishes the compile
 * itself; otherwise it gives the targets to build to the run's offload (a helper thread) at once, and compile.ts
 * builds the rest. The CLI loads compile.ts (and everything it imports) only then.
 */
import { dirname } from "node:path";
import { ManifoldError } from "./errors.ts";
import { load } from "./load.ts";
import { noMatchMessage } from "./filter-hint.ts";
import type { Project } from "./model/project.ts";
import { resolve } from "./resolve.ts";
import type { CompiledTarget, ResolvedTarget, TargetFilter } from "./model/target.ts";
import type { Finding } from "./model/finding.ts";
import type { Scope } from "./emit/write.ts";
import type { ArgoCdLayer } from "./argocd/index.ts";
import type { ClusterLayer } from "./cluster/index.ts";
import type { CachedTarget, TargetCache } from "./cache/store.ts";
import { layersKey, readLayers, type CachedLayers } from "./cache/layers.ts";
import { LazyFiles } from "./cache/lazy-files.ts";
import { targetFolder } from "./emit/files.ts";
import { ownersOf, readRunRecord, recordedFiles, runKey, writeRunRecord } from "./cache/run-record.ts";
import { shareBatch, type Offload, type SharedBatch } from "./shared-batch.ts";
import { now } from "./clock.ts";

export type { Offload, RemoteTarget } from "./shared-batch.ts";

/**
 * A target compiled without being built here (taken from the cache, or built by another thread): the same shape
 * as a built one.
 */
export type ReusedTarget = CompiledTarget;

export interface CompileResult {
  project: Project;
  /** The targets built by this compile. */
  targets: CompiledTarget[];
  /** The targets taken unchanged from the cache (only with a cache); their files are in `files` too. */
  reused: ReusedTarget[];
  /** The targets another thread built (the run's offload). */
  elsewhere: ReusedTarget[];
  /** How many objects all the targets have together (without reading cached targets' objects). */
  objectCount: number;
  findings: Finding[];
  /** File contents keyed by path relative to `rendered/`. */
  files: Map<string, string>;
  /** The part of `rendered/` this compile owns (all of it unless filtered). */
  scope: Scope;
  /**
   * A key naming the whole of `files` (equal keys, equal files): the fleet layers' key, on an unfiltered compile with
   * a cache (compiler/cache/layers.ts). It lets emit and check skip reading files recorded equal under it.
   */
  filesKey?: string;
  /** Milliseconds spent in each phase. */
  timings: Record<string, number>;
  /** The Argo CD layer (`rendered/argocd/`), on an unfiltered compile of a project with `argocd/`. */
  argocd?: ArgoCdLayer;
  /** The cluster layer (`rendered/clusters/`), on an unfiltered compile of a project with `addons/` and `argocd/`. */
  cluster?: ClusterLayer;
  /**
   * Set when the whole result came from the run record (cache/run-record.ts): how many targets it has. No target is
   * listed in `targets`, `reused` or `elsewhere` then, and no file's content can be read (each throws an
   * UnreadableCacheError).
   */
  recorded?: number;
}

export interface CompileOptions {
  root: string;
  filter?: TargetFilter;
  /** Return error findings in the result instead of throwing (what `validate` reports); never emit such a result. */
  keepErrors?: boolean;
  /** Reuse the output of targets whose resolved spec and compiler are unchanged. */
  cache?: TargetCache;
  /** Build part of the targets elsewhere (compiler/parallel.ts). */
  offload?: Offload;
  /**
   * Read a cached target's file contents only when first asked for (cache/lazy-files.ts), when the fleet layers
   * come from the cache too, and of the cached layers only their files and findings until more is asked for; and, on
   * an unfiltered compile, take the whole result from the run record when it is for this compiler and project (and
   * record it otherwise). Such a late read may throw an UnreadableCacheError: compile again without it.
   */
  lazyFiles?: boolean;
  /** Bundle every description afresh (the CLI's --no-cache), never taking one from `.manifold-cache/descriptions/`. */
  freshDescriptions?: boolean;
  /**
   * Write each built target's files to this prestage as soon as they are rendered (emit/prestage.ts `openPrestage`,
   * for a first write of rendered/); the emit phase given the same prestage takes them from there.
   */
  prestage?: string;
}

/** Everything one compile run carries from step to step, set once at its start. */
export interface RunContext {
  /** Compile only the matching targets (and leave the rest of `rendered/` alone). */
  filter?: TargetFilter;
  /** Milliseconds spent in each phase, added to by every step. */
  timings: Record<string, number>;
  /** Reuse and store each target's output under its key. */
  cache?: TargetCache;
  /** Each resolved target's cache key (filled in when there is a cache). */
  keys: Map<ResolvedTarget, string>;
  /** Return error findings in the result instead of throwing. */
  keepErrors: boolean;
  /** Build part of the targets elsewhere (a helper thread: shared-batch.ts). */
  offload?: Offload;
  /** Read cached targets' file contents when first asked for (CompileOptions.lazyFiles). */
  lazyFiles?: boolean;
  /** Where each built target's files are written as soon as they are rendered (CompileOptions.prestage). */
  prestage?: string;
  /** The run record's key (cache/run-record.ts), when this run records its result: unfiltered, with a cache. */
  runKey?: string;
}

/** The parts of a run a caller may set; the rest start empty. */
export type RunOptions = Partial<RunContext>;

/** A run context from the caller's options: no timings, keys or kept errors unless given. */
export function runContext(options: RunOptions = {}): RunContext {
  return {
    ...options,
    timings: options.timings ?? {},
    keys: options.keys ?? new Map(),
    keepErrors: options.keepErrors ?? false,
  };
}

/** Runs `fn`, adding the milliseconds it took to the phase's timing. */
export function timed<T>(timings: Record<string, number>, phase: string, fn: () => T): T {
  const start = now();
  try {
    return fn();
  } finally {
    timings[phase] = (timings[phase] ?? 0) + now() - start;
  }
}

/**
 * The scope of a filtered compile: target folders whose environment, region and platform match. A folder holds some
 * of it while each of its first three names it has (`<env>/<region>/<platform>`) matches.
 */
export function scopeFor(filter: TargetFilter | undefined): Scope {
  if (!filter || (!filter.platform && !filter.environment && !filter.region)) return undefined;
  const matches = (parts: string[], whole: boolean): boolean => {
    const [env, region, platform] = parts;
    if (env === "argocd") return false;
    const fits = (name: string | undefined, wanted: string | undefined) =>
      !wanted || name === wanted || (!whole && name === undefined);
    return fits(env, filter.environment) && fits(region, filter.region) && fits(platform, filter.platform);
  };
  return Object.assign((path: string) => matches(path.split("/"), true), {
    holds: (folder: string) => matches(folder.split("/"), false),
  });
}

/** What compiling a set of resolved targets gives: their objects, findings and files. */
export interface CompiledTargets {
  targets: CompiledTarget[];
  findings: Finding[];
  files: Map<string, string>;
}

/** Findings grouped by target id, each group in the order given. */
export function groupByTarget(findings: Finding[]): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = out.get(f.target);
    if (list) list.push(f);
    else out.set(f.target, [f]);
  }
  return out;
}

/** The resolved targets of a run, split into those the cache holds (their output taken from it) and those to build. */
export interface Partition {
  all: ResolvedTarget[];
  toBuild: ResolvedTarget[];
  files: LazyFiles;
  reused: ReusedTarget[];
  cachedFindings: Finding[];
  /** How many objects the reused targets have. */
  reusedObjects: number;
  /** The fleet layers' cache entry for this run (with a cache, unfiltered): its key, folder and content if any. */
  layers?: { key: string; dir: string; cached?: CachedLayers };
}

/** Phase 2, resolve: every target the filter selects; no platform at all, or a filter selecting none, is an error. */
export function resolveTargets(project: Project, run: RunContext): ResolvedTarget[] {
  const all = timed(run.timings, "resolve", () => resolve(project, run.filter));
  const filter = run.filter;
  if (project.platforms.length === 0)
    throw new ManifoldError(
      "there are no platforms: add one with 'npx manifold new platform <name>' (or write platforms/<name>.ts exporting platform({...}), see the README)",
      { file: "platforms/" },
    );
  if (all.length === 0 && filter) {
    throw new ManifoldError(noMatchMessage(project, filter));
  }
  return all;
}

/**
 * Takes from the cache every target it holds (files, findings, objects); the rest are left to build. With a cache,
 * the fleet layers' entry is looked up first: when it holds this run's layers, no target's objects are read unless
 * a caller asks for them.
 */
export function partition(project: Project, all: ResolvedTarget[], run: RunContext): Partition {
  const p: Partition = { all, toBuild: all, files: new LazyFiles(), reused: [], cachedFindings: [], reusedObjects: 0 };
  const cache = run.cache;
  if (!cache) return p;
  p.toBuild = timed(run.timings, "cache", () => {
    for (const target of all) run.keys.set(target, cache.keyOf(target));
    const dir = dirname(cache.dir);
    const filtered = scopeFor(run.filter) !== undefined;
    const key = filtered
      ? undefined
      : layersKey(
          cache.compiler,
          project,
          all.map((t) => run.keys.get(t)!),
        );
    p.layers = key ? { key, dir, cached: readLayers(dir, key, run.lazyFiles) } : undefined;
    // A cached target's objects are read only for fleet layers rendered afresh: a filtered compile renders none, and
    // layers from their cache need none (at 10k objects, reading those of one platform's 20 targets took ~25 ms). An
    // unfiltered compile with no layers key (a hydrated add-on) renders them: its objects are read now, so a damaged
    // entry is rebuilt rather than failing the layers.
    const objects = filtered || p.layers?.cached ? "lazy" : "now";
    const files = p.layers?.cached && run.lazyFiles ? "lazy" : "now";
    return all.filter((target) => {
      const hit = cache.get(run.keys.get(target)!, objects, files);
      if (!hit) return true;
      if (files === "lazy") hit.paths.forEach((path, i) => p.files.setLazy(path, () => hit.files[i][1]));
      else for (const [path, content] of hit.files) p.files.set(path, content);
      p.cachedFindings.push(...hit.findings);
      p.reused.push(reusedTarget(target, hit));
      p.reusedObjects += hit.count;
      return false;
    });
  });
  return p;
}

/** A target taken from the cache: its objects are the entry's, read when first asked for. */
function reusedTarget(target: ResolvedTarget, hit: CachedTarget): ReusedTarget {
  return Object.defineProperty({ target, waves: hit.waves } as ReusedTarget, "objects", {
    get: () => hit.objects,
    enumerable: true,
  });
}

/** Every finding in target order, whether it came from the cache or not; findings of no known target last. */
function findingsInTargetOrder(p: Partition, built: CompiledTargets): Finding[] {
  const byTarget = groupByTarget([...p.cachedFindings, ...built.findings]);
  const inOrder = p.all.flatMap((t) => byTarget.get(t.id) ?? []);
  const ids = new Set(p.all.map((t) => t.id));
  inOrder.push(...built.findings.filter((f) => !ids.has(f.target)));
  return inOrder;
}

/** Every compiled target, however it was compiled (here, from the cache, elsewhere), in resolve order. */
export function everyTarget(p: Partition, built: CompiledTargets, elsewhere: ReusedTarget[]): CompiledTarget[] {
  const position = new Map(p.all.map((t, i) => [t, i]));
  return [...built.targets, ...p.reused, ...elsewhere].sort(
    (a, b) => (position.get(a.target) ?? 0) - (position.get(b.target) ?? 0),
  );
}

/**
 * Puts the run together: the targets' files and findings, then, on an unfiltered compile, the fleet layers `fleet`
 * gives (called once every target's files are in `p.files`).
 */
export function assemble(
  project: Project,
  run: RunContext,
  p: Partition,
  built: CompiledTargets,
  elsewhere: ReusedTarget[],
  fleet: () => CachedLayers,
): CompileResult {
  for (const [path, content] of built.files) p.files.set(path, content);
  if (run.cache && !scopeFor(run.filter)) run.cache.prune(new Set(run.keys.values()));
  const findings = findingsInTargetOrder(p, built);
  const scope = scopeFor(run.filter);
  const { cluster, argocd } = scope ? {} : fleet();
  for (const [path, content] of cluster?.files ?? []) p.files.set(path, content);
  findings.push(...(cluster?.findings ?? []));
  for (const [path, content] of argocd?.files ?? []) p.files.set(path, content);
  findings.push(...(argocd?.findings ?? []));
  const objectCount = [...built.targets, ...elsewhere].reduce((n, t) => n + t.objects.length, p.reusedObjects);
  if (run.runKey && run.cache && p.layers && !scope) {
    const keyOfFolder = new Map(p.all.map((t) => [targetFolder(t), run.keys.get(t)!]));
    writeRunRecord(p.layers.dir, {
      key: run.runKey,
      filesKey: p.layers.key,
      targets: p.all.length,
      objects: objectCount,
      findings,
      paths: [...p.files.keys()],
      ...ownersOf(p.files.keys(), keyOfFolder),
    });
  }
  return {
    project,
    targets: built.targets,
    reused: p.reused,
    elsewhere,
    objectCount,
    findings,
    files: p.files,
    scope,
    ...(p.layers && !scope ? { filesKey: p.layers.key } : {}),
    timings: run.timings,
    ...(argocd ? { argocd } : {}),
    ...(cluster ? { cluster } : {}),
  };
}

/** How many targets a compile has, and how many of them it took unchanged from the cache (or the run record). */
export function targetCounts(result: CompileResult): { all: number; unchanged: number } {
  if (result.recorded !== undefined) return { all: result.recorded, unchanged: result.recorded };
  const all = result.targets.length + result.elsewhere.length + result.reused.length;
  return { all, unchanged: result.reused.length };
}

/** A compile after load, resolve and the cache lookup: finished (`result`) when nothing was left to build. */
export interface Started {
  project: Project;
  run: RunContext;
  p: Partition;
  result?: CompileResult;
  /**
   * The targets to build, already given to the run's offload to share with this thread (shared-batch.ts); undefined
   * when there are too few, the run has no offload, or it declined. finishCompile must follow: the helper otherwise
   * builds the whole batch alone.
   */
  shared?: SharedBatch;
}

/**
 * Loads and resolves, and takes from the cache what it holds. When every selected target came from the cache and
 * the fleet layers did too (or the compile is filtered), the result is complete; otherwise the targets to build are
 * given to the run's offload (shared-batch.ts), which may start on them at once, and compile.ts's finishCompile
 * builds the rest. A compile that keeps errors is never finished here (it never reads the cache).
 */
export async function startCompile(options: CompileOptions): Promise<Started> {
  const timings: Record<string, number> = {};
  const start = now();
  const project = await load(options.root, { fresh: options.freshDescriptions, bundler: options.offload?.bundle });
  timings.load = now() - start;
  const { filter, keepErrors, cache, offload, lazyFiles, prestage } = options;
  const run = runContext(
    keepErrors ? { filter, timings, keepErrors } : { filter, timings, cache, offload, lazyFiles, prestage },
  );
  if (run.cache && run.lazyFiles && !scopeFor(filter)) {
    const cacheDir = dirname(run.cache.dir);
    const key = (run.runKey = timed(timings, "record", () => runKey(run.cache!.compiler, project)));
    const record = timed(timings, "record", () => readRunRecord(cacheDir, key));
    if (record) {
      const files = recordedFiles(record, (owner) => {
        if (owner) return run.cache!.get(owner, "lazy", "lazy")?.files;
        const layers = readLayers(cacheDir, record.filesKey, true);
        return layers && [...(layers.cluster?.files ?? []), ...(layers.argocd?.files ?? [])];
      });
      const p: Partition = { all: [], toBuild: [], files, reused: [], cachedFindings: [], reusedObjects: 0 };
      const result: CompileResult = {
        ...{ project, targets: [], reused: [], elsewhere: [], objectCount: record.objects, findings: record.findings },
        ...{ files, scope: undefined, filesKey: record.filesKey, timings, recorded: record.targets },
      };
      return { project, run, p, result };
    }
  }
  const p = partition(project, resolveTargets(project, run), run);
  const layers = p.layers?.cached;
  if (p.toBuild.length > 0)
    return { project, run, p, shared: shareBatch(p.toBuild, run.offload, run.keys, run.prestage) };
  if (keepErrors || !cache || !(scopeFor(filter) || layers)) return { project, run, p };
  // The layers' cluster findings were checked when they were stored; a blocking one still stops the compile.
  if (layers?.cluster?.findings.length) {
    const { blocking } = await import("./validate/index.ts");
    const errors = blocking(layers.cluster.findings);
    if (errors.length) throw (await import("./validate/findings-error.ts")).findingsError(errors);
  }
  const none: CompiledTargets = { targets: [], findings: [], files: new Map() };
  return { project, run, p, result: assemble(project, run, p, none, [], () => layers ?? {}) };
}
