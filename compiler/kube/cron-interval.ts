/**
 * The longest wait between two runs of a five-field cron schedule (as CronJobs and Velero read it), the interval an
 * alert on a missed run is sized from: `0 2 * * *` waits a day, `0 2 * * 1` a week, `0 2 1 * *` up to 31 days.
 */

import { FIVE, MACRO_SCHEDULES, fieldValue, type FieldSpec } from "./cron.ts";
import { itself, remembered } from "../remember.ts";

/** The values one field takes (`*`, lists, ranges, steps, names), or undefined when it does not read. */
function values(field: string, f: FieldSpec): Set<number> | undefined {
  const out = new Set<number>();
  for (const part of field.split(",")) {
    const [range, stepText] = part.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    let from: number | undefined = f.min;
    let to: number | undefined = f.max;
    if (range !== "*" && range !== "?") {
      const [a, b] = range.split("-");
      from = fieldValue(a, f);
      to = b === undefined ? (stepText === undefined ? from : f.max) : fieldValue(b, f);
    }
    if (from === undefined || to === undefined || !(step >= 1)) return undefined;
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

/**
 * The longest gap, in seconds, between consecutive runs of a five-field schedule (or a macro), in UTC over the
 * schedule's period (a week when it names no day of the month or month, else four years); undefined when the
 * expression does not read or never runs. Worked out once per schedule (every target's backup alerts ask for the
 * same few; a monthly one walks four years of days).
 */
export const cronIntervalSeconds: (expr: string) => number | undefined = remembered(longestGap, itself, 1_000);

/** cronIntervalSeconds, worked out. */
function longestGap(expr: string): number | undefined {
  const text = MACRO_SCHEDULES[expr.trim()] ?? expr.trim();
  const fields = text.split(/\s+/);
  if (fields.length !== 5) return undefined;
  const [minutes, hours, dom, months, dowRaw] = fields.map((text, i) => values(text, FIVE[i]));
  if (!minutes || !hours || !dom || !months || !dowRaw) return undefined;
  const dow = new Set([...dowRaw].map((d) => d % 7));
  const anyDom = fields[2] === "*" || fields[2] === "?";
  const anyDow = fields[4] === "*" || fields[4] === "?";
  // Cron's rule: with both day fields restricted, a day matches either.
  const dayMatches = (d: Date) => {
    const byDom = dom.has(d.getUTCDate());
    const byDow = dow.has(d.getUTCDay());
    const day = anyDom ? byDow : anyDow ? byDom : byDom || byDow;
    return day && months.has(d.getUTCMonth() + 1);
  };
  const weekly = anyDom && fields[3] === "*";
  const days = weekly ? 7 : 4 * 365 + 1;
  const start = Date.UTC(2024, 0, 1);
  const runs: number[] = [];
  const times = [...hours]
    .sort((a, b) => a - b)
    .flatMap((h) => [...minutes].sort((a, b) => a - b).map((m) => h * 60 + m));
  for (let day = 0; day < days; day++) {
    if (!dayMatches(new Date(start + day * 86_400_000))) continue;
    for (const t of times) runs.push(day * 1440 + t);
  }
  if (!runs.length) return undefined;
  let longest = runs[0] + days * 1440 - runs[runs.length - 1];
  for (let i = 1; i < runs.length; i++) longest = Math.max(longest, runs[i] - runs[i - 1]);
  return longest * 60;
}
