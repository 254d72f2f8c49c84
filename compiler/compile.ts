/**
 * The pipeline: load, resolve, build, order, patch, validate, then render
 * files. Everything here is a library call; the CLI only parses flags and
 * prints. Nothing is written until every phase has passed.
 */
import { join } from "node:path";
import { ManifoldError, combineErrors } from "./errors.ts";
import { load } from "./load.ts";
import { noMatchMessage } from "./filter-hint.ts";
import { type Project } from "./model/project.ts";
import { resolve } from "./resolve.ts";
import { type ResolvedTarget, type TargetFilter } from "./model/target.ts";
import { build } from "./blocks/index.ts";
import type { RenderedObject } from "./model/object.ts";
import { order } from "./order.ts";
import { type WavePlan } from "./model/target.ts";
import { patch } from "./patch.ts";
import { blocking, validate } from "./validate/index.ts";
import type { Finding } from "./model/finding.ts";
import { renderTargetFiles, targetFolder } from "./emit/files.ts";
import { renderReadme } from "./emit/readme.ts";
import { diffTree, isEmptyDiff, writeTree, type Scope, type TreeDiff } from "./emit/write.ts";
import { sortForSync } from "./sync/apply-order.ts";
import { renderArgoCd, type ArgoCdLayer } from "./argocd/index.ts";
import type { TargetCache } from "./cache/store.ts";
import type { CompiledTarget } from "./model/target.ts";

/**
 * A target compiled without being built here (taken from the cache, or built by another thread): the same shape as
 * a built one.
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
  findings: Finding[];
  /** File contents keyed by path relative to `rendered/`. */
  files: Map<string, string>;
  /** The part of `rendered/` this compile owns (all of it unless filtered). */
  scope: Scope;
  /** Milliseconds spent in each phase. */
  timings: Record<string, number>;
  /** The Argo CD layer (`rendered/argocd/`), on an unfiltered compile of a project with `argocd/`. */
  argocd?: ArgoCdLayer;
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

/** Converts blocking findings into one error that lists each. */
export function findingsError(findings: Finding[]): ManifoldError {
  return combineErrors(
    findings.map(
      (f) =>
        new ManifoldError(
          `${f.component ? `component ${f.component}: ` : ""}${f.rule}: ${f.object} ${f.pointer || "/"}: ${f.message} (fix: ${f.fix})`,
          { file: f.file, target: f.target },
        ),
    ),
  );
}

/** What compiling a set of resolved targets gives: their objects, findings and files. */
export interface CompiledTargets {
  targets: CompiledTarget[];
  findings: Finding[];
  files: Map<string, string>;
}

/**
 * Phases 3 to 6 and the rendering of files, for resolved targets. Throws a ManifoldError listing every problem
 * of the first phase that has any. With a cache, each target's output is stored under its key in `keys`.
 */
export function compileTargets(
  resolved: ResolvedTarget[],
  timings: Record<string, number> = {},
  cache?: TargetCache,
  keys?: Map<ResolvedTarget, string>,
  keepErrors = false,
): CompiledTargets {
  const files = new Map<string, string>();
  const built = timed(timings, "build", () => build(resolved));
  const ordered = timed(timings, "order", () => built.map(order));
  const patched = timed(timings, "patch", () => {
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
  });
  const findings = timed(timings, "validate", () => validate(patched));
  const errors = blocking(findings);
  if (errors.length && !keepErrors) throw findingsError(errors);
  const targets: CompiledTarget[] = [];
  const findingsOf = new Map<string, Finding[]>();
  if (cache)
    for (const f of findings) (findingsOf.get(f.target) ?? findingsOf.set(f.target, []).get(f.target)!).push(f);
  timed(timings, "render", () => {
    for (const t of patched) {
      const objects = sortForSync(t.objects);
      const own = renderTargetFiles(t.target, objects);
      own.set(`${targetFolder(t.target)}/README.md`, renderReadme(t.target, objects));
      for (const [path, content] of own) files.set(path, content);
      targets.push({ target: t.target, objects, waves: t.waves });
      if (cache && keys?.has(t.target))
        cache.put(keys.get(t.target)!, {
          id: t.target.id,
          objects,
          waves: t.waves,
          findings: findingsOf.get(t.target.id) ?? [],
          files: [...own],
        });
    }
  });
  return { targets, findings, files };
}

