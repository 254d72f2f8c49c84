import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { backupAlertsRule } from "../compiler/validate/rules/backup-alerts.ts";
import { cronIntervalSeconds } from "../compiler/kube/cron-interval.ts";
import { readPromql, selectorTakes } from "../compiler/validate/promql.ts";
import { EVALUATOR_LABEL } from "../compiler/index.ts";
import type { KubeObject } from "../compiler/model/object.ts";
import type { ResolvedTarget } from "../compiler/model/target.ts";
import { findings, rendered, ruleTarget } from "./helpers/rule.ts";
import type { Parsed } from "./helpers/parsed.ts";
import { REPO } from "./helpers/project.ts";

const cronJob = (name: string, component: "backup" | "restore"): KubeObject => ({
  apiVersion: "batch/v1",
  kind: "CronJob",
  metadata: { name, namespace: "demo", labels: { "app.kubernetes.io/component": component } },
  spec: { schedule: "0 2 * * *" },
});
const scheduled: KubeObject = {
  apiVersion: "postgresql.cnpg.io/v1",
  kind: "ScheduledBackup",
  metadata: { name: "demo-db", namespace: "demo" },
  spec: { schedule: "0 0 2 * * *", cluster: { name: "demo-db" } },
};
const velero: KubeObject = {
  apiVersion: "velero.io/v1",
  kind: "Schedule",
  metadata: { name: "demo", namespace: "velero" },
  spec: { schedule: "0 3 * * *" },
};
const rule = (name: string, exprs: string[], labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: "monitoring.coreos.com/v1",
  kind: "PrometheusRule",
  metadata: { name, namespace: "demo", labels },
  spec: { groups: [{ name: "g", rules: exprs.map((expr, i) => ({ alert: `A${i}`, expr, for: "5m" })) }] },
});
const alerting = { alerting: { runbooks: "https://runbooks.example.com/demo" } } as Partial<ResolvedTarget>;
const clusterMonitored: Partial<ResolvedTarget> = {
  ...alerting,
  managedCapabilities: [
    { from: "kube-prometheus-stack", provided: [], clusterMonitoring: { leavesOut: EVALUATOR_LABEL } },
  ],
};

const WATCHING = [
  'time() - max(kube_cronjob_status_last_successful_time{namespace="demo",cronjob="demo-cache-backup"}) > 136800',
  'max(kube_job_failed{namespace="demo",condition="true"} and on (namespace, job_name) kube_job_owner{namespace="demo",owner_kind="CronJob",owner_name="demo-cache-restore"}) == 1',
  'time() - max(cnpg_collector_last_available_backup_timestamp{namespace="demo",pod=~"demo-db-([a-z]+-)?[0-9]+"}) > 93600',
  'time() - max(velero_backup_last_successful_timestamp{schedule="demo"}) > 129600',
];
const BACKUPS = [cronJob("demo-cache-backup", "backup"), cronJob("demo-cache-restore", "restore"), scheduled, velero];

