/**
 * A second thread for big compiles. When at least seven targets need
 * building, compileLoadedParallel hands them all to one worker thread (running
 * the same precompiled bundle) and both threads take them one at a time from a
 * shared queue (compiler/work-queue.ts), this one from the front and the worker
 * from the back, to build, validate and render. Targets
 * are independent, so the output is the same bytes; any failure falls back to
 * compiling everything on the main thread. When nothing is cached yet (a first
 * compile, CI on a fresh clone), every target will be built: the worker is then
 * started at once, so that it loads the bundle while this thread loads the
 * descriptions, instead of after.
 */
import { existsSync } from "node:fs";
import module from "node:module";
import { availableParallelism } from "node:os";
import { dirname } from "node:path";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { compileTargets, type Offload, type RemoteTarget } from "./compile.ts";
import { TargetCache } from "./cache/store.ts";
import type { ResolvedTarget } from "./model/target.ts";
import { PRECOMPILED } from "./precompiled.ts";
import { take, type WorkQueue } from "./work-queue.ts";

interface Request {
  targets: ResolvedTarget[];
  keys: (string | undefined)[];
  queue: WorkQueue;
  cache?: { dir: string; compiler: string };
}

type Reply = { ok: true; targets: RemoteTarget[] } | { ok: false };

/**
 * A helper thread running this module, or undefined when it cannot start. Node's compile cache serves only the thread
 * that enabled it: when this one did (bin/manifold.js), the helper enables the same folder before loading the module,
 * so it does not parse and compile the whole bundle afresh.
 */
function startWorker(): Worker | undefined {
  try {
    const workerData = { manifoldHelper: true };
    const cacheDir = module.getCompileCacheDir?.();
    if (!cacheDir) return new Worker(new URL(import.meta.url), { workerData });
    const boot = `require("node:module").enableCompileCache(${JSON.stringify(cacheDir)}); import(${JSON.stringify(import.meta.url)});`;
    return new Worker(boot, { eval: true, workerData });
  } catch {
    return undefined;
  }
}

/**
 * An Offload that gives its batch to a worker thread (when the precompiled CLI runs on more than one core; otherwise
 * it declines, and everything is built on the main thread). With no cache, or a cache holding no target yet, the
 * worker starts now (not holding the process open until it is given a batch); otherwise on the first batch. The
 * worker ends with its batch.
 */
export function helperThread(cache?: TargetCache): Offload {
  const usable = PRECOMPILED && availableParallelism() >= 2 && !process.env.MANIFOLD_NO_THREADS;
  let early = usable && (!cache || !existsSync(cache.dir)) ? startWorker() : undefined;
  early?.unref();
  return (targets, keys, queue) => {
    if (!usable) return undefined;
    const worker = early ?? startWorker();
    early = undefined;
    if (!worker) return undefined;
    worker.ref();
    const run = new Promise<RemoteTarget[]>((resolve, reject) => {
      worker.once("message", (m: Reply) => (m.ok ? resolve(m.targets) : reject(new Error("helper failed"))));
      worker.once("error", reject);
      worker.once("exit", () => reject(new Error("helper exited")));
    }).finally(() => void worker.terminate());
    const request: Request = {
      targets,
      keys: targets.map((t) => keys.get(t)),
      queue,
      cache: cache ? { dir: cache.dir, compiler: cache.compiler } : undefined,
    };
    worker.postMessage(request);
    return { run, cancel: () => void worker.terminate() };
  };
}

// The worker side: take targets from the back of the shared queue until none is left, and send back each one's output.
if (!isMainThread && (workerData as { manifoldHelper?: boolean } | undefined)?.manifoldHelper && parentPort) {
  const port = parentPort;
  port.once("message", (request: Request) => {
    try {
      const cache = request.cache ? new TargetCache(dirname(request.cache.dir), request.cache.compiler) : undefined;
      const keys = new Map<ResolvedTarget, string>();
      request.targets.forEach((t, i) => {
        const key = request.keys[i];
        if (key) keys.set(t, key);
      });
      const targets: RemoteTarget[] = [];
      for (let i = take(request.queue, true); i !== undefined; i = take(request.queue, true)) {
        const timings: Record<string, number> = {};
        const built = compileTargets([request.targets[i]], { cache, keys, timings });
        for (const t of built.targets)
          targets.push({
            id: t.target.id,
            objects: t.objects,
            waves: t.waves,
            files: [...built.files],
            findings: built.findings,
            timings,
          });
      }
      port.postMessage({ ok: true, targets } satisfies Reply);
    } catch {
      port.postMessage({ ok: false } satisfies Reply);
    }
  });
}
