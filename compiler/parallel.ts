/**
 * A second thread for big compiles. When at least seven targets need
 * building, the compile hands them all to one worker thread (running
 * the same precompiled bundle) and both threads take them one at a time from a
 * shared queue (compiler/work-queue.ts), this one from the front and the worker
 * from the back, to build, validate and render. Targets
 * are independent, so the output is the same bytes; any failure falls back to
 * compiling everything on the main thread. When nothing is cached yet (a first
 * compile, CI on a fresh clone), every target will be built: the worker is then
 * started at once, so that it loads the bundle while this thread loads the
 * descriptions, instead of after. Either way it is given its batch as soon as
 * the cache lookup is done (shared-batch.ts): the CLI's thread loads its own
 * build code after that. The worker's young generation is sized for its batch
 * (helperLimits).
 */
import { existsSync } from "node:fs";
import module from "node:module";
import { availableParallelism } from "node:os";
import { basename, dirname, join } from "node:path";
import type { Worker } from "node:worker_threads";
import type { Offload, RemoteTarget } from "./shared-batch.ts";
import type { TargetCache } from "./cache/store.ts";
import type { ResolvedTarget } from "./model/target.ts";
import { PRECOMPILED, type BuildErrors, type DescriptionBundler } from "./precompiled.ts";
import { nativeTypeScript } from "./native-descriptions.ts";
import { WRITES_THROUGH_STREAMS } from "./stdio.ts";
import type { Manifest } from "./description-bundle.ts";
import type { WorkQueue } from "./work-queue.ts";

/** What the helper is given: the targets, their cache keys, the shared queue and the cache. */
export interface Request {
  targets: ResolvedTarget[];
  keys: (string | undefined)[];
  queue: WorkQueue;
  cache?: { dir: string; compiler: string };
  /** Where each target's files are written as soon as they are rendered (emit/prestage.ts). */
  prestage?: string;
}

/** What a helper started to bundle the descriptions first is asked before its batch (files: none are stale). */
export interface BundleRequest {
  kind: "bundle";
  root: string;
  files: string[];
  dir: string;
}

/**
 * What the helper sends back: each target as soon as it is built (so that copying its objects across threads
 * overlaps the helper's next target instead of piling up at the end), then `done`; or `failed`. To a BundleRequest,
 * the descriptions' manifests (`bundled`) or `bundle-failed`.
 */
export type Reply =
  | { kind: "target"; target: RemoteTarget }
  | { kind: "done" }
  | { kind: "failed" }
  | { kind: "bundled"; manifests: Map<string, Manifest> }
  | { kind: "bundle-failed"; errors?: BuildErrors };

/**
 * What the helper thread is started with: `bundleFirst` when it is to wait for a BundleRequest before its code;
 * `ownStdio` when it was started with its output its own, to write to the process's descriptors (worker-stdio.ts).
 */
export interface HelperData {
  manifoldHelper: true;
  bundleFirst?: boolean;
  ownStdio?: boolean;
}

/**
 * The helper thread's module (compiler/parallel-worker.ts): in the precompiled CLI its own entry point, next to this
 * chunk (bin/precompile.mjs), so the main thread never loads the build code unless it builds.
 */
const HELPER = PRECOMPILED
  ? new URL("./worker.mjs", import.meta.url)
  : new URL("./parallel-worker.ts", import.meta.url);

/**
 * The largest batch, in components summed over its targets, whose helper gets a young generation of
 * SMALL_NURSERY_MB. A component renders nine to twelve objects: the seed fleet has 228 components, the bench's 10k
 * fleet 1,400 and its 100k fleet 14,000.
 */
export const SMALL_BATCH_COMPONENTS = 3_000;

/**
 * The young generation (V8's nursery, in MB: two 4 MB semi-spaces and their large-object space) of a small batch's
 * helper.
 */
export const SMALL_NURSERY_MB = 12;

/** How big a batch is for its helper's heap: its components, summed over its targets. */
export function batchComponents(targets: ResolvedTarget[]): number {
  let n = 0;
  for (const t of targets) n += Object.keys(t.components).length;
  return n;
}

