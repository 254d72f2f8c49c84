import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ioStallMicros,
  readPressure,
  someAverage10,
  someStallTotal,
  stallShare,
  waitForQuietDisk,
} from "../bench/io-pressure.ts";

const LINUX = `some avg10=1.43 avg60=2.42 avg300=3.57 total=435130325
full avg10=0.90 avg60=1.10 avg300=2.00 total=390921564
`;

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("reading /proc/pressure/io", () => {
  it.each([
    ["a kernel's file", LINUX, 435130325, 1.43],
    [
      "the full line first",
      "full avg10=9.00 avg60=0 avg300=0 total=7\nsome avg10=0.03 avg60=0 avg300=0 total=42\n",
      42,
      0.03,
    ],
    ["no some line", "full avg10=0.00 avg60=0.00 avg300=0.00 total=5\n", undefined, undefined],
    ["an empty file", "", undefined, undefined],
  ])("%s", (_, text, total, avg10) => {
    expect(someStallTotal(text)).toBe(total);
    expect(someAverage10(text)).toBe(avg10);
  });

  it("reads a pressure file, and gives nothing where there is none", () => {
    const dir = mkdtempSync(join(tmpdir(), "manifold-pressure-"));
    made.push(dir);
    const file = join(dir, "io");
    writeFileSync(file, LINUX);
    expect(ioStallMicros(() => readPressure(file))).toBe(435130325);
    expect(readPressure(`${file}-missing`)).toBeUndefined();
    expect(ioStallMicros(() => undefined)).toBeUndefined();
  });
});

/** A stall counter that advances by each of `steps` (microseconds) per reading after the first. */
function counter(steps: number[]): () => number {
  let total = 1_000_000;
  let i = -1;
  return () => {
    if (i >= 0) total += steps[Math.min(i, steps.length - 1)];
    i++;
    return total;
  };
}

describe("waitForQuietDisk", () => {
  const waits: number[] = [];
  const wait = (ms: number) => void waits.push(ms);

  it.each([
    // window 250 ms, quiet at 2%: at most 5,000 us stalled in a window
    ["quiet at once", [0], { waitedMs: 250, quiet: true }],
    ["busy for two windows, then quiet", [200_000, 100_000, 5_000], { waitedMs: 750, quiet: true }],
    ["just over the quiet share", [5_001, 4_000], { waitedMs: 500, quiet: true }],
    ["busy past the timeout", [250_000], { waitedMs: 1_000, quiet: false }],
    ["quiet in the last window before the timeout", [250_000, 250_000, 250_000, 0], { waitedMs: 1_000, quiet: true }],
  ])("%s", (_, steps, expected) => {
    waits.length = 0;
    expect(waitForQuietDisk({ stall: counter(steps), wait, timeoutMs: 1_000 })).toEqual(expected);
    expect(waits.every((ms) => ms === 250)).toBe(true);
    expect(waits.length * 250).toBe(expected.waitedMs);
  });

  it("gives no verdict when the counter stops being readable during the wait", () => {
    waits.length = 0;
    const readings = [1_000, 200_000, undefined];
    expect(waitForQuietDisk({ stall: () => readings.shift(), wait, timeoutMs: 10_000 })).toEqual({ waitedMs: 500 });
    expect(waits).toEqual([250, 250]);
  });

  it("returns at once where the kernel gives no pressure information", () => {
    waits.length = 0;
    expect(waitForQuietDisk({ stall: () => undefined, wait })).toEqual({ waitedMs: 0 });
    expect(waits).toEqual([]);
  });
});

describe("stallShare", () => {
  it.each([
    ["a quarter of the run", 1_000_000, 1_250_000, 1_000, 0.25],
    ["a counter that moved more than the run (readings taken apart) counts as the whole run", 0, 3_000_000, 1_000, 1],
    ["no reading before", undefined, 5, 1_000, undefined],
    ["no time", 0, 5, 0, undefined],
  ])("%s", (_, before, after, ms, share) => {
    expect(stallShare(before, after, ms)).toBe(share);
  });
});
