/**
 * A second thread for big compiles. When at least eight targets need
 * building, compileLoadedParallel starts one worker thread (running the same
 * precompiled bundle) and hands it half of them to build, validate and render
 * while the main thread does the other half. Targets are independent, so the output is the same
 * bytes; any failure falls back to compiling everything on the main thread.
 */
import { availableParallelism } from "node:os";
import { dirname } from "node:path";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { compileTargets, type Offload } from "./compile.ts";
import { TargetCache } from "./cache/store.ts";
import type { ResolvedTarget } from "./model/target.ts";
import type { RenderedObject } from "./model/object.ts";
import type { WavePlan } from "./model/target.ts";
import { PRECOMPILED } from "./precompiled.ts";

interface Request {
  targets: ResolvedTarget[];
  keys: (string | undefined)[];
  cache?: { dir: string; compiler: string };
}

/**
 * An Offload that starts a worker thread for the batch it is given (when the precompiled CLI runs on more than
 * one core; otherwise it declines, and everything is built on the main thread). The worker ends with the batch.
 */
export function helperThread(cache?: TargetCache): Offload {
  return (targets, keys) => {
    if (!PRECOMPILED || availableParallelism() < 2 || process.env.MANIFOLD_NO_THREADS) return undefined;
    let worker: Worker;
    try {
      worker = new Worker(new URL(import.meta.url), { workerData: { manifoldHelper: true } });
    } catch {
      return undefined;
    }
    type Reply = {
      ok: boolean;
      files: [string, string][];
      findings: never[];
      targets: { id: string; objects: RenderedObject[]; waves: WavePlan }[];
    };
    const run = new Promise<Reply>((resolve, reject) => {
      worker.once("message", (m: Reply) => (m.ok ? resolve(m) : reject(new Error("helper failed"))));
      worker.once("error", reject);
      worker.once("exit", () => reject(new Error("helper exited")));
    }).finally(() => void worker.terminate());
    const request: Request = {
      targets,
      keys: targets.map((t) => keys.get(t)),
      cache: cache ? { dir: cache.dir, compiler: cache.compiler } : undefined,
    };
    worker.postMessage(request);
    return { run };
  };
}

// The worker side: build one batch and send back files, findings and object counts.
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
      const built = compileTargets(request.targets, { cache, keys });
      const targets = built.targets.map((t) => ({ id: t.target.id, objects: t.objects, waves: t.waves }));
      port.postMessage({ ok: true, files: [...built.files], findings: built.findings, targets });
    } catch {
      port.postMessage({ ok: false });
    }
  });
}
