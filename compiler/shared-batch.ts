/**
 * The targets a compile shares between this thread and its offload (a helper thread): one work queue both take from,
 * and the offload's job. Light on purpose (reuse.ts starts it): the batch is given to the offload as soon as the
 * cache lookup knows what must be built, so that a helper which finished loading its code first starts on the batch
 * while the CLI's thread is still loading its own build code.
 */
import { workQueue, type WorkQueue } from "./work-queue.ts";
import type { ResolvedTarget, WavePlan } from "./model/target.ts";
import type { RenderedObject } from "./model/object.ts";
import type { Finding } from "./model/finding.ts";
import type { DescriptionBundler } from "./precompiled.ts";

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

/** What an offload does with its batch: `run` gives every target it built; `cancel` stops it. */
export interface OffloadJob {
  run: Promise<RemoteTarget[]>;
  cancel?: () => void;
}

/**
 * Builds targets elsewhere (a worker thread): it takes them one at a time from `queue` (indexes into `targets`),
 * as this thread does (writing each one's files to `prestage`, when given, as compileTargets does), and `run` gives
 * every target it built. `cancel` stops it when it can have taken none. A helper
 * started before the descriptions load (nothing is cached: every target will be built) may also bundle the stale
 * descriptions (`bundle`), while this thread loads its build code.
 */
export type Offload = ((
  targets: ResolvedTarget[],
  keys: Map<ResolvedTarget, string>,
  queue: WorkQueue,
  prestage?: string,
) => OffloadJob | undefined) & { bundle?: DescriptionBundler };

/** Fewer targets than this are all built on this thread: a helper would not pay for itself. */
export const MIN_SHARED_TARGETS = 7;

/** A batch given to the offload: the queue both threads take target indexes from, and the offload's job. */
export interface SharedBatch {
  queue: WorkQueue;
  job: OffloadJob;
}

/**
 * Gives `targets` (with their cache `keys`, and the run's `prestage`) to `offload`, to be shared with this thread
 * through a new queue;
 * undefined when there are too few, there is no offload, or it declines. Call it once per compile. The job's failure
 * is handled here until the caller reads it: this thread may be busy (loading its build code) when the helper fails,
 * and an unheard rejection would end the process.
 */
export function shareBatch(
  targets: ResolvedTarget[],
  offload: Offload | undefined,
  keys: Map<ResolvedTarget, string>,
  prestage?: string,
): SharedBatch | undefined {
  if (targets.length < MIN_SHARED_TARGETS || !offload) return undefined;
  const queue = workQueue(targets.length);
  const job = offload(targets, keys, queue, prestage);
  if (!job) return undefined;
  job.run.catch(() => undefined);
  return { queue, job };
}
