/**
 * The helper thread of compiler/parallel.ts: it takes targets from the back of the shared queue until none is left,
 * builds each (compileTargets) and sends back each one's output. Started as its own module so that the main
 * thread's compile loads the build code only when it has something to build. A helper started to bundle the
 * descriptions first (nothing is cached) does that, when asked, before it loads its build code.
 */
// First: a helper that owns its output writes it to the descriptors before its own code runs (worker-stdio.ts).
import "./worker-stdio.ts";
import { dirname } from "node:path";
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import type { MessagePort } from "node:worker_threads";
import { TargetCache } from "./cache/store.ts";
import type { ResolvedTarget } from "./model/target.ts";
import type { BundleRequest, HelperData, Reply, Request } from "./parallel.ts";
import { buildErrors, bundleTogether } from "./precompiled.ts";
import type { RemoteTarget } from "./reuse.ts";
import { take } from "./work-queue.ts";

type TargetCode = typeof import("./compile-targets.ts");

/**
 * Bundles the stale descriptions a BundleRequest names, and answers with their manifests, or `bundle-failed` with the
 * files esbuild's errors name (when the build itself failed). The main thread waits for one of the two.
 */
async function bundle(port: MessagePort, { root, files, dir }: BundleRequest): Promise<void> {
  try {
    port.postMessage({ kind: "bundled", manifests: await bundleTogether(root, files, dir) } satisfies Reply);
  } catch (e) {
    const errors = buildErrors(e);
    port.postMessage({ kind: "bundle-failed", ...(errors ? { errors } : {}) } satisfies Reply);
  }
}

/** Takes targets from the back of the shared queue until none is left, and sends back each one's output. */
function buildBatch(port: MessagePort, { compileTargets }: TargetCode, request: Request): void {
  try {
    const cache = request.cache ? new TargetCache(dirname(request.cache.dir), request.cache.compiler) : undefined;
    const keys = new Map<ResolvedTarget, string>();
    request.targets.forEach((t, i) => {
      const key = request.keys[i];
      if (key) keys.set(t, key);
    });
    for (let i = take(request.queue, true); i !== undefined; i = take(request.queue, true)) {
      const timings: Record<string, number> = {};
      const built = compileTargets([request.targets[i]], { cache, keys, timings, prestage: request.prestage });
      for (const t of built.targets) {
        const target: RemoteTarget = {
          id: t.target.id,
          objects: t.objects,
          waves: t.waves,
          files: [...built.files],
          findings: built.findings,
          timings,
        };
        port.postMessage({ kind: "target", target } satisfies Reply);
      }
    }
    port.postMessage({ kind: "done" } satisfies Reply);
  } catch {
    port.postMessage({ kind: "failed" } satisfies Reply);
  }
}

const data = workerData as Partial<HelperData> | undefined;
if (!isMainThread && data?.manifoldHelper && parentPort) {
  const port = parentPort;
  // The build code: loaded at once, or by a helper that bundles the descriptions first, once it has.
  let code: Promise<TargetCode> | undefined = data.bundleFirst ? undefined : import("./compile-targets.ts");
  const loadCode = () => (code ??= import("./compile-targets.ts"));
  port.on("message", (m: Request | BundleRequest) => {
    if ("kind" in m && m.kind === "bundle") {
      void (m.files.length ? bundle(port, m) : Promise.resolve()).then(loadCode).catch(() => undefined);
      return;
    }
    loadCode().then(
      (loaded) => buildBatch(port, loaded, m as Request),
      () => port.postMessage({ kind: "failed" } satisfies Reply),
    );
  });
}
