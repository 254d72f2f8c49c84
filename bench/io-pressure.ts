/**
 * How busy the disk is, from Linux's pressure stall information (`/proc/pressure/io`): the time some task spent
 * stalled on I/O. The bench uses it to start each timed run on a quiet disk (a volume that discards freed blocks
 * online keeps working for seconds after a big delete, and a run started then measures that, not the tool) and to
 * report how much of each run the disk stalled. Where the file does not exist (not Linux, an old kernel), nothing is
 * waited for and nothing is reported.
 */
import { readFileSync } from "node:fs";

const PRESSURE_FILE = "/proc/pressure/io";

/** The `some` line's `total` (microseconds some task was stalled on I/O since boot) of a pressure file's text. */
export function someStallTotal(text: string): number | undefined {
  const m = /^some\b.*\btotal=(\d+)/m.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** The `some` line's ten-second average (percent of time some task was stalled on I/O). */
export function someAverage10(text: string): number | undefined {
  const m = /^some\b.*\bavg10=([\d.]+)/m.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** This machine's pressure file, or undefined where it cannot be read. */
export function readPressure(file = PRESSURE_FILE): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/** Microseconds some task has been stalled on I/O since boot, or undefined where the kernel does not say. */
export function ioStallMicros(read: () => string | undefined = readPressure): number | undefined {
  const text = read();
  return text === undefined ? undefined : someStallTotal(text);
}

/** The last ten seconds' share of time with some task stalled on I/O, in percent, or undefined where not reported. */
export function ioPressureAverage10(read: () => string | undefined = readPressure): number | undefined {
  const text = read();
  return text === undefined ? undefined : someAverage10(text);
}

/** Blocks the thread for `ms` (the bench's waits are untimed and have nothing else to do). */
export function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export interface QuietOptions {
  /** The window each check measures, in ms. */
  windowMs?: number;
  /** The largest share of a window with some task stalled on I/O that still counts as quiet. */
  quietShare?: number;
  /** How long to wait at most, in ms. */
  timeoutMs?: number;
  /** The stall counter (ioStallMicros), replaceable for tests. */
  stall?: () => number | undefined;
  /** Waits, replaceable for tests. */
  wait?: (ms: number) => void;
}

/**
 * Waits until a whole window passes with the disk quiet (some task stalled on I/O for at most `quietShare` of it), or
 * until `timeoutMs`. Returns how long it waited and whether the disk was quiet at the end; `quiet` is undefined where
 * the kernel gives no pressure information (then it returns at once).
 */
export function waitForQuietDisk(options: QuietOptions = {}): { waitedMs: number; quiet?: boolean } {
  const { windowMs = 250, quietShare = 0.02, timeoutMs = 60_000, stall = ioStallMicros, wait = sleep } = options;
  let waitedMs = 0;
  let before = stall();
  if (before === undefined) return { waitedMs };
  for (;;) {
    wait(windowMs);
    waitedMs += windowMs;
    const after = stall();
    if (after === undefined) return { waitedMs };
    if (after - before <= quietShare * windowMs * 1000) return { waitedMs, quiet: true };
    if (waitedMs >= timeoutMs) return { waitedMs, quiet: false };
    before = after;
  }
}

/** The share of `ms` of wall time during which some task was stalled on I/O, from two readings of the counter. */
export function stallShare(before: number | undefined, after: number | undefined, ms: number): number | undefined {
  if (before === undefined || after === undefined || ms <= 0) return undefined;
  return Math.min(1, (after - before) / 1000 / ms);
}
