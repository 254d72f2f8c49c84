/**
 * How fast the bench's volume creates files, and the waits until it creates them at its usual pace.
 *
 * On ext4 without a journal (this machine's root volume: no jbd2 device under /proc/fs/jbd2), the inode allocator
 * prefers not to reuse an inode freed in the last 60 seconds, or 360 while the inode table block holding it is not
 * written back (fs/ext4/ialloc.c, `recently_deleted`: RECENTCY_MIN 60, plus RECENTCY_DIRTY 300). Each file created
 * meanwhile scans its group's free inodes, looking up each one's deletion time in the buffer cache, until it finds an
 * older one: after a delete of many files, creating files costs 10 to 60 times its usual processor time, all of it in
 * the kernel, with no I/O pressure to show for it (perf: find_get_block_common under recently_deleted). Measured here:
 * 1,000 files in 1,172 ms right after deleting 30,000 others and syncing, 20 ms a minute later. A bench started a
 * minute and a half after the previous bench's delete (some 500,000 files with the 100k fleet) measured every writing
 * row slower for minutes (the seed fleet's cold compile 1,044 ms against 527, its render phase 508 ms against 87;
 * 10k 2,820 ms against 1,072), and a probe can pass while a timed run is still slowed (probably because the run,
 * writing thousands of files, dirties the inode table blocks it touches). So the bench waits twice: until six minutes
 * after the previous bench's delete (a marker file it writes when that delete ends), and before each timed run until
 * a probe of a few hundred files is quick.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { sleep } from "./io-pressure.ts";

/** A rendered manifest's typical size: the probe's files are written, not only created. */
const BODY = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: probe\ndata:\n  key: value\n".repeat(6);

/**
 * Creates `files` small files in `dir` (a new folder, made here, and left in place: deleting them would slow the
 * creations that follow) and returns the microseconds each took, on average.
 */
export function creationMicros(dir: string, files = 300): number {
  mkdirSync(dir, { recursive: true });
  const start = performance.now();
  for (let i = 0; i < files; i++) writeFileSync(`${dir}/${i}.yaml`, BODY);
  return ((performance.now() - start) * 1000) / files;
}

/** What one wait for quick file creation found. */
export interface CreationWait {
  /** The first probe's microseconds per file: the volume as the wait found it. */
  firstMicros: number;
  /** The last probe's microseconds per file, just before the timed run. */
  micros: number;
  /** How long the wait paused between probes, in ms. */
  waitedMs: number;
  /** Whether the last probe was quick. */
  quick: boolean;
  /** Whether the bench's budget for these waits was spent (then nothing is waited for any more). */
  outOfBudget: boolean;
}

export interface WaiterOptions {
  /** Measures one probe's microseconds per file (a fresh folder each time). */
  probe: () => number;
  /** The most a file may take, in microseconds, for creation to count as quick. */
  limitMicros?: number;
  /** The pause between two probes, in ms. */
  intervalMs?: number;
  /** The most the first wait pauses, in ms. */
  firstTimeoutMs?: number;
  /** The most each later wait pauses, in ms. */
  timeoutMs?: number;
  /** The most all waits together pause, in ms. */
  budgetMs?: number;
  /** Waits, replaceable for tests. */
  wait?: (ms: number) => void;
}

/**
 * A wait for quick file creation, to call before each timed run: it probes, and while a probe takes more than
 * `limitMicros` per file, pauses `intervalMs` and probes again, up to its timeout (`firstTimeoutMs` the first time,
 * `timeoutMs` after) and within what is left of `budgetMs`. The returned function also tells the total paused.
 */
export function creationWaiter(options: WaiterOptions): (() => CreationWait) & { waitedMs: () => number } {
  const { probe, limitMicros = 40, intervalMs = 5_000, wait = sleep } = options;
  const { firstTimeoutMs = 360_000, timeoutMs = 90_000, budgetMs = 600_000 } = options;
  let spent = 0;
  let calls = 0;
  const waitOnce = (): CreationWait => {
    const timeout = Math.min(calls++ === 0 ? firstTimeoutMs : timeoutMs, budgetMs - spent);
    const firstMicros = probe();
    let micros = firstMicros;
    let waitedMs = 0;
    while (micros > limitMicros && waitedMs < timeout) {
      wait(intervalMs);
      waitedMs += intervalMs;
      micros = probe();
    }
    spent += waitedMs;
    return { firstMicros, micros, waitedMs, quick: micros <= limitMicros, outOfBudget: spent >= budgetMs };
  };
  return Object.assign(waitOnce, { waitedMs: () => spent });
}

/** Writes `now` into `marker`: the moment the bench's delete of what it had moved aside ended. */
export function markDelete(marker: string, now = Date.now()): void {
  writeFileSync(marker, `${now}\n`);
}

/** The moment (ms since the epoch) the delete `marker` records (markDelete), or undefined where it has none. */
export function deleteMarkedAt(marker: string): number | undefined {
  try {
    const at = Number(readFileSync(marker, "utf8").trim());
    return Number.isFinite(at) ? at : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Waits until `windowMs` have passed since the delete `marker` records (markDelete), at most `windowMs`; returns how
 * long it waited (0 without a marker, or with one that cannot be read as a time).
 */
export function waitAfterDelete(
  marker: string,
  windowMs = 370_000,
  now = Date.now(),
  wait: (ms: number) => void = sleep,
): number {
  const deletedAt = deleteMarkedAt(marker);
  if (deletedAt === undefined) return 0;
  const left = Math.min(windowMs, deletedAt + windowMs - now);
  if (left <= 0) return 0;
  wait(left);
  return left;
}
