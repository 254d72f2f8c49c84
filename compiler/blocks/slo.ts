/**
 * Service-level objectives as error budgets (the Google SRE workbook, "Alerting on SLOs"): each SLO records its
 * error ratio over the windows the alerts read, and gets four multi-window, multi-burn-rate alerts. An alert fires
 * when both its long and its short window burn the budget faster than its factor; the short window lets it
 * resolve soon after the errors stop. With a 30-day window the factors are the workbook's: 2% of the budget in an
 * hour (14.4×) or 5% in six hours (6×) page; 10% in a day (3×) or in three days (1×) open a ticket.
 */
import type { SloDescription } from "../describe/types.ts";
import type { ResolvedTarget } from "../model/target.ts";
import { pascal, type PlatformAlert } from "./alert-catalog.ts";

/** A recording rule with the labels that tell one SLO's series from another's. */
export interface SloRecording {
  record: string;
  expr: string;
  labels: Record<string, string>;
}

/** One burn-rate alert's windows: the share of the budget it reacts to, its `for`, and who hears it. */
export interface BurnWindow {
  long: string;
  short: string;
  /** The share of the whole budget spent over the long window that fires the alert. */
  budgetSpent: number;
  for: string;
  severity: "critical" | "warning";
}

/** The workbook's four alerts: two page (critical), two open a ticket (warning, to chat). */
export const BURN_WINDOWS: BurnWindow[] = [
  { long: "1h", short: "5m", budgetSpent: 0.02, for: "2m", severity: "critical" },
  { long: "6h", short: "30m", budgetSpent: 0.05, for: "15m", severity: "critical" },
  { long: "1d", short: "2h", budgetSpent: 0.1, for: "1h", severity: "warning" },
  { long: "3d", short: "6h", budgetSpent: 0.1, for: "3h", severity: "warning" },
];

/** The error-ratio series of an SLO, recorded over each window the alerts and dashboards read. */
export const SLO_WINDOWS = ["5m", "30m", "1h", "2h", "6h", "1d", "3d"];

/** The recorded error ratio over `window`. */
export function errorRatioRecord(window: string): string {
  return `slo:sli_error:ratio_rate${window}`;
}

const HOURS: Record<string, number> = { m: 1 / 60, h: 1, d: 24 };

/** A window such as `30m`, `6h` or `3d` in hours. */
export function hoursOf(window: string): number {
  const m = /^(\d+)([mhd])$/.exec(window);
  if (!m) throw new Error(`not a window: ${window}`);
  return Number(m[1]) * HOURS[m[2]];
}

/** Rounds away binary floating-point noise (14.399999999999999 → 14.4). */
function round(x: number): number {
  return Number(x.toPrecision(12));
}

/** The error budget: the share of events allowed to fail (99.97% → 0.0003). */
export function errorBudget(slo: SloDescription): number {
  return round((100 - slo.objective) / 100);
}

/** The burn-rate factor of a window: how many times faster than sustainable the budget burns (14.4 for 1h). */
export function burnFactor(w: BurnWindow, windowDays: number): number {
  return round((w.budgetSpent * windowDays * 24) / hoursOf(w.long));
}

/** The error ratio of the SLO's events over `window`. */
function errorRatio(slo: SloDescription, window: string): string {
  const e = slo.events;
  return e.type === "requests"
    ? `1 - (sum(rate(${e.good}[${window}])) / sum(rate(${e.total}[${window}])))`
    : `1 - avg(avg_over_time(${e.success}[${window}]))`;
}

/** The recording rules of one SLO: its error ratio over every window. */
export function sloRecordings(name: string, slo: SloDescription): SloRecording[] {
  return SLO_WINDOWS.map((w) => ({ record: errorRatioRecord(w), expr: errorRatio(slo, w), labels: { slo: name } }));
}

/** The four burn-rate alerts of one SLO. */
export function sloAlerts(target: ResolvedTarget, name: string, slo: SloDescription): PlatformAlert[] {
  const budget = errorBudget(slo);
  const days = slo.windowDays ?? 30;
  const series = (w: string) => `${errorRatioRecord(w)}{slo="${name}"}`;
  return BURN_WINDOWS.map((w) => {
    const factor = burnFactor(w, days);
    const threshold = round(factor * budget);
    return {
      alert: `${pascal(target.platform)}${pascal(name)}BudgetBurn${w.long}`,
      scope: "symptom",
      severity: w.severity,
      for: w.for,
      expr: `${series(w.long)} > ${threshold} and ${series(w.short)} > ${threshold}`,
      summary: `${slo.summary}: the ${slo.objective}% objective's ${days}-day error budget burns ${factor}× too fast (${round(w.budgetSpent * 100)}% of it in ${w.long})`,
      labels: { slo: name, long_window: w.long, short_window: w.short },
    };
  });
}
