/**
 * Alerting and recording rules (`alerts`, `recordingRules`) as one
 * prometheus-operator PrometheusRule per target: recording groups first, then
 * alert groups, each alert labelled with its severity and the target's
 * environment and region so Alertmanager can route it.
 */
import { PrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import type { ResolvedTarget } from "../model/target.ts";
import { platformLabels } from "./naming.ts";
import { SKIP_DRY_RUN } from "../sync/annotations.ts";
import { plain } from "./objects.ts";
import { type RenderedObject } from "../model/object.ts";

/** The PrometheusRule of a target, or nothing when the platform declares no rules. */
export function buildAlertRules(target: ResolvedTarget): RenderedObject[] {
  const recording = target.recordingRules ?? {};
  const alerts = target.alerts ?? {};
  if (!Object.keys(recording).length && !Object.keys(alerts).length) return [];
  const groups = [
    ...Object.keys(recording)
      .sort()
      .map((name) => ({ name, rules: recording[name].map((r) => ({ record: r.record, expr: r.expr })) })),
    ...Object.keys(alerts)
      .sort()
      .map((name) => ({
        name,
        rules: alerts[name].map((a) => ({
          alert: a.alert,
          expr: a.expr,
          for: a.for,
          labels: { severity: a.severity, environment: target.environment, region: target.region },
          annotations: (a.description
            ? { summary: a.summary, description: a.description }
            : { summary: a.summary }) as Record<string, string>,
        })),
      })),
  ];
  const rule = new PrometheusRule({
    metadata: {
      name: `${target.namePrefix || target.platform + "-"}rules`,
      namespace: target.namespace,
      labels: platformLabels(target, "monitoring"),
      annotations: { ...SKIP_DRY_RUN },
    },
    spec: { groups },
  });
  return [{ object: plain(rule), band: "observability" }];
}