interface Partition {
  all: ResolvedTarget[];
  toBuild: ResolvedTarget[];
  files: Map<string, string>;
  reused: ReusedTarget[];
  cachedFindings: Finding[];
  keys: Map<ResolvedTarget, string>;
}

/**
 * Resolves, and splits the targets into those the cache holds (files and findings taken from it) and those to
 * build.
 */
function resolveAndPartition(
  project: Project,
  filter: TargetFilter | undefined,
  timings: Record<string, number>,
  cache?: TargetCache,
): Partition {
  const all = timed(timings, "resolve", () => resolve(project, filter));
  if (project.platforms.length === 0)
    throw new ManifoldError(
      "there are no platforms: add one with 'npx manifold new platform <name>' (or write platforms/<name>.ts exporting platform({...}), see the README)",
      { file: "platforms/" },
    );
  if (all.length === 0 && filter) {
    throw new ManifoldError(noMatchMessage(project, filter));
  }
  const p: Partition = { all, toBuild: all, files: new Map(), reused: [], cachedFindings: [], keys: new Map() };
  if (!cache) return p;
  p.toBuild = timed(timings, "cache", () =>
    all.filter((target) => {
      const key = cache.keyOf(target);
      p.keys.set(target, key);
      const hit = cache.get(key);
      if (!hit) return true;
      for (const [path, content] of hit.files) p.files.set(path, content);
      p.cachedFindings.push(...hit.findings);
      p.reused.push({ target, objects: hit.objects, waves: hit.waves });
      return false;
    }),
  );
  return p;
}

function assemble(
  project: Project,
  filter: TargetFilter | undefined,
  timings: Record<string, number>,
  cache: TargetCache | undefined,
  p: Partition,
  built: CompiledTargets,
  elsewhere: ReusedTarget[] = [],
): CompileResult {
  for (const [path, content] of built.files) p.files.set(path, content);
  if (cache && !filter) cache.prune(new Set(p.keys.values()));
  // Findings in target order, whether they came from the cache or not.
  const byTarget = new Map<string, Finding[]>();
  for (const f of [...p.cachedFindings, ...built.findings]) {
    const list = byTarget.get(f.target);
    if (list) list.push(f);
    else byTarget.set(f.target, [f]);
  }
  const inOrder = p.all.flatMap((t) => byTarget.get(t.id) ?? []);
  const ids = new Set(p.all.map((t) => t.id));
  inOrder.push(...built.findings.filter((f) => !ids.has(f.target)));
  const scope = scopeFor(filter);
  // The Argo CD layer reads every target's objects, however each was compiled.
  const position = new Map(p.all.map((t, i) => [t, i]));
  const every = [...built.targets, ...p.reused, ...elsewhere].sort(
    (a, b) => (position.get(a.target) ?? 0) - (position.get(b.target) ?? 0),
  );
  const argocd =
    !scope && project.argocd ? timed(timings, "argocd", () => renderArgoCd(project, every, p.files)) : undefined;
  for (const [path, content] of argocd?.files ?? []) p.files.set(path, content);
  inOrder.push(...(argocd?.findings ?? []));
  return {
    project,
    targets: built.targets,
    reused: p.reused,
    elsewhere,
    findings: inOrder,
    files: p.files,
    scope,
    timings,
    ...(argocd ? { argocd } : {}),
  };
}

/**
 * Runs every phase up to the rendered files, from already-loaded descriptions. Throws a ManifoldError on any problem.
 * With a cache, a target whose key (compiler and resolved spec) has an entry is not rebuilt: its files and findings
 * come from the entry.
 */
