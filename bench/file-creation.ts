/**
 * How fast the bench's volume creates files, and a wait until it creates them at its usual pace.
 *
 * On ext4 without a journal (this machine's root volume: no jbd2 device under /proc/fs/jbd2), the kernel does not
 * hand out again an inode freed in the last 60 seconds (fs/ext4/ialloc.c, `recently_deleted`: RECENTCY_MIN 60 s,
 * plus RECENTCY_DIRTY 300 s while the inode table block is not written back yet). Each file created meanwhile walks
 * past the recently freed inodes of its group, reading each one's deletion time: after a delete of many files,
 * creating files costs 10 to 60 times its usual processor time, all of it in the kernel, with no I/O pressure to show
 * for it. Measured here: 1,000 files in 1,172 ms right after deleting 30,000 others and syncing, 20 ms a minute
 * later; right after a bench's own deletes (some 500,000 files with the 100k fleet) the next bench found 408 us per
 * file, and 50 us only after three minutes. A bench started within a minute of the previous bench's deletes measured
 * every writing row slower (the seed fleet's cold compile 1,044 ms against 527, with its render phase at 508 ms
 * against 87). So before each timed run the bench creates a few hundred files and, while that is slow, waits.
 */
import { mkdirSync, writeFileSync } from "node:fs";
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

export interface QuickOptions {
  /** Measures one probe's microseconds per file (a fresh folder each time). */
  probe: () => number;
  /** The most a file may take, in microseconds, for creation to count as quick. */
  limitMicros?: number;
  /** The pause between two probes, in ms. */
  intervalMs?: number;
  /** How long to wait at most, in ms. */
  timeoutMs?: number;
  /** Waits, replaceable for tests. */
  wait?: (ms: number) => void;
}

/**
 * Probes until a probe creates its files at `limitMicros` each or less, pausing `intervalMs` between probes, or until
 * `timeoutMs` of pauses. Returns how long it paused, whether creation was quick at the end, and the last probe's
 * microseconds per file.
 */
export function waitForQuickCreation(options: QuickOptions): { waitedMs: number; quick: boolean; micros: number } {
  const { probe, limitMicros = 50, intervalMs = 5_000, timeoutMs = 90_000, wait = sleep } = options;
  let waitedMs = 0;
  for (;;) {
    const micros = probe();
    if (micros <= limitMicros) return { waitedMs, quick: true, micros };
    if (waitedMs >= timeoutMs) return { waitedMs, quick: false, micros };
    wait(intervalMs);
    waitedMs += intervalMs;
  }
}
