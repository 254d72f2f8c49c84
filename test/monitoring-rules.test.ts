import { describe, expect, it } from "vitest";
import { monitoringRulesRule } from "../compiler/validate/rules/monitoring-rules.ts";
import type { KubeObject } from "../compiler/model/object.ts";
import { findings, rendered } from "./helpers/rule.ts";

const rules = (groups: unknown[]): KubeObject => ({
  apiVersion: "monitoring.coreos.com/v1",
  kind: "PrometheusRule",
  metadata: { name: "demo-rules" },
  spec: { groups },
});
const dashboard = (expr: string): KubeObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "demo-dashboard", labels: { grafana_dashboard: "1" } },
  data: { "demo.json": JSON.stringify({ panels: [{ targets: [{ expr }] }] }) },
});
const recording = { name: "slo", rules: [{ record: "demo:up:5m", expr: "avg_over_time(up[5m])" }] };

const CASES: { name: string; objects: KubeObject[]; expect: string[] }[] = [
  {
    name: "recording and alert groups with their own names, the alert reading a recorded series",
    objects: [rules([recording, { name: "slo-alerts", rules: [{ alert: "Down", expr: "demo:up:5m < 0.99" }] }])],
    expect: [],
  },
  {
    name: "two groups with the same name",
    objects: [rules([recording, { name: "slo", rules: [{ alert: "Down", expr: "demo:up:5m < 0.99" }] }])],
    expect: [
      'PrometheusRule/demo-rules /spec/groups/1/name: group name "slo" is used twice; Prometheus refuses the whole rule file',
    ],
  },
  {
    name: "an expression that does not parse",
    objects: [rules([{ name: "a", rules: [{ alert: "Busy", expr: "sum(rate(x[5m]) > 1" }] }])],
    expect: ["PrometheusRule/demo-rules /spec/groups/0/rules/0/expr: Busy: expression ends early (at offset 19)"],
  },
  {
    name: "an alert that reads a series no rule records",
    objects: [rules([recording, { name: "b", rules: [{ alert: "Down", expr: "demo:up:1h < 0.99" }] }])],
    expect: [
      "PrometheusRule/demo-rules /spec/groups/1/rules/0/expr: alert Down reads demo:up:1h, which no recording rule of this target records",
    ],
  },
  {
    name: "a recorded series from another PrometheusRule of the target counts",
    objects: [
      rules([recording]),
      { ...rules([{ name: "b", rules: [{ alert: "Down", expr: "demo:up:5m < 0.99" }] }]), metadata: { name: "x" } },
    ],
    expect: [],
  },
  {
    name: "a dashboard query with Grafana variables",
    objects: [dashboard('rate(x{ns="$ns"}[$__rate_interval])')],
    expect: [],
  },
  {
    name: "a dashboard query that does not parse",
    objects: [dashboard("sum by (le (rate(x[5m]))")],
    expect: [
      'ConfigMap/demo-dashboard /data/demo.json: dashboard query at /panels/0/targets/0/expr does not parse at offset 11, near "(rate(x[5m]))"',
    ],
  },
];

describe("monitoring-rules", () => {
  it.each(CASES)("$name", (c) => expect(findings(monitoringRulesRule, rendered(c.objects))).toEqual(c.expect));
});
