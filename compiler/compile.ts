/**
 * The pipeline, one step per function: load (compile), resolve and take what the cache holds (compileLoaded),
 * build, order, patch, validate and render each target (compileTargets), then assemble the files, the findings
 * and the Argo CD layer. One run context carries the options, timings and cache keys through every step.
 * Everything here is a library call; the CLI only parses flags and prints. Nothing is written until every phase
 * has passed.
 */
import { dirname, join } from "node:path";
import { ManifoldError, combineErrors } from "./errors.ts";
import { load } from "./load.ts";
import { noMatchMessage } from "./filter-hint.ts";
import { type Project } from "./model/project.ts";
import { resolve } from "./resolve.ts";
import type { BuiltTarget, CompiledTarget, ResolvedTarget, TargetFilter, WavePlan } from "./model/target.ts";
import { build } from "./blocks/index.ts";
import type { RenderedObject } from "./model/object.ts";
import { order } from "./order.ts";
import { patch } from "./patch.ts";
import { blocking, validate } from "./validate/index.ts";
import { findingsError } from "./validate/findings-error.ts";
import { isRuleTiming } from "./validate/rule-timings.ts";
import type { Finding } from "./model/finding.ts";
import { renderTargetFiles, targetFolder } from "./emit/files.ts";
import { renderReadme } from "./emit/readme.ts";
import { diffTree, isEmptyDiff, recoverTree, writeTree, type Scope, type TreeDiff } from "./emit/write.ts";
import { commandLine, withLock } from "./emit/lock.ts";
import { diffWithStamps } from "./emit/stamps.ts";
import { refuseTargetRemoval } from "./emit/removal.ts";
import { sortForSync } from "./sync/apply-order.ts";
import { renderArgoCd, type ArgoCdLayer } from "./argocd/index.ts";
import { renderClusterLayer, type ClusterLayer } from "./cluster/index.ts";
import type { CachedTarget, TargetCache } from "./cache/store.ts";
import { layersKey, readLayers, writeLayers, type CachedLayers } from "./cache/layers.ts";
import { take, workQueue, type WorkQueue } from "./work-queue.ts";

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
  /** The targets another thread built (compileLoadedParallel). */
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
  /** Build part of the targets elsewhere (compileLoadedParallel). */
  offload?: Offload;
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

function timed<T>(timings: Record<string, number>, phase: string, fn: () => T): T {
  const start = performance.now();
  try {
    return fn();
  } finally {
    timings[phase] = (timings[phase] ?? 0) + performance.now() - start;
  }
}

/** The scope of a filtered compile: target folders whose environment, region and platform match. */
export function scopeFor(filter: TargetFilter | undefined): Scope {
  if (!filter || (!filter.platform && !filter.environment && !filter.region)) return undefined;
  return (path: string) => {
    const [env, region, platform] = path.split("/");
    if (env === "argocd") return false;
    return (
      (!filter.environment || env === filter.environment) &&
      (!filter.region || region === filter.region) &&
      (!filter.platform || platform === filter.platform)
    );
  };
}

/** What compiling a set of resolved targets gives: their objects, findings and files. */
export interface CompiledTargets {
  targets: CompiledTarget[];
  findings: Finding[];
  files: Map<string, string>;
}

/**
 * Phases 3 to 6 and the rendering of files, for resolved targets. Throws a ManifoldError listing every problem
 * of the first phase that has any (blocking findings too, unless the run keeps errors). With a cache, each
 * target's output is stored under its key in the run's `keys`.
 */
export function compileTargets(resolved: ResolvedTarget[], options: RunOptions = {}): CompiledTargets {
  const run = runContext(options);
  const built = timed(run.timings, "build", () => build(resolved));
  const ordered = timed(run.timings, "order", () => built.map(order));
  const patched = timed(run.timings, "patch", () => patchAll(ordered));
  const findings = timed(run.timings, "validate", () => validate(patched, run.timings));
  const errors = blocking(findings);
  if (errors.length && !run.keepErrors) throw findingsError(errors);
  return timed(run.timings, "render", () => renderTargets(patched, findings, run));
}

/** A target after phase 4 (order) and phase 5 (patch): its objects and its wave plan. */
type OrderedTarget = BuiltTarget & { waves: WavePlan };

