/**
 * Cron expressions as Kubernetes CronJobs and Velero read them (five fields: minute, hour, day of month, month, day
 * of week, or a macro such as `@daily`) and as CloudNativePG's ScheduledBackup reads them (six: seconds first).
 */

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

/** The five-field schedule each macro stands for. */
export const MACRO_SCHEDULES: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

/** One field of a cron expression: its name, its range, and the names it may use instead of numbers. */
export interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: string[];
}

const SECOND: FieldSpec = { name: "second", min: 0, max: 59 };
/** The five fields of a CronJob or Velero schedule, in order. */
export const FIVE: FieldSpec[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: MONTHS },
  { name: "day of week", min: 0, max: 7, names: DAYS },
];

/** The number a field's value (a number or a name) stands for, or undefined when it is not one in the field's range. */
export function fieldValue(text: string, f: FieldSpec): number | undefined {
  const named = f.names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) return named + (f.min === 1 ? 1 : 0);
  if (!/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= f.min && n <= f.max ? n : undefined;
}

/** Why one comma-separated part of a field is invalid, or undefined. */
function partProblem(part: string, f: FieldSpec): string | undefined {
  const [range, step, extra] = part.split("/");
  if (extra !== undefined || (step !== undefined && !/^[1-9]\d*$/.test(step)))
    return `${f.name} "${part}" has an invalid step`;
  if (range === "*" || range === "?") return undefined;
  const [from, to, more] = range.split("-");
  if (more !== undefined) return `${f.name} "${part}" is not a value or a range`;
  const a = fieldValue(from, f);
  const b = to === undefined ? a : fieldValue(to, f);
  if (a === undefined || b === undefined) return `${f.name} "${part}" is outside ${f.min}-${f.max}`;
  if (b < a) return `${f.name} range "${range}" runs backwards`;
  return undefined;
}

/**
 * Why a cron expression is invalid, or undefined when it is valid: `fields` is 5 (CronJob, Velero) or 6
 * (CloudNativePG, seconds first). Macros are accepted in five-field form.
 */
export function cronProblem(expr: string, fields: 5 | 6): string | undefined {
  const text = expr.trim();
  if (fields === 5 && text.startsWith("@")) return text in MACRO_SCHEDULES ? undefined : `unknown macro "${text}"`;
  if (/^(CRON_)?TZ=/.test(text)) return "a time zone belongs in spec.timeZone, not in the schedule";
  const parts = text.split(/\s+/);
  if (parts.length !== fields) return `has ${parts.length} field(s), ${fields} expected`;
  const specs = fields === 6 ? [SECOND, ...FIVE] : FIVE;
  for (const [i, p] of parts.entries()) {
    for (const piece of p.split(",")) {
      const problem = partProblem(piece, specs[i]);
      if (problem) return problem;
    }
  }
  return undefined;
}
