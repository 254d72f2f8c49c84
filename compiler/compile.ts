/**
 * The pipeline, one step per function: load (compile), resolve and take what the cache holds (compileLoaded),
 * build, order, patch, validate and render each target (compileTargets), then assemble the files, the findings
 * and the Argo CD layer. One run context carries the options, timings and cache keys through every step.
 * Everything here is a library call; the CLI only parses flags and prints. Nothing is written until every phase
 * has passed.
 */
import { type Project } from "./model/project.ts";
import type { ResolvedTarget } from "./model/target.ts";
import { blocking } from "./validate/index.ts";
import { findingsError } from "./validate/findings-error.ts";
import { isRuleTiming } from "./validate/rule-timings.ts";
import { compileTargets } from "./compile-targets.ts";
import { renderArgoCd } from "./argocd/index.ts";
import { renderClusterLayer } from "./cluster/index.ts";
import { writeLayers, type CachedLayers } from "./cache/layers.ts";
import { take } from "./work-queue.ts";
import { shareBatch, type SharedBatch } from "./shared-batch.ts";
import { now } from "./clock.ts";
import {
  assemble,
  everyTarget,
  partition,
  resolveTargets,
  runContext,
  startCompile,
  timed,
  type CompiledTargets,
  type CompileOptions,
  type CompileResult,
  type Partition,
  type RemoteTarget,
  type ReusedTarget,
  type RunContext,
  type RunOptions,
  type Started,
} from "./reuse.ts";

export {
  runContext,
  scopeFor,
  type CompiledTargets,
  type CompileOptions,
  type CompileResult,
  type Offload,
  type RemoteTarget,
  type ReusedTarget,
  type RunContext,
  type RunOptions,
} from "./reuse.ts";
export { checkRendered, emit, renderedDir, type CompareOptions, type EmitOptions } from "./rendered.ts";
export { compileTargets } from "./compile-targets.ts";

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

/**
 * Runs every phase up to the rendered files, from already-loaded descriptions. Throws a ManifoldError on any
 * problem. With a cache, a target whose key (compiler and resolved spec) has an entry is not rebuilt: its files
 * and findings come from the entry.
 */
export function compileLoaded(project: Project, options: RunOptions = {}): CompileResult {
  const run = runContext(options);
  const p = partition(project, resolveTargets(project, run), run);
  return finishLoaded(project, run, p);
}

/** The rest of compileLoaded once the cache was looked up: build what it did not hold, then assemble. */
function finishLoaded(project: Project, run: RunContext, p: Partition): CompileResult {
  const built = compileTargets(p.toBuild, run);
  return assemble(project, run, p, built, [], () => fleetLayers(project, run, p, built, []));
}

/**
 * compileLoaded, with the targets shared between this thread and the run's `offload`: each takes the next target
 * until none is left. On any failure the whole set is compiled here again, so errors are exactly those of
 * compileLoaded.
 */
export async function compileLoadedParallel(project: Project, options: RunOptions = {}): Promise<CompileResult> {
  const run = runContext(options);
  const p = partition(project, resolveTargets(project, run), run);
  return finishParallel(project, run, p, shareBatch(p.toBuild, run.offload, run.keys, run.prestage));
}

/** The rest of a compile on two threads once the cache was looked up and the batch given to the offload (if any). */
async function finishParallel(
  project: Project,
  run: RunContext,
  p: Partition,
  shared: SharedBatch | undefined,
): Promise<CompileResult> {
  const split = await buildOnTwoThreads(p.toBuild, run, shared);
  if (!split) return finishLoaded(project, run, p);
  const { here, elsewhere } = split;
  return assemble(project, run, p, here, elsewhere, () => fleetLayers(project, run, p, here, elsewhere));
}

/**
 * Builds `targets` on this thread and the run's offload together, taking them one at a time from the batch's shared
 * queue (this thread from the front, the helper from the back), so that a thread that starts late just takes fewer.
 * Undefined when there is no batch (too little to share, or the offload declined) or either side fails: then the
 * caller builds the whole set here. Files and findings come in target order.
 */
async function buildOnTwoThreads(
  targets: ResolvedTarget[],
  run: RunContext,
  shared: SharedBatch | undefined,
): Promise<{ here: CompiledTargets; elsewhere: ReusedTarget[] } | undefined> {
  if (!shared) return undefined;
  // The helper's failure is read once this thread's share is built (then `there` is undefined and the caller builds
  // everything here); until then it is handled by shareBatch.
  const { queue, job } = shared;
  const mine = new Map<number, CompiledTargets>();
  try {
    for (let i = take(queue); i !== undefined; i = take(queue)) {
      mine.set(i, compileTargets([targets[i]], run));
      // Let the helper's finished targets in between: their messages are read on this thread, and read all at the
      // end they made it wait on its own backlog (100k objects: ~800 ms) while the helper had nothing left to do.
      await new Promise<void>((next) => setImmediate(next));
    }
  } catch {
    job.cancel?.();
    return undefined;
  }
  const waitStart = now();
  // Every target is taken: those this thread did not take are the helper's, and with none it need not be waited for.
  let there: RemoteTarget[] | undefined = [];
  if (mine.size === targets.length) job.cancel?.();
  else there = await job.run.catch(() => undefined);
  run.timings.wait = now() - waitStart;
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
  return finishCompile(await startCompile(options));
}

/**
 * Completes a compile startCompile began (reuse.ts): builds what the cache did not hold, on two threads when the
 * run has an offload. A compile that keeps errors is only reported, never stored or shared out.
 */
export async function finishCompile(started: Started): Promise<CompileResult> {
  const { project, run, p, result, shared } = started;
  if (result) return result;
  return run.offload ? finishParallel(project, run, p, shared) : finishLoaded(project, run, p);
}