/** Phase 5 over every target, collecting every target's errors before throwing them together. */
function patchAll(ordered: OrderedTarget[]): OrderedTarget[] {
  const errors: ManifoldError[] = [];
  const out = ordered.flatMap((t) => {
    try {
      return [patch(t)];
    } catch (e) {
      if (e instanceof ManifoldError) errors.push(e, ...e.others);
      else throw e;
      return [];
    }
  });
  if (errors.length) throw combineErrors(errors);
  return out;
}

/** Renders each target's files (objects in sync order, and its README), storing each in the cache when there is one. */
function renderTargets(patched: OrderedTarget[], findings: Finding[], run: RunContext): CompiledTargets {
  const files = new Map<string, string>();
  const targets: CompiledTarget[] = [];
  const findingsOf = run.cache ? groupByTarget(findings) : new Map<string, Finding[]>();
  for (const t of patched) {
    const objects = sortForSync(t.objects);
    const own = renderTargetFiles(t.target, objects);
    own.set(`${targetFolder(t.target)}/README.md`, renderReadme(t.target, objects));
    for (const [path, content] of own) files.set(path, content);
    targets.push({ target: t.target, objects, waves: t.waves });
    const key = run.keys.get(t.target);
    if (run.cache && key !== undefined)
      run.cache.put(key, {
        id: t.target.id,
        objects,
        waves: t.waves,
        findings: findingsOf.get(t.target.id) ?? [],
        files: [...own],
      });
  }
  return { targets, findings, files };
}

/** Findings grouped by target id, each group in the order given. */
function groupByTarget(findings: Finding[]): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = out.get(f.target);
    if (list) list.push(f);
    else out.set(f.target, [f]);
  }
  return out;
}

/** The resolved targets of a run, split into those the cache holds (their output taken from it) and those to build. */
interface Partition {
  all: ResolvedTarget[];
  toBuild: ResolvedTarget[];
  files: Map<string, string>;
  reused: ReusedTarget[];
  cachedFindings: Finding[];
  /** How many objects the reused targets have. */
  reusedObjects: number;
  /** The fleet layers' cache entry for this run (with a cache, unfiltered): its key, folder and content if any. */
  layers?: { key: string; dir: string; cached?: CachedLayers };
}