/**
 * The V8 heap limits of a helper for a batch of `components` components (batchComponents; undefined: not known yet,
 * as for a helper started before the descriptions are loaded, which counts as a small batch). A short compile runs
 * faster with a small nursery: what it allocates stays in the processor's cache, and what survives is promoted early
 * and seldom collected again before the process ends (seed fleet, a fresh-clone check: the median of 16 paired
 * differences was 99 ms of time and 210 ms of processor time less). A long one runs slower with it: more is
 * promoted, and an old generation of hundreds of MB is marked more often (the same nursery for every thread cost
 * 1 to 2 s at 100k objects). So a batch of more than SMALL_BATCH_COMPONENTS components gets V8's own sizes (a worker's
 * young generation is then up to 96 MB).
 */
export function helperLimits(components: number | undefined): { maxYoungGenerationSizeMb: number } | undefined {
  return components === undefined || components <= SMALL_BATCH_COMPONENTS
    ? { maxYoungGenerationSizeMb: SMALL_NURSERY_MB }
    : undefined;
}

/**
 * The helper for a batch of `components` components: the one started early when the batch is small (it was sized
 * for one), else a new one sized for the batch by `start` (the early one, if any, is ended).
 */
export function helperForBatch<W extends { terminate(): unknown }>(
  early: W | undefined,
  components: number,
  start: (components: number) => W | undefined,
): W | undefined {
  if (early && helperLimits(components)) return early;
  if (early) void early.terminate();
  return start(components);
}

/**
 * The folder to pass to module.enableCompileCache() so that a worker gets `dir`, the folder this thread's compile
 * cache is in (what module.getCompileCacheDir() reports). Node keeps the cache in a subfolder of the folder it was
 * given, named for the Node version, architecture and V8's cache tag (`v26.10.0-x64-…`), and reports that
 * subfolder: enabling it again would make a subfolder of its own, a second cache.
 */
export function compileCacheBase(dir: string): string {
  return basename(dir).startsWith(`${process.version}-`) ? dirname(dir) : dir;
}

/**
 * The source a helper thread is started with (an eval'd script): it enables the compile cache that serves `cacheDir`
 * (this thread's, compileCacheBase), then imports the module at `href`.
 */
export function helperBoot(cacheDir: string, href: string): string {
  return `require("node:module").enableCompileCache(${JSON.stringify(compileCacheBase(cacheDir))}); import(${JSON.stringify(href)});`;
}

/** Whether a helper owns its output (worker-stdio.ts): wherever stdio.ts writes to the descriptors themselves. */
const HELPER_OWNS_STDIO = !WRITES_THROUGH_STREAMS;

/**
 * The Worker options of a helper for a batch of `components` components (helperLimits), told to bundle first or not.
 * Where it owns its output, the Worker does not pipe that into this thread's own stdout and stderr streams, which
 * would build both before the helper starts.
 */
export function helperOptions(
  components: number | undefined,
  bundleFirst: boolean,
): { workerData: HelperData; resourceLimits?: { maxYoungGenerationSizeMb: number }; stdout?: true; stderr?: true } {
  const workerData: HelperData = { manifoldHelper: true };
  if (bundleFirst) workerData.bundleFirst = true;
  const resourceLimits = helperLimits(components);
  const limits = resourceLimits ? { resourceLimits } : {};
  if (!HELPER_OWNS_STDIO) return { workerData, ...limits };
  workerData.ownStdio = true;
  return { workerData, ...limits, stdout: true, stderr: true };
}

/**
 * A helper thread running compiler/parallel-worker.ts for a batch of `components` components (helperLimits), or
 * undefined when it cannot start. Node's compile cache serves only the thread that enabled it: when this one did
 * (bin/manifold.js), the helper enables the same folder before loading the module, so it does not parse and compile
 * the build code afresh, and reads the very files this thread does.
 */
function startWorker(components?: number, bundleFirst = false): Worker | undefined {
  try {
    // node:worker_threads is loaded only here: a compile the cache holds whole never starts a worker, and the
    // module costs ~10 ms at start-up.
    const { Worker } = module.createRequire(import.meta.url)(
      "node:worker_threads",
    ) as typeof import("node:worker_threads");
    const options = helperOptions(components, bundleFirst);
    const cacheDir = module.getCompileCacheDir?.();
    if (!cacheDir) return new Worker(HELPER, options);
    return new Worker(helperBoot(cacheDir, HELPER.href), { eval: true, ...options });
  } catch {
    return undefined;
  }
}

