/**
 * Alerts generated from what each component is, against the metrics of the exporters the fleet runs:
 * - services: down, error rate and latency (when they declare request metrics), CPU and memory saturation, and an
 *   autoscaler stuck at its maximum;
 * - stores: down, replication lag (with replicas), CloudNativePG's backup age, the age of Redis's local RDB snapshot
 *   (its persistence; the upload to the object store is watched through its backup CronJob, backup-alerts.ts), a
 *   volume filling up, and a NATS consumer falling behind;
 * - pods: crash loops and OOM kills;
 * - the platform: every scrape target down at once, the outage that silences its symptoms in Alertmanager.
 * Thresholds come from the target's `alerting.thresholds` (every layer may change them), and what follows the
 * target's own numbers (replication lag only where there are replicas) never fires for ever in a smaller dev.
 * "Down" alerts also fire when their series disappear (`absent`): a target that vanishes from discovery has no `up`.
 * Alerts that read only the cluster's exporters (kube-state-metrics, the kubelet) are marked `cluster`: where the
 * platform runs its own Prometheus, which scrapes neither, the cluster's Prometheus evaluates them.
 */
import type { AlertRule, AlertThresholds, Component, StoreComponent } from "../describe/types.ts";
import type { ResolvedTarget } from "../model/target.ts";
import { objectName } from "./naming.ts";

/** Production's thresholds, used where no layer changes them. */
export const DEFAULT_THRESHOLDS: AlertThresholds = {
  errorRatio: 0.05,
  latencySeconds: 1,
  saturation: 0.9,
  replicationLagSeconds: 60,
  backupAgeHours: 26,
  backupIntervals: 1.5,
  diskFullHours: 24,
  consumerPending: 1000,
  restarts: 3,
};

/** An alert with what Alertmanager routes and inhibits on: the component it is about and its scope. */
export interface PlatformAlert extends AlertRule {
  component?: string;
  /** `outage`: the whole platform is down; `symptom`: anything an outage explains. */
  scope: "outage" | "symptom";
  /** More labels (an SLO's name and windows). */
  labels?: Record<string, string>;
  /** True when it reads only the cluster's exporters (kube-state-metrics, the kubelet): the cluster evaluates it. */
  cluster?: boolean;
}

/** `context-api` → `ContextApi`. */
export function pascal(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join("");
}

/** The selector text of a series in the target's namespace, with more matchers. */
function sel(target: ResolvedTarget, ...matchers: string[]): string {
  return `{${[`namespace="${target.namespace}"`, ...matchers].join(",")}}`;
}

/** `<expr> < 1`, or the series gone altogether: `absent` of the same selection fires when nothing reports it. */
export function downOrAbsent(aggregate: string, series: string): string {
  return `${aggregate} < 1 or absent(${series})`;
}

/** The thresholds in force for the target. */
export function thresholdsOf(target: ResolvedTarget): AlertThresholds {
  return { ...DEFAULT_THRESHOLDS, ...target.alerting?.thresholds };
}

interface Ctx {
  target: ResolvedTarget;
  key: string;
  name: string;
  prefix: string;
  t: AlertThresholds;
}

function alert(ctx: Ctx, suffix: string, rest: Omit<PlatformAlert, "alert" | "component" | "scope">): PlatformAlert {
  return { alert: `${ctx.prefix}${pascal(ctx.key)}${suffix}`, component: ctx.key, scope: "symptom", ...rest };
}

/** Down: no scrape target of the component is up (or, without metrics, no replica is available). */
function down(ctx: Ctx, c: Component): PlatformAlert {
  const { target, name } = ctx;
  const kind = c.type === "service" ? "deployment" : "statefulset";
  const up = `up${sel(target, `job="${name}"`)}`;
  const ready =
    c.type === "service"
      ? `kube_deployment_status_replicas_available${sel(target, `deployment="${name}"`)}`
      : `kube_statefulset_status_replicas_ready${sel(target, `statefulset="${name}"`)}`;
  const expr = c.metrics ? downOrAbsent(`sum(${up})`, up) : downOrAbsent(`sum(${ready})`, ready);
  return alert(ctx, "Down", {
    ...(c.metrics ? {} : { cluster: true }),
    severity: "critical",
    for: "5m",
    expr,
    summary: `${name}: no ${c.metrics ? "scrape target is up" : `${kind} replica is available`}`,
  });
}

