/**
 * Alerts on the backups themselves, from what records their outcome rather than from the store:
 * - each backup CronJob (backup-jobs.ts): no successful run within `backupIntervals` × its schedule's longest interval
 *   plus the Job's start and run deadlines (kube-state-metrics' `kube_cronjob_status_last_successful_time`, or, before
 *   a first success, the CronJob's age), and a run that failed after the last success (`kube_job_failed` of the Jobs
 *   it owns);
 * - each restore CronJob: a restore Job that failed (it stays, and alerts, until the operator deletes it);
 * - the namespace's Velero Schedule: no successful backup within `backupIntervals` × its interval (Velero's own
 *   `velero_backup_last_successful_timestamp`, scraped through the chart's ServiceMonitor), or attempts and no success.
 * A store's local snapshot (Redis's RDB) keeps succeeding while the upload fails, so it never stands for a backup.
 * All read the cluster's exporters (kube-state-metrics, Velero's server): the cluster's Prometheus evaluates them.
 * CloudNativePG reports its backups itself (alert-catalog.ts, `cnpg_collector_last_available_backup_timestamp`).
 */
import type { StoreComponent } from "../describe/types.ts";
import type { ResolvedTarget } from "../model/target.ts";
import { cronIntervalSeconds } from "../kube/cron-interval.ts";
import { pascal, thresholdsOf, type PlatformAlert } from "./alert-catalog.ts";
import { BACKUP_JOB_DEADLINES, backupJobName, hasBackupJob, hasRestoreJob, restoreJobName } from "./backup-jobs.ts";
import { objectName } from "./naming.ts";
import { backupOf } from "./object-store.ts";
import { VOLUME_SNAPSHOTS, hasVolumeSnapshots } from "./velero.ts";

/** A duration in seconds, as an operator reads it: `38h`, `90m`. */
function readable(seconds: number): string {
  return seconds % 3600 === 0 ? `${seconds / 3600}h` : `${Math.round(seconds / 60)}m`;
}

/** `time() - last success > limit`, or, with no success yet, `since > limit` (a new object is not late at once). */
function missed(last: string, since: string, limit: number): string {
  return `(time() - max(${last}) > ${limit}) or (${since} > ${limit} unless on () max(${last}))`;
}

/** The alerts of one store's backup CronJob and, where it has one, its restore CronJob. */
function cronJobAlerts(target: ResolvedTarget, key: string, c: StoreComponent, prefix: string): PlatformAlert[] {
  const name = objectName(target, key);
  const ns = `namespace="${target.namespace}"`;
  const backup = backupJobName(name);
  const schedule = backupOf(c)!.schedule;
  const interval = cronIntervalSeconds(schedule) ?? 86_400;
  const limit = Math.round(
    thresholdsOf(target).backupIntervals * interval +
      BACKUP_JOB_DEADLINES.startSeconds +
      BACKUP_JOB_DEADLINES.runSeconds,
  );
  const cron = `{${ns},cronjob="${backup}"}`;
  const last = `kube_cronjob_status_last_successful_time${cron}`;
  const owned = (job: string) => `kube_job_owner{${ns},owner_kind="CronJob",owner_name="${job}"}`;
  const failed = `(kube_job_failed{${ns},condition="true"} == 1)`;
  const base = `${prefix}${pascal(key)}`;
  const out: PlatformAlert[] = [
    {
      alert: `${base}BackupMissed`,
      component: key,
      scope: "symptom",
      cluster: true,
      severity: "critical",
      for: "10m",
      expr: missed(last, `time() - max(kube_cronjob_created${cron})`, limit),
      summary: `${backup}: no successful backup uploaded in ${readable(limit)} (schedule "${schedule}")`,
    },
    {
      alert: `${base}BackupFailed`,
      component: key,
      scope: "symptom",
      cluster: true,
      severity: "warning",
      for: "5m",
      expr: `max(kube_job_status_start_time{${ns}} and on (namespace, job_name) ${failed} and on (namespace, job_name) ${owned(backup)}) > (max(${last}) or vector(0))`,
      summary: `${backup}: the latest backup Job failed (no success since)`,
    },
  ];
  if (hasRestoreJob(target, c)) {
    const restore = restoreJobName(name);
    out.push({
      alert: `${base}RestoreFailed`,
      component: key,
      scope: "symptom",
      cluster: true,
      severity: "warning",
      for: "1m",
      expr: `max by (job_name) (${failed} and on (namespace, job_name) ${owned(restore)}) == 1`,
      summary: `${restore}: a restore Job failed; it alerts until the Job is deleted`,
    });
  }
  return out;
}

/** The Velero Schedule of the namespace: no successful backup in time, or attempts with none succeeding. */
function volumeSnapshotAlert(target: ResolvedTarget, prefix: string): PlatformAlert {
  const interval = cronIntervalSeconds(VOLUME_SNAPSHOTS.schedule) ?? 86_400;
  const limit = Math.round(thresholdsOf(target).backupIntervals * interval);
  const schedule = `{schedule="${target.namespace}"}`;
  const last = `velero_backup_last_successful_timestamp${schedule}`;
  return {
    alert: `${prefix}VolumeSnapshotsMissed`,
    scope: "symptom",
    cluster: true,
    severity: "critical",
    for: "10m",
    expr: `(time() - max(${last}) > ${limit}) or (max(velero_backup_attempt_total${schedule}) > 0 unless on () max(${last}))`,
    summary: `velero/${target.namespace}: no successful Velero backup of the namespace in ${readable(limit)}`,
  };
}

/** The backup alerts of a target, as one rule group, or none when the platform declares no `alerting`. */
export function backupAlerts(target: ResolvedTarget): Record<string, PlatformAlert[]> {
  if (!target.alerting) return {};
  const prefix = pascal(target.platform);
  const rules: PlatformAlert[] = [];
  for (const key of Object.keys(target.components).sort()) {
    const c = target.components[key];
    if (c.type === "store" && hasBackupJob(target, c)) rules.push(...cronJobAlerts(target, key, c, prefix));
  }
  if (hasVolumeSnapshots(target)) rules.push(volumeSnapshotAlert(target, prefix));
  return rules.length ? { "generated-backups": rules } : {};
}
