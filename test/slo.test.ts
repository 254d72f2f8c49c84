/**
 * The ossa SLO's burn-rate alerts, against a worked example (the Google SRE workbook, "Alerting on SLOs",
 * multi-window multi-burn-rate alerts), every number computed here by hand rather than by the compiler:
 *
 *   objective 99.97% → error budget 1 - 0.9997 = 0.0003 of requests may fail over 30 days (720 hours).
 *   burn rate = (share of the budget spent) × (budget window) / (alert window):
 *     page   2% in 1h  → 0.02 × 720 / 1  = 14.4 → threshold 14.4 × 0.0003 = 0.00432, short window 5m,  for 2m
 *     page   5% in 6h  → 0.05 × 720 / 6  = 6    → threshold 6 × 0.0003    = 0.0018,  short window 30m, for 15m
 *     ticket 10% in 1d → 0.10 × 720 / 24 = 3    → threshold 3 × 0.0003    = 0.0009,  short window 2h,  for 1h
 *     ticket 10% in 3d → 0.10 × 720 / 72 = 1    → threshold 1 × 0.0003    = 0.0003,  short window 6h,  for 3h
 *
 * At 14.4× the whole 30-day budget is gone in 720 / 14.4 = 50 hours; at 1× it lasts exactly the window.
 */
import { describe, expect, it } from "vitest";
import { find, renderedObjects } from "./helpers/rendered.ts";
import type { Parsed } from "./helpers/parsed.ts";
import { burnFactor, BURN_WINDOWS, errorBudget } from "../compiler/blocks/slo.ts";

const GATEWAY = 'namespace="ossa-platform",job="ossa-gateway"';
const HAND = [
  { long: "1h", short: "5m", threshold: "0.00432", for: "2m", severity: "critical", factor: 14.4 },
  { long: "6h", short: "30m", threshold: "0.0018", for: "15m", severity: "critical", factor: 6 },
  { long: "1d", short: "2h", threshold: "0.0009", for: "1h", severity: "warning", factor: 3 },
  { long: "3d", short: "6h", threshold: "0.0003", for: "3h", severity: "warning", factor: 1 },
];

describe("ossa's 99.97% availability SLO as an error budget", () => {
  const groups = find(renderedObjects("production", "us-west-2", "ossa"), "PrometheusRule", "ossa-rules").spec.groups;
  const group = (name: string) => groups.find((g: Parsed) => g.name === name).rules;

  it("computes the budget and burn factors of the worked example", () => {
    expect(errorBudget({ objective: 99.97, events: { type: "probes", success: "up" }, summary: "x" })).toBe(0.0003);
    expect(BURN_WINDOWS.map((w) => burnFactor(w, 30))).toEqual(HAND.map((h) => h.factor));
    // A 28-day window scales the factors: 2% of 672 hours in one hour is 13.44×.
    expect(burnFactor(BURN_WINDOWS[0], 28)).toBe(13.44);
  });

  it("records the gateway's request error ratio over every window the alerts read", () => {
    const rules = group("slo-availability");
    expect(rules.map((r: Parsed) => r.record.replace("slo:sli_error:ratio_rate", ""))).toEqual([
      "5m",
      "30m",
      "1h",
      "2h",
      "6h",
      "1d",
      "3d",
    ]);
    expect(rules[2]).toEqual({
      record: "slo:sli_error:ratio_rate1h",
      labels: { slo: "availability" },
      expr: `1 - (sum(rate(http_requests_total{${GATEWAY},status!~"5.."}[1h])) / sum(rate(http_requests_total{${GATEWAY}}[1h])))`,
    });
  });

  it("pages on fast burn and tickets on slow burn, with both windows over the hand-computed thresholds", () => {
    const alerts = group("slo-availability-alerts");
    expect(alerts).toHaveLength(4);
    HAND.forEach((h, i) => {
      const a = alerts[i];
      expect(a.alert).toBe(`OssaAvailabilityBudgetBurn${h.long}`);
      expect(a.expr).toBe(
        `slo:sli_error:ratio_rate${h.long}{slo="availability"} > ${h.threshold} and ` +
          `slo:sli_error:ratio_rate${h.short}{slo="availability"} > ${h.threshold}`,
      );
      expect(a.for).toBe(h.for);
      expect(a.labels).toMatchObject({ severity: h.severity, slo: "availability", long_window: h.long });
      expect(a.annotations.summary).toContain(`${h.factor}× too fast`);
      expect(a.annotations.runbook_url).toBe(`https://runbooks.example.com/ossa/OssaAvailabilityBudgetBurn${h.long}`);
    });
  });
});
