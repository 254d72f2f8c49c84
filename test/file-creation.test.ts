import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { creationMicros, creationWaiter, markDelete, waitAfterDelete } from "../bench/file-creation.ts";

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), "manifold-create-"));
  made.push(dir);
  return dir;
}

describe("creationMicros", () => {
  it("creates the files in a new folder, leaves them there, and gives a time per file", () => {
    const dir = join(scratch(), "probe", "0");
    const micros = creationMicros(dir, 40);
    expect(readdirSync(dir).sort((a, b) => parseInt(a) - parseInt(b))).toEqual(
      Array.from({ length: 40 }, (_, i) => `${i}.yaml`),
    );
    expect(readFileSync(join(dir, "7.yaml"), "utf8")).toMatch(/^apiVersion: v1\nkind: ConfigMap\n/);
    expect(micros).toBeGreaterThan(0);
    expect(Number.isFinite(micros)).toBe(true);
  });
});

/** A waiter over scripted probe readings (the last one repeats), recording its pauses and probes. */
function scripted(readings: number[], options: { firstTimeoutMs?: number; timeoutMs?: number; budgetMs?: number }) {
  const pauses: number[] = [];
  let probes = 0;
  const waiter = creationWaiter({
    probe: () => readings[Math.min(probes++, readings.length - 1)],
    wait: (ms) => void pauses.push(ms),
    ...options,
  });
  return { waiter, pauses, probes: () => probes };
}

describe("creationWaiter", () => {
  it.each([
    // limit 40 us per file, a probe every 5 s, the first wait at most 20 s
    ["quick at once", [20], { firstMicros: 20, micros: 20, waitedMs: 0, quick: true }, 1],
    ["at the limit", [40], { firstMicros: 40, micros: 40, waitedMs: 0, quick: true }, 1],
    [
      "slow for two probes, then quick",
      [1_172, 821, 20],
      { firstMicros: 1_172, micros: 20, waitedMs: 10_000, quick: true },
      3,
    ],
    [
      "just over the limit, then quick",
      [89, 41, 19],
      { firstMicros: 89, micros: 19, waitedMs: 10_000, quick: true },
      3,
    ],
    ["slow past the timeout", [900], { firstMicros: 900, micros: 900, waitedMs: 20_000, quick: false }, 5],
    [
      "quick at the last probe",
      [900, 900, 900, 900, 35],
      { firstMicros: 900, micros: 35, waitedMs: 20_000, quick: true },
      5,
    ],
  ])("%s", (_, readings, expected, probes) => {
    const { waiter, pauses, probes: taken } = scripted(readings, { firstTimeoutMs: 20_000 });
    expect(waiter()).toEqual({ ...expected, outOfBudget: false });
    expect(taken()).toBe(probes);
    expect(pauses).toEqual(Array.from({ length: probes - 1 }, () => 5_000));
    expect(waiter.waitedMs()).toBe(expected.waitedMs);
  });

  it("gives the first wait its own timeout, and every later one the shorter one", () => {
    const { waiter } = scripted([900], { firstTimeoutMs: 30_000, timeoutMs: 10_000, budgetMs: 1_000_000 });
    expect(waiter().waitedMs).toBe(30_000);
    expect(waiter().waitedMs).toBe(10_000);
    expect(waiter().waitedMs).toBe(10_000);
    expect(waiter.waitedMs()).toBe(50_000);
  });

  it("stops waiting once the budget is spent, and says so", () => {
    const { waiter, probes } = scripted([900], { firstTimeoutMs: 20_000, timeoutMs: 20_000, budgetMs: 30_000 });
    expect(waiter()).toMatchObject({ waitedMs: 20_000, quick: false, outOfBudget: false });
    expect(waiter()).toMatchObject({ waitedMs: 10_000, quick: false, outOfBudget: true });
    const before = probes();
    expect(waiter()).toEqual({ firstMicros: 900, micros: 900, waitedMs: 0, quick: false, outOfBudget: true });
    expect(probes()).toBe(before + 1);
    expect(waiter.waitedMs()).toBe(30_000);
  });

  it("takes its own limit and interval", () => {
    const pauses: number[] = [];
    const readings = [50, 30];
    const waiter = creationWaiter({
      probe: () => readings.shift()!,
      limitMicros: 30,
      intervalMs: 1_000,
      wait: (ms) => void pauses.push(ms),
    });
    expect(waiter()).toMatchObject({ firstMicros: 50, micros: 30, waitedMs: 1_000, quick: true });
    expect(pauses).toEqual([1_000]);
  });
});

describe("waiting after the previous bench's delete", () => {
  it.each([
    // window 370 s; the delete ended at t = 1,000,000 ms
    ["right after it", 1_000_000, 370_000],
    ["a minute and a half after it", 1_090_000, 280_000],
    ["past the window", 1_370_000, 0],
    ["long after it", 9_000_000, 0],
    ["with a clock behind the marker", 900_000, 370_000],
  ])("%s", (_, now, expected) => {
    const marker = join(scratch(), "last-delete");
    markDelete(marker, 1_000_000);
    expect(readFileSync(marker, "utf8")).toBe("1000000\n");
    const pauses: number[] = [];
    expect(waitAfterDelete(marker, 370_000, now, (ms) => void pauses.push(ms))).toBe(expected);
    expect(pauses).toEqual(expected ? [expected] : []);
  });

  it("waits for nothing without a readable marker", () => {
    const dir = scratch();
    const pauses: number[] = [];
    expect(waitAfterDelete(join(dir, "missing"), 370_000, 0, (ms) => void pauses.push(ms))).toBe(0);
    writeFileSync(join(dir, "garbled"), "yesterday\n");
    expect(waitAfterDelete(join(dir, "garbled"), 370_000, 0, (ms) => void pauses.push(ms))).toBe(0);
    expect(pauses).toEqual([]);
  });
});
