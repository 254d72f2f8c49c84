/**
 * The helper thread of compiler/parallel.ts: it takes targets from the back of the shared queue until none is left,
 * builds each (compileTargets) and sends back each one's output. Started as its own module so that the main
 * thread's compile loads the build code only when it has something to build.
 */
import { dirname } from "node:path";
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import { compileTargets } from "./compile-targets.ts";
import type { RemoteTarget } from "./reuse.ts";
import { TargetCache } from "./cache/store.ts";
import type { ResolvedTarget } from "./model/target.ts";
import type { Reply, Request } from "./parallel.ts";
import { take } from "./work-queue.ts";

// Take targets from the back of the shared queue until none is left, and send back each one's output as it is built.
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
      for (let i = take(request.queue, true); i !== undefined; i = take(request.queue, true)) {
        const timings: Record<string, number> = {};
        const built = compileTargets([request.targets[i]], { cache, keys, timings });
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
  });
}