describe("backup-alerts", () => {
  it("takes a target whose every backup object an alert reads", () =>
    expect(
      findings(backupAlertsRule, rendered([...BACKUPS, rule("demo-rules", WATCHING)]), ruleTarget(alerting)),
    ).toEqual([]));

  it("finds each backup object no alert reads, the local snapshot not counting", () =>
    expect(
      findings(
        backupAlertsRule,
        rendered([
          ...BACKUPS,
          rule("demo-rules", [
            'time() - max(redis_rdb_last_save_timestamp_seconds{namespace="demo"}) > 93600',
            'time() - max(kube_cronjob_status_last_successful_time{namespace="demo",cronjob="other-backup"}) > 1',
            'time() - max(cnpg_collector_last_available_backup_timestamp{namespace="demo",pod=~"other-[0-9]+"}) > 1',
          ]),
        ]),
        ruleTarget(alerting),
      ),
    ).toEqual([
      'CronJob/demo-cache-backup /metadata/name: no alert reads its last successful run (kube_cronjob_status_last_successful_time{namespace="demo",cronjob="demo-cache-backup"}): a backup that stops succeeding goes unnoticed',
      'CronJob/demo-cache-restore /metadata/name: no alert reads the Jobs it owns (kube_job_owner{namespace="demo",owner_kind="CronJob",owner_name="demo-cache-restore"}): a backup that stops succeeding goes unnoticed',
      'ScheduledBackup/demo-db /metadata/name: no alert reads the last available backup of Cluster/demo-db (cnpg_collector_last_available_backup_timestamp{namespace="demo",pod="demo-db-1"}): a backup that stops succeeding goes unnoticed',
      'Schedule/demo /metadata/name: no alert reads its last successful backup (velero_backup_last_successful_timestamp{schedule="demo"}): a backup that stops succeeding goes unnoticed',
    ]));

  it("finds an alert on kube-state-metrics in the rule the platform's own Prometheus evaluates", () =>
    expect(
      findings(
        backupAlertsRule,
        rendered([
          cronJob("demo-cache-backup", "backup"),
          rule("demo-rules", [WATCHING[0]], { [EVALUATOR_LABEL]: "demo-prometheus" }),
        ]),
        ruleTarget(clusterMonitored),
      ),
    ).toEqual([
      `CronJob/demo-cache-backup /metadata/name: A0 reads kube_cronjob_status_last_successful_time in PrometheusRule/demo-rules, which the platform's own Prometheus evaluates without those series: it never fires`,
    ]));

  it("does not ask a platform without alerting for backup alerts", () =>
    expect(findings(backupAlertsRule, rendered(BACKUPS), ruleTarget())).toEqual([]));

  it.each([
    ["0 2 * * *", 86_400],
    ["0 2,14 * * *", 43_200],
    ["*/15 * * * *", 900],
    ["0 2 * * 1", 7 * 86_400],
    ["0 2 * * 1-5", 3 * 86_400],
    ["0 3 1 * *", 31 * 86_400],
    ["@hourly", 3600],
    ["@weekly", 7 * 86_400],
  ] as const)("the schedule %s waits at most %i seconds between runs", (expr, seconds) =>
    expect(cronIntervalSeconds(expr)).toBe(seconds),
  );

  it.each(["0 2 * *", "61 2 * * *", "0 2 * * mon-", "@sometimes"])("%s has no interval", (expr) =>
    expect(cronIntervalSeconds(expr)).toBeUndefined(),
  );

  it("reads a selector's matchers with Prometheus's grammar", () => {
    const [s] = readPromql('max(kube_job_owner{namespace="demo",owner_name=~"demo-.*",owner_kind!="Job"})').selectors;
    expect(s.matchers.map((m) => `${m.name}${m.op}${m.value}`)).toEqual([
      "namespace=demo",
      "owner_name=~demo-.*",
      "owner_kind!=Job",
    ]);
    expect(selectorTakes(s, { namespace: "demo", owner_name: "demo-x", owner_kind: "CronJob" })).toBe(true);
    expect(selectorTakes(s, { namespace: "demo", owner_name: "other", owner_kind: "CronJob" })).toBe(false);
    expect(selectorTakes(s, { namespace: "demo", owner_name: "demo-x", owner_kind: "Job" })).toBe(false);
  });

  it("renders each backup CronJob's alerts on the cluster's Prometheus, with thresholds from the schedule per environment", () => {
    const read = (env: string) =>
      parse(
        readFileSync(join(REPO, "rendered", env, "us-west-2/ossa/prometheusrule-ossa-cluster-rules.yaml"), "utf8"),
      ) as Parsed;
    const production = read("production");
    expect(production.metadata.labels[EVALUATOR_LABEL]).toBeUndefined();
    const rules = (doc: Parsed) =>
      new Map<string, Parsed>(
        doc.spec.groups.flatMap((g: Parsed) => g.rules.map((r: Parsed) => [r.alert, r] as [string, Parsed])),
      );
    const prod = rules(production);
    // Daily at 02:00: 1.5 days, plus an hour to start and an hour to run (38h); dev allows two days (50h).
    expect(prod.get("OssaRedisBackupMissed").expr).toContain(
      'time() - max(kube_cronjob_status_last_successful_time{namespace="ossa-platform",cronjob="ossa-redis-backup"}) > 136800',
    );
    expect(prod.get("OssaRedisBackupMissed").annotations.runbook_url).toBe(
      "https://runbooks.example.com/ossa/OssaRedisBackupMissed",
    );
    expect(rules(read("dev")).get("OssaRedisBackupMissed").expr).toContain("> 180000");
    expect([...prod.keys()].filter((a) => /Backup|Restore|Snapshots/.test(a)).sort()).toEqual([
      "OssaQdrantBackupFailed",
      "OssaQdrantBackupMissed",
      "OssaQdrantRestoreFailed",
      "OssaRedisBackupFailed",
      "OssaRedisBackupMissed",
      "OssaRedisRestoreFailed",
      "OssaVolumeSnapshotsMissed",
    ]);
  });
});