/** Phase 2, resolve: every target the filter selects; no platform at all, or a filter selecting none, is an error. */
function resolveTargets(project: Project, run: RunContext): ResolvedTarget[] {
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
function partition(project: Project, all: ResolvedTarget[], run: RunContext): Partition {
  const p: Partition = { all, toBuild: all, files: new Map(), reused: [], cachedFindings: [], reusedObjects: 0 };
  const cache = run.cache;
  if (!cache) return p;
  p.toBuild = timed(run.timings, "cache", () => {
    for (const target of all) run.keys.set(target, cache.keyOf(target));
    const dir = dirname(cache.dir);
    const key = scopeFor(run.filter)
      ? undefined
      : layersKey(
          cache.compiler,
          project,
          all.map((t) => run.keys.get(t)!),
        );
    p.layers = key ? { key, dir, cached: readLayers(dir, key) } : undefined;
    const objects = p.layers?.cached ? "lazy" : "now";
    return all.filter((target) => {
      const hit = cache.get(run.keys.get(target)!, objects);
      if (!hit) return true;
      for (const [path, content] of hit.files) p.files.set(path, content);
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
function everyTarget(p: Partition, built: CompiledTargets, elsewhere: ReusedTarget[]): CompiledTarget[] {
  const position = new Map(p.all.map((t, i) => [t, i]));
  return [...built.targets, ...p.reused, ...elsewhere].sort(
    (a, b) => (position.get(a.target) ?? 0) - (position.get(b.target) ?? 0),
  );
}

/**
 * The cluster and Argo CD layers of a whole-fleet compile: from the layers' cache when the compiler, the project
 * and every target key are those of its entry, otherwise rendered (and then stored, with a cache). Throws on
 * blocking cluster-layer findings (unless the run keeps errors) and on Argo CD layer errors.
 */
function fleetLayers(
  project: Project,
  run: RunContext,
  p: Partition,
  built: CompiledTargets,
  elsewhere: ReusedTarget[],
): CachedLayers {
  const cached = p.layers?.cached;
  // The cluster and Argo CD layers read every target's objects, however each was compiled.
  const all = cached ? [] : everyTarget(p, built, elsewhere);
  const cluster = cached ? cached.cluster : timed(run.timings, "cluster", () => renderClusterLayer(project, all));
  if (cluster && !run.keepErrors && blocking(cluster.findings).length) throw findingsError(blocking(cluster.findings));
  if (cached) return cached;
  // The Argo CD layer checks its Applications against every file, the cluster layer's too.
  for (const [path, content] of cluster?.files ?? []) p.files.set(path, content);
  const argocd = project.argocd
    ? timed(run.timings, "argocd", () => renderArgoCd(project, all, p.files, cluster))
    : undefined;
  const layers: CachedLayers = { ...(cluster ? { cluster } : {}), ...(argocd ? { argocd } : {}) };
  if (p.layers) writeLayers(p.layers.dir, p.layers.key, layers);
  return layers;
}

/** Puts the run together: the targets' files and findings, then the Argo CD layer on an unfiltered compile. */
function assemble(
  project: Project,
  run: RunContext,
  p: Partition,
  built: CompiledTargets,
  elsewhere: ReusedTarget[] = [],
): CompileResult {
  for (const [path, content] of built.files) p.files.set(path, content);
  if (run.cache && !scopeFor(run.filter)) run.cache.prune(new Set(run.keys.values()));
  const findings = findingsInTargetOrder(p, built);
  const scope = scopeFor(run.filter);
  const { cluster, argocd } = scope ? {} : fleetLayers(project, run, p, built, elsewhere);
  for (const [path, content] of cluster?.files ?? []) p.files.set(path, content);
  findings.push(...(cluster?.findings ?? []));
  for (const [path, content] of argocd?.files ?? []) p.files.set(path, content);
  findings.push(...(argocd?.findings ?? []));
  return {
    project,
    targets: built.targets,
    reused: p.reused,
    elsewhere,
    objectCount: [...built.targets, ...elsewhere].reduce((n, t) => n + t.objects.length, p.reusedObjects),
    findings,
    files: p.files,
    scope,
    ...(p.layers && !scope ? { filesKey: p.layers.key } : {}),
    timings: run.timings,
    ...(argocd ? { argocd } : {}),
    ...(cluster ? { cluster } : {}),
  };
}

/**
 * Runs every phase up to the rendered files, from already-loaded descriptions. Throws a ManifoldError on any
 * problem. With a cache, a target whose key (compiler and resolved spec) has an entry is not rebuilt: its files
 * and findings come from the entry.
 */
export function compileLoaded(project: Project, options: RunOptions = {}): CompileResult {
  const run = runContext(options);
  const p = partition(project, resolveTargets(project, run), run);
  return assemble(project, run, p, compileTargets(p.toBuild, run));
}

/** One target built elsewhere: what a worker thread sends back for it. */
export interface RemoteTarget {
  id: string;
  objects: RenderedObject[];
  waves: WavePlan;
  files: [string, string][];
  findings: Finding[];
  /** The milliseconds its phases and rules took there. */
  timings?: Record<string, number>;
}

/**
 * Builds targets elsewhere (a worker thread): it takes them one at a time from `queue` (indexes into `targets`),
 * as this thread does, and `run` gives every target it built. `cancel` stops it when it can have taken none.
 */
export type Offload = (
  targets: ResolvedTarget[],
  keys: Map<ResolvedTarget, string>,
  queue: WorkQueue,
) => { run: Promise<RemoteTarget[]>; cancel?: () => void } | undefined;

/**
 * compileLoaded, with the targets shared between this thread and the run's `offload`: each takes the next target
 * until none is left. On any failure the whole set is compiled here again, so errors are exactly those of
 * compileLoaded.
 */
export async function compileLoadedParallel(project: Project, options: RunOptions = {}): Promise<CompileResult> {
  const run = runContext(options);
  const p = partition(project, resolveTargets(project, run), run);
  const split = await buildOnTwoThreads(p.toBuild, run);
  if (!split) return assemble(project, run, p, compileTargets(p.toBuild, run));
  return assemble(project, run, p, split.here, split.elsewhere);
}

/**
 * Builds `targets` on this thread and the run's offload together, taking them one at a time from a shared queue (this
 * thread from the front, the helper from the back), so that a helper that starts late just takes fewer. Undefined
 * when there is too little to share, the offload declines, or either side fails: then the caller builds the whole
 * set here. Files and findings come in target order.
 */
async function buildOnTwoThreads(
  targets: ResolvedTarget[],
  run: RunContext,
): Promise<{ here: CompiledTargets; elsewhere: ReusedTarget[] } | undefined> {
  const queue = workQueue(targets.length);
  const job = targets.length >= 7 && run.offload ? run.offload(targets, run.keys, queue) : undefined;
  if (!job) return undefined;
  const mine = new Map<number, CompiledTargets>();
  try {
    for (let i = take(queue); i !== undefined; i = take(queue)) mine.set(i, compileTargets([targets[i]], run));
  } catch {
    job.cancel?.();
    job.run.catch(() => undefined);
    return undefined;
  }
  const waitStart = performance.now();
  // Every target is taken: those this thread did not take are the helper's, and with none it need not be waited for.
  let there: RemoteTarget[] | undefined = [];
  if (mine.size === targets.length) {
    job.cancel?.();
    job.run.catch(() => undefined);
  } else there = await job.run.catch(() => undefined);
  run.timings.wait = performance.now() - waitStart;
  if (!there) return undefined;
  const byId = new Map(there.map((t) => [t.id, t]));
  // the rules' milliseconds are processor time, summed over both threads
  for (const t of there)
    for (const [k, v] of Object.entries(t.timings ?? {}))
      if (isRuleTiming(k)) run.timings[k] = (run.timings[k] ?? 0) + v;
  const here: CompiledTargets = { targets: [], findings: [], files: new Map() };
  const elsewhere: ReusedTarget[] = [];
  for (const [i, target] of targets.entries()) {
    const own = mine.get(i);
    const away = own ? undefined : byId.get(target.id);
    if (!own && !away) return undefined;
    for (const [path, content] of own?.files ?? away!.files) here.files.set(path, content);
    here.findings.push(...(own?.findings ?? away!.findings));
    if (own) here.targets.push(...own.targets);
    else elsewhere.push({ target, objects: away!.objects, waves: away!.waves });
  }
  return { here, elsewhere };
}

/** Loads the descriptions under `root` and compiles them. */
export async function compile(options: CompileOptions): Promise<CompileResult> {
  const timings: Record<string, number> = {};
  const start = performance.now();
  const project = await load(options.root);
  timings.load = performance.now() - start;
  const { filter, keepErrors, cache, offload } = options;
  // a compile that keeps errors is only reported, never stored or shared out
  if (keepErrors) return compileLoaded(project, { filter, timings, keepErrors });
  if (offload) return compileLoadedParallel(project, { filter, timings, cache, offload });
  return compileLoaded(project, { filter, timings, cache });
}

/** The rendered folder of a project. */
export function renderedDir(root: string): string {
  return join(root, "rendered");
}

/**
 * What writing the compile's files would change in `rendered/`; when the compile has a files key, reading only the
 * files whose stamps differ from those recorded under it (emit/stamps.ts). `record` notes the files found equal.
 */
function compareRendered(dir: string, result: CompileResult): { diff: TreeDiff; record: () => void } {
  if (result.filesKey === undefined || result.scope)
    return { diff: diffTree(dir, result.files, result.scope), record() {} };
  return diffWithStamps(dir, result.files, result.filesKey);
}

/** Compares a compile with `rendered/` on disk (holding the lock, after finishing an interrupted write). */
export function checkRendered(root: string, result: CompileResult): TreeDiff {
  return withLock(root, commandLine(), () => {
    recoverTree(renderedDir(root));
    const { diff, record } = compareRendered(renderedDir(root), result);
    record();
    return diff;
  });
}

export interface EmitOptions {
  /** Allow a write that removes whole target folders (a platform no description renders any more). */
  allowRemoval?: boolean;
}

/**
 * Phase 7, emit: brings `rendered/` (or the compile's scope of it) up to date, writing only what changed, holding
 * the project's lock. Returns what changed; writes nothing when nothing did. Refuses (a ManifoldError) to remove a
 * whole target folder unless `allowRemoval`.
 */
export function emit(root: string, result: CompileResult, options: EmitOptions = {}): TreeDiff {
  return withLock(root, commandLine(), () => {
    const dir = renderedDir(root);
    recoverTree(dir);
    const { diff, record } = compareRendered(dir, result);
    if (!options.allowRemoval) refuseTargetRemoval(diff, result.files);
    record();
    if (!isEmptyDiff(diff)) writeTree(dir, result.files, diff);
    return diff;
  });
}