export function compileLoaded(
  project: Project,
  filter?: TargetFilter,
  timings: Record<string, number> = {},
  cache?: TargetCache,
  keepErrors = false,
): CompileResult {
  const p = resolveAndPartition(project, filter, timings, cache);
  return assemble(project, filter, timings, cache, p, compileTargets(p.toBuild, timings, cache, p.keys, keepErrors));
}

/** Builds some targets elsewhere (a worker thread): their files and findings, and each target's object count. */
export type Offload = (
  targets: ResolvedTarget[],
  keys: Map<ResolvedTarget, string>,
) =>
  | {
      run: Promise<{
        files: [string, string][];
        findings: Finding[];
        targets: { id: string; objects: RenderedObject[]; waves: WavePlan }[];
      }>;
    }
  | undefined;

/**
 * compileLoaded, with part of the targets built by `offload` while this thread builds the rest. On any failure
 * the whole set is compiled here again, so errors are exactly those of compileLoaded.
 */
export async function compileLoadedParallel(
  project: Project,
  filter: TargetFilter | undefined,
  timings: Record<string, number>,
  cache: TargetCache | undefined,
  offload: Offload,
): Promise<CompileResult> {
  const p = resolveAndPartition(project, filter, timings, cache);
  const half = Math.floor(p.toBuild.length / 2);
  const away = p.toBuild.slice(half);
  const job = away.length >= 4 ? offload(away, p.keys) : undefined;
  if (!job) return assemble(project, filter, timings, cache, p, compileTargets(p.toBuild, timings, cache, p.keys));
  let here: CompiledTargets;
  try {
    here = compileTargets(p.toBuild.slice(0, half), timings, cache, p.keys);
  } catch {
    job.run.catch(() => undefined);
    return assemble(project, filter, timings, cache, p, compileTargets(p.toBuild, timings, cache, p.keys));
  }
  const waitStart = performance.now();
  const there = await job.run.catch(() => undefined);
  timings.wait = performance.now() - waitStart;
  if (!there) return assemble(project, filter, timings, cache, p, compileTargets(p.toBuild, timings, cache, p.keys));
  for (const [path, content] of there.files) here.files.set(path, content);
  here.findings.push(...there.findings);
  const byId = new Map(there.targets.map((t) => [t.id, t]));
  if (away.some((t) => !byId.has(t.id)))
    return assemble(project, filter, timings, cache, p, compileTargets(p.toBuild, timings, cache, p.keys));
  return assemble(
    project,
    filter,
    timings,
    cache,
    p,
    here,
    away.map((target) => ({ target, objects: byId.get(target.id)!.objects, waves: byId.get(target.id)!.waves })),
  );
}

/** Loads the descriptions under `root` and compiles them. */
export async function compile(options: CompileOptions): Promise<CompileResult> {
  const timings: Record<string, number> = {};
  const start = performance.now();
  const project = await load(options.root);
  timings.load = performance.now() - start;
  if (options.keepErrors) return compileLoaded(project, options.filter, timings, undefined, true);
  if (options.offload) return compileLoadedParallel(project, options.filter, timings, options.cache, options.offload);
  return compileLoaded(project, options.filter, timings, options.cache);
}

/** The rendered folder of a project. */
export function renderedDir(root: string): string {
  return join(root, "rendered");
}

/** Compares a compile with `rendered/` on disk. */
export function checkRendered(root: string, result: CompileResult): TreeDiff {
  return diffTree(renderedDir(root), result.files, result.scope);
}

/**
 * Phase 7, emit: brings `rendered/` (or the compile's scope of it) up to date, writing only what changed. Returns
 * what changed; writes nothing when nothing did.
 */
export function emit(root: string, result: CompileResult): TreeDiff {
  const diff = checkRendered(root, result);
  if (!isEmptyDiff(diff)) writeTree(renderedDir(root), result.files, diff);
  return diff;
}