/** Error rate and latency, from the request metrics the service declares. */
function requestAlerts(ctx: Ctx, c: Component): PlatformAlert[] {
  const r = c.metrics?.requests;
  if (c.type !== "service" || !r) return [];
  const { target, name, t } = ctx;
  const job = `job="${name}"`;
  const out = [
    alert(ctx, "HighErrorRate", {
      severity: "critical",
      for: "5m",
      expr: `sum(rate(${r.counter}${sel(target, job, r.errors)}[5m])) / sum(rate(${r.counter}${sel(target, job)}[5m])) > ${t.errorRatio}`,
      summary: `${name}: more than ${t.errorRatio * 100}% of requests fail`,
    }),
  ];
  if (r.histogram)
    out.push(
      alert(ctx, "HighLatency", {
        severity: "warning",
        for: "10m",
        expr: `histogram_quantile(0.95, sum by (le) (rate(${r.histogram}_bucket${sel(target, job)}[5m]))) > ${t.latencySeconds}`,
        summary: `${name}: p95 latency is above ${t.latencySeconds}s`,
      }),
    );
  return out;
}

/** CPU and memory near the limit (cAdvisor over kube-state-metrics), and an autoscaler at its maximum. */
function saturation(ctx: Ctx, c: Component): PlatformAlert[] {
  const { target, name, t } = ctx;
  const container = c.type === "service" ? ctx.key : c.engine;
  const of = (usage: string, resource: string) =>
    `max by (pod) (${usage} / on (pod, container) kube_pod_container_resource_limits${sel(target, `container="${container}"`, `pod=~"${name}-.*"`, `resource="${resource}"`)}) > ${t.saturation}`;
  const pct = `${Math.round(t.saturation * 100)}%`;
  const out = [
    alert(ctx, "MemorySaturated", {
      cluster: true,
      severity: "warning",
      for: "15m",
      expr: of(
        `container_memory_working_set_bytes${sel(target, `container="${container}"`, `pod=~"${name}-.*"`)}`,
        "memory",
      ),
      summary: `${name}: a pod uses more than ${pct} of its memory limit`,
    }),
    alert(ctx, "CPUSaturated", {
      cluster: true,
      severity: "warning",
      for: "15m",
      expr: of(
        `rate(container_cpu_usage_seconds_total${sel(target, `container="${container}"`, `pod=~"${name}-.*"`)}[5m])`,
        "cpu",
      ),
      summary: `${name}: a pod uses more than ${pct} of its CPU limit`,
    }),
  ];
  if (c.type === "service" && c.autoscale) {
    const hpa = sel(target, `horizontalpodautoscaler="${name}"`);
    out.push(
      alert(ctx, "AutoscalerAtMaximum", {
        cluster: true,
        severity: "warning",
        for: "15m",
        expr: `kube_horizontalpodautoscaler_status_current_replicas${hpa} >= kube_horizontalpodautoscaler_spec_max_replicas${hpa}`,
        summary: `${name}: the autoscaler has been at its maximum replicas for 15 minutes`,
      }),
    );
  }
  return out;
}

/** A store's own exporter: whether it is up, how far replicas lag, how old the last backup is. */
function engineAlerts(ctx: Ctx, c: StoreComponent): PlatformAlert[] {
  const { target, name, t } = ctx;
  // Instances: `<name>-1` (CloudNativePG), `<name>-0`, or `<name>-primary-0` / `<name>-replica-0` (split sets).
  const pods = sel(target, `pod=~"${name}-([a-z]+-)?[0-9]+"`);
  const replicated = c.replicas > 1;
  const out: PlatformAlert[] = [];
  const up = (metric: string, what: string) =>
    alert(ctx, "Down", {
      severity: "critical",
      for: "5m",
      expr: downOrAbsent(`sum(${metric}${pods})`, `${metric}${pods}`),
      summary: `${name}: ${what}`,
    });
  const lag = (expr: string) =>
    alert(ctx, "ReplicationLag", {
      severity: "warning",
      for: "10m",
      expr: `${expr} > ${t.replicationLagSeconds}`,
      summary: `${name}: a replica lags its primary by more than ${t.replicationLagSeconds}s`,
    });
  const backup = (suffix: string, metric: string, what: string) =>
    alert(ctx, suffix, {
      severity: "warning",
      for: "30m",
      expr: `time() - max(${metric}${pods}) > ${t.backupAgeHours * 3600}`,
      summary: `${name}: the last ${what} is more than ${t.backupAgeHours} hours old`,
    });
  if (c.engine === "postgres") {
    out.push(up("cnpg_collector_up", "no PostgreSQL instance answers CloudNativePG's exporter"));
    if (replicated) out.push(lag(`max(cnpg_pg_replication_lag${pods})`));
    out.push(backup("BackupTooOld", "cnpg_collector_last_available_backup_timestamp", "available backup"));
  } else if (c.engine === "redis") {
    out.push(up("redis_up", "no Redis instance answers the exporter"));
    if (replicated) out.push(lag(`max(redis_master_last_io_seconds_ago${pods})`));
    out.push(backup("SnapshotTooOld", "redis_rdb_last_save_timestamp_seconds", "local RDB snapshot"));
  } else if (c.engine === "nats") {
    out.push(
      alert(ctx, "ConsumerLag", {
        severity: "warning",
        for: "10m",
        expr: `max by (stream_name, consumer_name) (jetstream_consumer_num_pending${sel(target)}) > ${t.consumerPending}`,
        summary: `${name}: a JetStream consumer has more than ${t.consumerPending} messages pending`,
      }),
    );
  }
  return out;
}

