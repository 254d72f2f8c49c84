import type { RenderedObject } from "../../model/object.ts";
import type { Rule } from "../context.ts";
import { obj, objects, str } from "../../kube/loose.ts";
import { readPromql, selectorTakes } from "../promql.ts";

/** What an alert on one backup object must read, and the labels of the series that object produces. */
interface Watched {
  metric: string;
  labels: Record<string, string>;
  /** True when the series come from the cluster's exporters (kube-state-metrics, Velero's server). */
  cluster: boolean;
  what: string;
}

/** The series an alert must select to watch `o`, or undefined when `o` is no backup object. */
function watched(o: RenderedObject, namespace: string): Watched | undefined {
  const { kind, apiVersion, metadata } = o.object;
  const name = metadata.name;
  const ns = metadata.namespace ?? namespace;
  if (kind === "CronJob" && apiVersion.startsWith("batch/")) {
    const role = metadata.labels?.["app.kubernetes.io/component"];
    if (role === "backup")
      return {
        metric: "kube_cronjob_status_last_successful_time",
        labels: { namespace: ns, cronjob: name },
        cluster: true,
        what: "its last successful run",
      };
    if (role === "restore")
      return {
        metric: "kube_job_owner",
        labels: { namespace: ns, owner_kind: "CronJob", owner_name: name },
        cluster: true,
        what: "the Jobs it owns",
      };
    return undefined;
  }
  if (kind === "ScheduledBackup" && apiVersion.startsWith("postgresql.cnpg.io/")) {
    const cluster = str(obj(obj(o.object.spec).cluster).name) ?? name;
    return {
      metric: "cnpg_collector_last_available_backup_timestamp",
      labels: { namespace: ns, pod: `${cluster}-1` },
      cluster: false,
      what: `the last available backup of Cluster/${cluster}`,
    };
  }
  if (kind === "Schedule" && apiVersion.startsWith("velero.io/"))
    return {
      metric: "velero_backup_last_successful_timestamp",
      labels: { schedule: name },
      cluster: true,
      what: "its last successful backup",
    };
  return undefined;
}

/**
 * Backups alert when they stop: every backup CronJob, restore CronJob, CloudNativePG ScheduledBackup and Velero
 * Schedule of a target is selected by an alert that reads its outcome (the CronJob's last success, the Jobs a restore
 * CronJob owns, CloudNativePG's last available backup, Velero's last successful backup), in a PrometheusRule whose
 * Prometheus has those series: the cluster's exporters' only where the cluster's Prometheus evaluates it (not one
 * carrying the label the cluster's leaves to a platform's own Prometheus). A store's local snapshot is no backup.
 * Checked where the platform declares `alerting` (without it nothing alerts at all).
 */
export const backupAlertsRule: Rule = {
  name: "backup-alerts",
  description: "every backup CronJob, ScheduledBackup and Velero Schedule has an alert that reads its outcome",
  check(ctx, report) {
    // A platform that declares no alerting has no alerts to route, for backups or anything else.
    if (!ctx.target.alerting) return;
    const leavesOut = ctx.target.managedCapabilities?.find((m) => m.clusterMonitoring)?.clusterMonitoring?.leavesOut;
    const alerts: { rule: RenderedObject; name: string; expr: string }[] = [];
    for (const o of ctx.objects) {
      if (o.object.kind !== "PrometheusRule") continue;
      for (const [group] of objects(obj(o.object.spec).groups))
        for (const [r] of objects(group.rules)) {
          const name = str(r.alert);
          const expr = str(r.expr);
          if (name && expr) alerts.push({ rule: o, name, expr });
        }
    }
    for (const o of ctx.objects) {
      const w = watched(o, ctx.target.namespace);
      if (!w) continue;
      const selecting = alerts.filter((a) =>
        readPromql(a.expr).selectors.some((s) => s.metric === w.metric && selectorTakes(s, w.labels)),
      );
      const evaluated = selecting.filter(
        (a) => !w.cluster || !leavesOut || !(leavesOut in (a.rule.object.metadata.labels ?? {})),
      );
      const selector = `${w.metric}{${Object.entries(w.labels)
        .map(([k, v]) => `${k}="${v}"`)
        .join(",")}}`;
      if (!selecting.length)
        report(o, {
          pointer: "/metadata/name",
          message: `no alert reads ${w.what} (${selector}): a backup that stops succeeding goes unnoticed`,
          fix: `generate an alert on ${selector} (alerting declared and the alert not turned off), thresholds from the schedule`,
        });
      else if (!evaluated.length)
        report(o, {
          pointer: "/metadata/name",
          message: `${selecting.map((a) => a.name).join(", ")} reads ${w.metric} in PrometheusRule/${selecting[0].rule.object.metadata.name}, which the platform's own Prometheus evaluates without those series: it never fires`,
          fix: `move it to a PrometheusRule without the ${leavesOut} label, which the cluster's Prometheus (scraping kube-state-metrics and Velero) evaluates`,
        });
    }
  },
};
