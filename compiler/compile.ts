/**
 * The pipeline: load, resolve, build, order, patch, validate, then render
 * files. Everything here is a library call; the CLI only parses flags and
 * prints. Nothing is written until every phase has passed.
 */
import { join } from "node:path";
import { ManifoldError, combineErrors } from "./errors.ts";
import { load, type Project } from "./load.ts";
import { resolve, type ResolvedTarget, type TargetFilter } from "./resolve.ts";
import { build } from "./build/index.ts";
import type { RenderedObject } from "./build/objects.ts";
import { order, type WavePlan } from "./order.ts";
import { patch } from "./patch.ts";
import { blocking, validate } from "./validate/index.ts";
import type { Finding } from "./validate/finding.ts";
import { renderTargetFiles, targetFolder } from "./emit/files.ts";
import { renderReadme } from "./emit/readme.ts";
import { diffTree, isEmptyDiff, writeTree, writeTreeAsync, type Scope, type TreeDiff } from "./emit/write.ts";
import { sortForSync } from "./argo-order.ts";
import type { TargetCache } from "./cache/store.ts";

export interface CompiledTarget {
  target: ResolvedTarget;
  /** Final objects, in Argo CD's sync order. */
  objects: RenderedObject[];
  waves: WavePlan;
}

/** A target whose output came from the incremental-compile cache: not rebuilt. */
export interface ReusedTarget {
  target: ResolvedTarget;
  objects: number;
}

export interface CompileResult {
  project: Project;
  /** The targets built by this compile. */
  targets: CompiledTarget[];
  /** The targets taken unchanged from the cache (only with a cache); their files are in `files` too. */
  reused: ReusedTarget[];
  findings: Finding[];
  /** File contents keyed by path relative to `rendered/`. */
  files: Map<string, string>;
  /** The part of `rendered/` this compile owns (all of it unless filtered). */
  scope: Scope;
  /** Milliseconds spent in each phase. */
  timings: Record<string, number>;
}

export interface CompileOptions {
  root: string;
  filter?: TargetFilter;
  /** Reuse the output of targets whose resolved spec and compiler are unchanged. */
  cache?: TargetCache;
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
    return (!filter.environment || env === filter.environment) && (!filter.region || region === filter.region) && (!filter.platform || platform === filter.platform);
  };
}

/** Converts blocking findings into one error that lists each. */
export function findingsError(findings: Finding[]): ManifoldError {
  return combineErrors(
    findings.map(
      (f) => new ManifoldError(`${f.component ? `component ${f.component}: ` : ""}${f.rule}: ${f.object} ${f.pointer || "/"}: ${f.message} (fix: ${f.fix})`, { file: f.file, target: f.target }),
    ),
  );
}

/**
 * Runs every phase up to the rendered files, from already-loaded descriptions. Throws a ManifoldError on any problem.
 * With a cache, a target whose key (compiler and resolved spec) has an entry is not rebuilt: its files and findings come from the entry.
 */
export function compileLoaded(project: Project, filter?: TargetFilter, timings: Record<string, number> = {}, cache?: TargetCache): CompileResult {
  const all = timed(timings, "resolve", () => resolve(project, filter));
  if (all.length === 0 && filter) {
    throw new ManifoldError(`no target matches${filter.platform ? ` platform ${filter.platform}` : ""}${filter.environment ? ` environment ${filter.environment}` : ""}${filter.region ? ` region ${filter.region}` : ""}`);
  }
  const files = new Map<string, string>();
  const reused: ReusedTarget[] = [];
  const cachedFindings: Finding[] = [];
  const keys = new Map<ResolvedTarget, string>();
  const resolved = !cache
    ? all
    : timed(timings, "cache", () =>
        all.filter((target) => {
          const key = cache.keyOf(target);
          keys.set(target, key);
          const hit = cache.get(key);
          if (!hit) return true;
          for (const [path, content] of hit.files) files.set(path, content);
          cachedFindings.push(...hit.findings);
          reused.push({ target, objects: hit.objects });
          return false;
        }),
      );
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
  if (errors.length) throw findingsError(errors);
  const targets: CompiledTarget[] = [];
  timed(timings, "render", () => {
    for (const t of patched) {
      const objects = sortForSync(t.objects);
      const own = renderTargetFiles(t.target, objects);
      own.set(`${targetFolder(t.target)}/README.md`, renderReadme(t.target, objects));
      for (const [path, content] of own) files.set(path, content);
      targets.push({ target: t.target, objects, waves: t.waves });
      if (cache) cache.put(keys.get(t.target)!, { id: t.target.id, objects: objects.length, findings: findings.filter((f) => f.target === t.target.id), files: [...own] });
    }
  });
  if (cache && !filter) cache.prune(new Set(keys.values()));
  // Findings in target order, whether they came from the cache or not.
  const byTarget = new Map<string, Finding[]>();
  for (const f of [...cachedFindings, ...findings]) byTarget.set(f.target, [...(byTarget.get(f.target) ?? []), f]);
  const inOrder = all.flatMap((t) => byTarget.get(t.id) ?? []);
  const ids = new Set(all.map((t) => t.id));
  inOrder.push(...findings.filter((f) => !ids.has(f.target)));
  return { project, targets, reused, findings: inOrder, files, scope: scopeFor(filter), timings };
}

/** Loads the descriptions under `root` and compiles them. */
export async function compile(options: CompileOptions): Promise<CompileResult> {
  const timings: Record<string, number> = {};
  const start = performance.now();
  const project = await load(options.root);
  timings.load = performance.now() - start;
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

/** Phase 7, emit: brings `rendered/` (or the compile's scope of it) up to date, writing only what changed. Returns what changed; writes nothing when nothing did. */
export function emit(root: string, result: CompileResult): TreeDiff {
  const diff = checkRendered(root, result);
  if (!isEmptyDiff(diff)) writeTree(renderedDir(root), result.files, diff);
  return diff;
}

/** emit, with the file writes spread over Node's I/O threads (what the CLI uses). */
export async function emitAsync(root: string, result: CompileResult): Promise<TreeDiff> {
  const diff = checkRendered(root, result);
  if (!isEmptyDiff(diff)) await writeTreeAsync(renderedDir(root), result.files, diff);
  return diff;
}
