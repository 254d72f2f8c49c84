import type { RenderedObject } from "../../model/object.ts";
import type { Rule } from "../context.ts";
import { describeSyntaxError, readPromql, withoutGrafanaVariables } from "../promql.ts";
import { obj, objects, str } from "../../kube/loose.ts";
import { exporterOf, exportersOf } from "../../blocks/exporters.ts";
import { itself, remembered } from "../../remember.ts";

interface RuleGroup {
  name?: string;
  rules: { record?: string; alert?: string; expr?: unknown }[];
}

/** The rule groups of a PrometheusRule (entries of the wrong shape skipped), or none for other objects. */
const groupsOf = (o: RenderedObject): RuleGroup[] =>
  o.object.kind !== "PrometheusRule"
    ? []
    : objects(obj(o.object.spec).groups).map(([g]) => ({
        name: str(g.name),
        rules: objects(g.rules).map(([r]) => ({ record: str(r.record), alert: str(r.alert), expr: r.expr })),
      }));

/** Every `expr` of a Grafana dashboard's panels (rows' panels included), with its JSON pointer inside the dashboard. */
function dashboardQueries(node: unknown, pointer = ""): { expr: string; pointer: string }[] {
  if (Array.isArray(node)) return node.flatMap((n, i) => dashboardQueries(n, `${pointer}/${i}`));
  if (typeof node !== "object" || node === null) return [];
  return Object.entries(node).flatMap(([k, v]) =>
    k === "expr" && typeof v === "string"
      ? [{ expr: v, pointer: `${pointer}/expr` }]
      : dashboardQueries(v, `${pointer}/${k}`),
  );
}

/**
 * The queries of a dashboard's JSON text that do not parse, each with why; none when the text is not JSON. Kept per
 * text: the same dashboard ships to every target.
 */
const dashboardErrors = remembered(
  (text: string): { pointer: string; error: string }[] => {
    let dashboard: unknown;
    try {
      dashboard = JSON.parse(text);
    } catch {
      return [];
    }
    return dashboardQueries(dashboard).flatMap((q) => {
      const error = readPromql(withoutGrafanaVariables(q.expr)).error;
      return error ? [{ pointer: q.pointer, error: describeSyntaxError(error) }] : [];
    });
  },
  itself,
  1_000,
);

/**
 * Monitoring rules that load: a PrometheusRule's group names are unique (Prometheus and the operator's webhook
 * refuse duplicates), every expression parses with Prometheus's PromQL grammar, and every recording rule an
 * alert reads (a `level:metric:operation` name) is recorded in this target. Grafana dashboard queries (any ConfigMap
 * `.json` file) must parse too.
 * Best effort, as a warning: every other metric a rule reads is one some exporter of the platform provides
 * (blocks/exporters.ts), so an alert does not wait for ever on a series nothing scrapes.
 */
export const monitoringRulesRule: Rule = {
  name: "monitoring-rules",
  description: "PrometheusRule groups are unique, expressions parse as PromQL, alerts read recorded series",
  check(ctx, report) {
    const exporters = exportersOf(ctx.target);
    const recorded = new Set(
      ctx.objects.flatMap((o) => groupsOf(o).flatMap((g) => g.rules.map((r) => r.record))).filter(Boolean),
    );
    for (const o of ctx.objects) {
      const seen = new Set<string>();
      groupsOf(o).forEach((g, i) => {
        if (typeof g.name === "string" && seen.has(g.name))
          report(o, {
            pointer: `/spec/groups/${i}/name`,
            message: `group name "${g.name}" is used twice; Prometheus refuses the whole rule file`,
            fix: "give every rule group its own name (e.g. separate recording and alert groups)",
          });
        if (typeof g.name === "string") seen.add(g.name);
        g.rules.forEach((r, j) => {
          const pointer = `/spec/groups/${i}/rules/${j}/expr`;
          const reading = readPromql(typeof r.expr === "string" ? r.expr : String(r.expr ?? ""));
          if (reading.error) {
            report(o, {
              pointer,
              message: `${r.record ?? r.alert}: expression ${describeSyntaxError(reading.error)}`,
              fix: "correct the PromQL expression",
            });
            return;
          }
          for (const m of reading.metrics)
            if (!m.includes(":") && !exporterOf(exporters, m))
              report(o, {
                pointer,
                severity: "warning",
                message: `${r.record ?? r.alert} reads ${m}, which no exporter of this platform provides (${exporters.map((e) => e.name).join(", ")})`,
                fix: "scrape an exporter that provides it, declare it in the service's metrics.requests, or correct the name",
              });
          if (r.alert === undefined) return;
          for (const m of reading.metrics)
            if (m.includes(":") && !recorded.has(m))
              report(o, {
                pointer,
                message: `alert ${r.alert} reads ${m}, which no recording rule of this target records`,
                fix: "add the recording rule to recordingRules, or correct the series name",
              });
        });
      });
      // Dashboards for the cluster's Grafana (labelled ConfigMaps) and for a platform's own (its files ConfigMaps).
      if (o.object.kind === "ConfigMap") {
        for (const [key, text] of Object.entries(obj(o.object.data))) {
          if (!key.endsWith(".json") || typeof text !== "string") continue;
          for (const q of dashboardErrors(text))
            report(o, {
              pointer: `/data/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`,
              message: `dashboard query at ${q.pointer} ${q.error}`,
              fix: "correct the panel's PromQL query",
            });
        }
      }
    }
  },
};
