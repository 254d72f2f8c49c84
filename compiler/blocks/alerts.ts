/**
 * Alerting and recording rules as one prometheus-operator PrometheusRule per target: the platform's declared
 * recording rules and its SLOs' error ratios first, then its declared alerts, its SLOs' burn-rate alerts and the
 * alerts generated from its components (alert-catalog.ts) and its backups (backup-alerts.ts), less those
 * `alerting.off` names. Each alert is labelled with what Alertmanager routes and inhibits on (severity, platform,
 * namespace, environment, region, component, scope) and carries a summary and a runbook URL. Where the platform
 * runs its own Prometheus, it evaluates the rule (its evaluator label); the alerts that read only the cluster's
 * exporters go to a second rule, `<prefix>cluster-rules`, which only the cluster's Prometheus selects: every rule
 * has exactly one evaluator.
 */
import { PrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import type { ResolvedTarget } from "../model/target.ts";
import { platformLabels } from "./naming.ts";
import { evaluatorLabels } from "./prometheus-stack.ts";
import { SKIP_DRY_RUN } from "../sync/annotations.ts";
import { make, plain } from "./objects.ts";
import { type RenderedObject } from "../model/object.ts";
import { generatedAlerts, type PlatformAlert } from "./alert-catalog.ts";
import { backupAlerts } from "./backup-alerts.ts";
import { sloAlerts, sloRecordings, type SloRecording } from "./slo.ts";

/** Every alert group of the target, declared, SLO and generated, without the alerts turned off. */
export function alertGroups(target: ResolvedTarget): Record<string, PlatformAlert[]> {
  const declared = Object.fromEntries(
    Object.entries(target.alerts ?? {}).map(([g, rules]) => [
      g,
      rules.map((r) => ({ ...r, scope: "symptom" as const })),
    ]),
  );
  const slos = Object.fromEntries(
    Object.entries(target.slos ?? {}).map(([name, slo]) => [`slo-${name}-alerts`, sloAlerts(target, name, slo)]),
  );
  const off = new Set(target.alerting?.off ?? []);
  const groups: Record<string, PlatformAlert[]> = {};
  for (const [g, rules] of Object.entries({
    ...declared,
    ...slos,
    ...generatedAlerts(target),
    ...backupAlerts(target),
  })) {
    const kept = rules.filter((r) => !off.has(r.alert));
    if (kept.length) groups[g] = kept;
  }
  return groups;
}

/** Every recording group of the target: the declared ones and each SLO's error ratios. */
function recordingGroups(target: ResolvedTarget): Record<string, SloRecording[]> {
  const rules = target.recordingRules ?? {};
  const declared = Object.fromEntries(
    Object.keys(rules)
      .sort()
      .map((g) => [g, rules[g].map((r) => ({ ...r, labels: {} }))]),
  );
  const slos = Object.fromEntries(
    Object.entries(target.slos ?? {}).map(([name, slo]) => [`slo-${name}`, sloRecordings(name, slo)]),
  );
  return { ...slos, ...declared };
}

/** The runbook of an alert: its own, else `<alerting.runbooks>/<alert>`. */
function runbookOf(target: ResolvedTarget, a: PlatformAlert): string | undefined {
  return a.runbook ?? (target.alerting ? `${target.alerting.runbooks}/${a.alert}` : undefined);
}

/** One rendered alerting rule. */
function renderAlert(target: ResolvedTarget, a: PlatformAlert) {
  const runbook = runbookOf(target, a);
  return {
    alert: a.alert,
    expr: a.expr,
    for: a.for,
    labels: {
      severity: a.severity,
      platform: target.platform,
      namespace: target.namespace,
      environment: target.environment,
      region: target.region,
      scope: a.scope,
      ...(a.component ? { component: a.component } : {}),
      ...a.labels,
    },
    annotations: {
      summary: a.summary,
      ...(a.description ? { description: a.description } : {}),
      ...(runbook ? { runbook_url: runbook } : {}),
    },
  };
}

type Group = { name: string; rules: unknown[] };

/** A PrometheusRule of the target, named `<prefix><suffix>`, with extra labels. */
function prometheusRule(target: ResolvedTarget, suffix: string, labels: Record<string, string>, groups: Group[]) {
  const rule = make(PrometheusRule, {
    metadata: {
      name: `${target.namePrefix || target.platform + "-"}${suffix}`,
      namespace: target.namespace,
      labels: { ...platformLabels(target, "monitoring"), ...labels },
      annotations: { ...SKIP_DRY_RUN },
    },
    spec: { groups: groups as PrometheusRule["spec"]["groups"] },
  });
  return { object: plain(rule), band: "observability" as const };
}

/**
 * The PrometheusRules of a target: one, or, where the platform runs its own Prometheus, that one's rule and the
 * cluster's (the alerts on kube-state-metrics and kubelet series); nothing when the platform declares no rules.
 */
export function buildAlertRules(target: ResolvedTarget): RenderedObject[] {
  const recording = recordingGroups(target);
  const alerts = alertGroups(target);
  if (!Object.keys(recording).length && !Object.keys(alerts).length) return [];
  const split = !!target.prometheusStack;
  const alertGroupsOf = (cluster: boolean): Group[] =>
    Object.keys(alerts)
      .sort()
      .map((name) => ({
        name,
        rules: alerts[name].filter((a) => !split || !!a.cluster === cluster).map((a) => renderAlert(target, a)),
      }))
      .filter((g) => g.rules.length);
  // Recording groups first (an SLO's error ratios before the declared rules that read them), then alert groups.
  const own = [
    ...Object.keys(recording).map((name) => ({
      name,
      rules: recording[name].map((r) =>
        Object.keys(r.labels).length
          ? { record: r.record, expr: r.expr, labels: r.labels }
          : { record: r.record, expr: r.expr },
      ),
    })),
    ...alertGroupsOf(false),
  ];
  const out = own.length ? [prometheusRule(target, "rules", evaluatorLabels(target), own)] : [];
  const cluster = split ? alertGroupsOf(true) : [];
  if (cluster.length) out.push(prometheusRule(target, "cluster-rules", {}, cluster));
  return out;
}