/** The store's data volumes filling up: at the last 6 hours' rate, full within `diskFullHours`. */
function diskFilling(ctx: Ctx): PlatformAlert {
  const { target, name, t } = ctx;
  // StatefulSet claims are `data-<pod>`; CloudNativePG names each claim after its instance.
  const claims = sel(target, `persistentvolumeclaim=~"(data-)?${name}-([a-z]+-)?[0-9]+"`);
  return alert(ctx, "DiskFillingUp", {
    cluster: true,
    severity: "warning",
    for: "1h",
    expr: `kubelet_volume_stats_available_bytes${claims} / kubelet_volume_stats_capacity_bytes${claims} < 0.5 and predict_linear(kubelet_volume_stats_available_bytes${claims}[6h], ${t.diskFullHours * 3600}) < 0`,
    summary: `${name}: a data volume will fill within ${t.diskFullHours} hours at its current rate`,
  });
}

/** Every generated alert of one component. */
function componentAlerts(target: ResolvedTarget, key: string, c: Component, prefix: string): PlatformAlert[] {
  const ctx: Ctx = { target, key, name: objectName(target, key), prefix, t: thresholdsOf(target) };
  if (c.type === "service") return [down(ctx, c), ...requestAlerts(ctx, c), ...saturation(ctx, c)];
  const own = engineAlerts(ctx, c);
  return [
    ...(own.some((a) => a.alert.endsWith("Down")) ? [] : [down(ctx, c)]),
    ...own,
    diskFilling(ctx),
    ...saturation(ctx, c),
  ];
}

/** Crash loops and OOM kills of any container in the namespace (kube-state-metrics). */
function podAlerts(target: ResolvedTarget, prefix: string): PlatformAlert[] {
  const t = thresholdsOf(target);
  const restarts = `increase(kube_pod_container_status_restarts_total${sel(target)}[15m])`;
  return [
    {
      alert: `${prefix}PodCrashLooping`,
      scope: "symptom",
      cluster: true,
      severity: "warning",
      for: "5m",
      expr: `${restarts} > ${t.restarts}`,
      summary: `A container restarted more than ${t.restarts} times in 15 minutes`,
    },
    {
      alert: `${prefix}PodOOMKilled`,
      scope: "symptom",
      cluster: true,
      severity: "warning",
      expr: `${restarts} > 0 and on (namespace, pod, container) kube_pod_container_status_last_terminated_reason${sel(target, 'reason="OOMKilled"')} == 1`,
      summary: "A container was killed for running out of memory",
    },
  ];
}

/** The outage: every scrape target of the platform down (with none scraped, no pod ready). */
function outage(target: ResolvedTarget, prefix: string): PlatformAlert {
  const scraped = Object.values(target.components).some((c) => c.metrics);
  const ready = `kube_pod_status_ready${sel(target, 'condition="true"')}`;
  return {
    alert: `${prefix}PlatformDown`,
    scope: "outage",
    ...(scraped ? {} : { cluster: true }),
    severity: "critical",
    for: "5m",
    expr: scraped ? downOrAbsent(`sum(up${sel(target)})`, `up${sel(target)}`) : downOrAbsent(`sum(${ready})`, ready),
    summary: `${target.platform}: nothing in ${target.namespace} is up; its other alerts are silenced`,
  };
}

/** The generated alerts of a target, by rule group, or none when the platform declares no `alerting`. */
export function generatedAlerts(target: ResolvedTarget): Record<string, PlatformAlert[]> {
  if (!target.alerting) return {};
  const prefix = pascal(target.platform);
  const groups: Record<string, PlatformAlert[]> = {
    "generated-outage": [outage(target, prefix)],
    "generated-pods": podAlerts(target, prefix),
  };
  for (const key of Object.keys(target.components).sort())
    groups[`generated-${key}`] = componentAlerts(target, key, target.components[key], prefix);
  return groups;
}
