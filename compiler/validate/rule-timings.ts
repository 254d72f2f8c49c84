import { compareNames } from "../name-order.ts";
/**
 * Each validation rule's milliseconds, kept in a run's timings beside its phases under `rule:<name>`, so that
 * `--timings` can say which rules a compile spends its validation on (summed over every target and both threads).
 */

const PREFIX = "rule:";

/** Adds `ms` to `rule`'s time in `timings`. */
export function addRuleTime(timings: Record<string, number>, rule: string, ms: number): void {
  timings[PREFIX + rule] = (timings[PREFIX + rule] ?? 0) + ms;
}

/** True when a timings key holds a rule's time rather than a phase's. */
export function isRuleTiming(key: string): boolean {
  return key.startsWith(PREFIX);
}

/** The rules' times in `timings`, by rule name, slowest first, in whole milliseconds. */
export function ruleTimes(timings: Record<string, number>): [string, number][] {
  return Object.entries(timings)
    .filter(([k]) => isRuleTiming(k))
    .map(([k, v]) => [k.slice(PREFIX.length), Math.round(v)] as [string, number])
    .sort((a, b) => b[1] - a[1] || compareNames(a[0], b[0]));
}
