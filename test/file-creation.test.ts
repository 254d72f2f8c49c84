import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { creationMicros, waitForQuickCreation } from "../bench/file-creation.ts";

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("creationMicros", () => {
  it("creates the files in a new folder, leaves them there, and gives a time per file", () => {
    const root = mkdtempSync(join(tmpdir(), "manifold-create-"));
    made.push(root);
    const dir = join(root, "probe", "0");
    const micros = creationMicros(dir, 40);
    expect(readdirSync(dir).sort((a, b) => parseInt(a) - parseInt(b))).toEqual(
      Array.from({ length: 40 }, (_, i) => `${i}.yaml`),
    );
    expect(readFileSync(join(dir, "7.yaml"), "utf8")).toMatch(/^apiVersion: v1\nkind: ConfigMap\n/);
    expect(micros).toBeGreaterThan(0);
    expect(Number.isFinite(micros)).toBe(true);
  });
});

describe("waitForQuickCreation", () => {
  it.each([
    // limit 50 us per file, a probe every 5 s, at most 20 s of pauses
    ["quick at once", [20], { waitedMs: 0, quick: true, micros: 20 }, 1],
    ["at the limit", [50], { waitedMs: 0, quick: true, micros: 50 }, 1],
    ["slow for two probes, then quick", [1_172, 821, 20], { waitedMs: 10_000, quick: true, micros: 20 }, 3],
    ["slow past the timeout", [900], { waitedMs: 20_000, quick: false, micros: 900 }, 5],
    ["just over the limit, then quick", [89, 51, 19], { waitedMs: 10_000, quick: true, micros: 19 }, 3],
    [
      "quick at the last probe before the timeout",
      [900, 900, 900, 900, 45],
      { waitedMs: 20_000, quick: true, micros: 45 },
      5,
    ],
  ])("%s", (_, readings, expected, probes) => {
    const waits: number[] = [];
    let taken = 0;
    const probe = () => readings[Math.min(taken++, readings.length - 1)];
    const result = waitForQuickCreation({ probe, wait: (ms) => void waits.push(ms), timeoutMs: 20_000 });
    expect(result).toEqual(expected);
    expect(taken).toBe(probes);
    expect(waits).toEqual(Array.from({ length: probes - 1 }, () => 5_000));
  });

  it("takes its own limit and interval", () => {
    const waits: number[] = [];
    const readings = [50, 30];
    const result = waitForQuickCreation({
      probe: () => readings.shift()!,
      limitMicros: 40,
      intervalMs: 1_000,
      wait: (ms) => void waits.push(ms),
    });
    expect(result).toEqual({ waitedMs: 1_000, quick: true, micros: 30 });
    expect(waits).toEqual([1_000]);
  });
});
