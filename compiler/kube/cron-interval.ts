/**
 * The longest wait between two runs of a five-field cron schedule (as CronJobs and Velero read it), the interval an
 * alert on a missed run is sized from: `0 2 * * *` waits a day, `0 2 * * 1` a week, `0 2 1 * *` up to 31 days.
 */

const MACROS: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};
const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

/** The values one field takes (`*`, lists, ranges, steps, names), or undefined when it does not read. */
function values(field: string, min: number, max: number, names?: string[]): Set<number> | undefined {
  const out = new Set<number>();
  const read = (t: string) => {
    const named = names?.indexOf(t.toLowerCase()) ?? -1;
    if (named >= 0) return named + (min === 1 ? 1 : 0);
    return /^\d+$/.test(t) ? Number(t) : NaN;
  };
  for (const part of field.split(",")) {
    const [range, stepText] = part.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    let from = min;
    let to = max;
    if (range !== "*" && range !== "?") {
      const [a, b] = range.split("-");
      from = read(a);
      to = b === undefined ? (stepText === undefined ? from : max) : read(b);
    }
    if (!Number.isInteger(from) || !Number.isInteger(to) || !(step >= 1) || from < min || to > max) return undefined;
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

/**
 * The longest gap, in seconds, between consecutive runs of a five-field schedule (or a macro), in UTC over the
 * schedule's period (a week when it names no day of the month or month, else four years); undefined when the
 * expression does not read or never runs.
 */
export function cronIntervalSeconds(expr: string): number | undefined {
  const text = MACROS[expr.trim()] ?? expr.trim();
  const fields = text.split(/\s+/);
  if (fields.length !== 5) return undefined;
  const minutes = values(fields[0], 0, 59);
  const hours = values(fields[1], 0, 23);
  const dom = values(fields[2], 1, 31);
  const months = values(fields[3], 1, 12, MONTHS);
  const dowRaw = values(fields[4], 0, 7, DAYS);
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