/**
 * A DescriptionBundler that asks the helper (started to bundle first) to bundle the stale descriptions, holding the
 * process open meanwhile. Told that none is stale, it resolves at once: the helper then loads its build code.
 */
function bundlerOn(helper: () => Worker | undefined): DescriptionBundler {
  return (root, files, dir) => {
    const worker = helper();
    if (!worker) return Promise.reject(new Error("the helper thread is gone"));
    worker.postMessage({ kind: "bundle", root, files, dir } satisfies BundleRequest);
    if (!files.length) return Promise.resolve(new Map());
    worker.ref();
    return new Promise<Map<string, Manifest>>((resolve, reject) => {
      const settle = (manifests?: Map<string, Manifest>, errors?: BuildErrors) => {
        worker.off("message", onMessage).off("messageerror", onEnd).off("exit", onEnd).off("error", onEnd);
        worker.unref();
        if (manifests) resolve(manifests);
        // esbuild's errors, as its build rejects with them (prepareDescriptions goes on from there), or none
        else reject(errors ? { errors } : new Error("the helper thread could not bundle the descriptions"));
      };
      const onMessage = (m: Reply) => {
        if (m.kind === "bundled") settle(m.manifests);
        else if (m.kind === "bundle-failed") settle(undefined, m.errors);
      };
      const onEnd = () => settle();
      worker.on("message", onMessage).on("messageerror", onEnd).on("exit", onEnd).on("error", onEnd);
    });
  };
}

/**
 * An Offload that gives its batch to a worker thread (when the precompiled CLI runs on more than one core; otherwise
 * it declines, and everything is built on the main thread). With no cache, or a cache holding no target yet, the
 * worker starts now (not holding the process open until it is given a batch); otherwise on the first batch. The
 * worker ends with its batch. One started now while no description is bundled either (a fresh clone, `--no-cache`)
 * bundles them first (the Offload's `bundle`), while this thread loads its own build code, and loads its own after;
 * where Node imports the descriptions itself (nativeTypeScript), it loads its own at once.
 */
export function helperThread(cache?: TargetCache): Offload {
  const usable = PRECOMPILED && availableParallelism() >= 2 && !process.env.MANIFOLD_NO_THREADS;
  const fresh = !cache || !existsSync(cache.dir);
  const bundleFirst = fresh && !nativeTypeScript() && (!cache || !existsSync(join(dirname(cache.dir), "descriptions")));
  let early = usable && fresh ? startWorker(undefined, bundleFirst) : undefined;
  early?.unref();
  // A worker that fails or ends before it is given its batch is dropped (a fresh one is started for the batch): its
  // error must not go unheard, which would end the whole process with a stack trace.
  const drop = (worker: Worker) => () => {
    if (early === worker) early = undefined;
  };
  if (early) early.once("error", drop(early)).once("exit", drop(early));
  const offload: Offload = (targets, keys, queue, prestage) => {
    if (!usable) return undefined;
    const worker = helperForBatch(early, batchComponents(targets), startWorker);
    early = undefined;
    if (!worker) return undefined;
    worker.ref();
    const run = new Promise<RemoteTarget[]>((resolve, reject) => {
      const built: RemoteTarget[] = [];
      worker.on("message", (m: Reply) => {
        if (m.kind === "target") built.push(m.target);
        else if (m.kind === "done") resolve(built);
        else if (m.kind === "failed") reject(new Error("helper failed"));
      });
      worker.once("error", reject);
      worker.once("exit", () => reject(new Error("helper exited")));
    }).finally(() => void worker.terminate());
    const request: Request = {
      targets,
      keys: targets.map((t) => keys.get(t)),
      queue,
      cache: cache ? { dir: cache.dir, compiler: cache.compiler } : undefined,
      ...(prestage ? { prestage } : {}),
    };
    worker.postMessage(request);
    return { run, cancel: () => void worker.terminate() };
  };
  if (early && bundleFirst) offload.bundle = bundlerOn(() => early);
  return offload;
}
