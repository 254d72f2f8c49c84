import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { quotaHeadroomRule } from "../compiler/validate/rules/quota-headroom.ts";
import { surgePods } from "../compiler/blocks/surge.ts";
import type { KubeObject } from "../compiler/model/object.ts";
import { findings, rendered, ruleTarget } from "./helpers/rule.ts";
import type { Parsed } from "./helpers/parsed.ts";
import { REPO } from "./helpers/project.ts";

const resources = { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "200m", memory: "256Mi" } };
const deployment = (name: string, replicas: number, maxSurge?: number | string): KubeObject => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name, namespace: "demo" },
  spec: {
    replicas,
    strategy: {
      type: "RollingUpdate",
      rollingUpdate: maxSurge === undefined ? undefined : { maxSurge, maxUnavailable: 0 },
    },
    template: { spec: { containers: [{ name, resources }] } },
  },
});
const job: KubeObject = {
  apiVersion: "batch/v1",
  kind: "Job",
  metadata: { name: "migrate", namespace: "demo" },
  spec: { template: { spec: { containers: [{ name: "migrate", resources }] } } },
};
const quota = (hard: Record<string, string>): KubeObject => ({
  apiVersion: "v1",
  kind: "ResourceQuota",
  metadata: { name: "demo", namespace: "demo" },
  spec: { hard },
});

const cronJob = (name: string, concurrencyPolicy: string): KubeObject => ({
  apiVersion: "batch/v1",
  kind: "CronJob",
  metadata: { name, namespace: "demo" },
  spec: { concurrencyPolicy, jobTemplate: { spec: { template: { spec: { containers: [{ name, resources }] } } } } },
});
const cnpg = (instances: number, size: string, wal?: string): KubeObject => ({
  apiVersion: "postgresql.cnpg.io/v1",
  kind: "Cluster",
  metadata: { name: "db", namespace: "demo" },
  spec: { instances, resources, storage: { size }, ...(wal ? { walStorage: { size: wal } } : {}) },
});
const claim = (name: string, storage: string): KubeObject => ({
  apiVersion: "v1",
  kind: "PersistentVolumeClaim",
  metadata: { name, namespace: "demo" },
  spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage } } },
});

/** A Job whose pod has two containers and an init container that asks for more CPU, less memory, than they do. */
const initJob: KubeObject = {
  apiVersion: "batch/v1",
  kind: "Job",
  metadata: { name: "seed", namespace: "demo" },
  spec: {
    template: {
      spec: {
        initContainers: [
          { name: "small", resources: { requests: { cpu: "50m", memory: "64Mi" } } },
          { name: "wait", resources: { requests: { cpu: "500m", memory: "64Mi" } } },
        ],
        containers: [
          { name: "a", resources },
          { name: "b", resources },
        ],
      },
    },
  },
};

const CASES: { name: string; objects: KubeObject[]; expect: string[] }[] = [
  {
    name: "a pod's need is its containers' sum or its largest (run-to-completion) init container, per resource",
    objects: [initJob, quota({ "requests.cpu": "499m", "requests.memory": "255Mi" })],
    expect: [
      "ResourceQuota/demo /spec/hard/requests.cpu: requests.cpu 499m refuses pods that can run at once: the workloads at full scale, the Jobs and CronJobs need 500m, every rolling-update surge 0m more (500m in all)",
      "ResourceQuota/demo /spec/hard/requests.memory: requests.memory 255Mi refuses pods that can run at once: the workloads at full scale, the Jobs and CronJobs need 256Mi, every rolling-update surge 0Mi more (256Mi in all)",
    ],
  },
  {
    name: "room for the largest init container and for the containers' sum",
    objects: [initJob, quota({ "requests.cpu": "500m", "requests.memory": "256Mi" })],
    expect: [],
  },
  {
    name: "room for every surge (4 + 2 pods, a Job, 25% of 4 rounded up and 1)",
    objects: [deployment("api", 4), deployment("web", 2, 1), job, quota({ pods: "9", "requests.cpu": "900m" })],
    expect: [],
  },
  {
    name: "room for the largest surge only",
    objects: [deployment("api", 4), deployment("web", 2, 1), job, quota({ pods: "8", "requests.memory": "1024Mi" })],
    expect: [
      "ResourceQuota/demo /spec/hard/pods: pods 8 refuses pods that can run at once: the workloads at full scale, the Jobs and CronJobs need 7, every rolling-update surge 2 more (9 in all)",
      "ResourceQuota/demo /spec/hard/requests.memory: requests.memory 1024Mi refuses pods that can run at once: the workloads at full scale, the Jobs and CronJobs need 896Mi, every rolling-update surge 256Mi more (1152Mi in all)",
    ],
  },
  { name: "no surge, no headroom needed", objects: [deployment("api", 2, 0), quota({ pods: "2" })], expect: [] },
  {
    name: "a CronJob's run (two with Allow) and a CloudNativePG instance's join pod",
    objects: [cronJob("backup", "Forbid"), cronJob("report", "Allow"), cnpg(3, "10Gi"), quota({ pods: "6" })],
    expect: [
      "ResourceQuota/demo /spec/hard/pods: pods 6 refuses pods that can run at once: the workloads at full scale, the Jobs and CronJobs need 6, every rolling-update surge 1 more (7 in all)",
    ],
  },
  {
    name: "room for the CronJobs' runs and the join pod",
    objects: [cronJob("backup", "Forbid"), cronJob("report", "Allow"), cnpg(3, "10Gi"), quota({ pods: "7" })],
    expect: [],
  },
  {
    name: "claims summed exactly: no spare claim, no room to replace the largest",
    objects: [
      cnpg(3, "10Gi", "2Gi"),
      claim("archive", "50Gi"),
      quota({ "requests.storage": "86Gi", persistentvolumeclaims: "7" }),
    ],
    expect: [
      "ResourceQuota/demo /spec/hard/requests.storage: requests.storage 86Gi leaves no room to replace a volume: the claims take 86Gi, a replacement beside them 50Gi more (136Gi in all)",
      "ResourceQuota/demo /spec/hard/persistentvolumeclaims: persistentvolumeclaims 7 leaves no room to replace a volume: 7 claims exist, and a replacement (CloudNativePG re-creating an instance on a fresh volume) needs 2 more (9 in all)",
    ],
  },
  {
    name: "room for the largest claim and a CloudNativePG instance's data and WAL volumes",
    objects: [
      cnpg(3, "10Gi", "2Gi"),
      claim("archive", "50Gi"),
      quota({ "requests.storage": "136Gi", persistentvolumeclaims: "9" }),
    ],
    expect: [],
  },
];

describe("quota-headroom", () => {
  it.each(CASES)("$name", (c) => expect(findings(quotaHeadroomRule, rendered(c.objects))).toEqual(c.expect));

  it.each([
    [undefined, 4, 1],
    ["25%", 10, 3],
    [2, 10, 2],
    ["100%", 3, 3],
  ] as const)("maxSurge %s of %i pods surges by %i", (maxSurge, replicas, pods) =>
    expect(surgePods(maxSurge, replicas)).toBe(pods),
  );
});

describe("quota-headroom on the rendered ossa and context-foundation quotas", () => {
  const folder = (platform: string) => join(REPO, "rendered/production/us-west-2", platform);
  const objectsOf = (platform: string): KubeObject[] =>
    readdirSync(folder(platform))
      .filter((f) => f.endsWith(".yaml"))
      .map((f) => parse(readFileSync(join(folder(platform), f), "utf8")) as KubeObject);
  const target = (platform: string, namespace: string) => ruleTarget({ platform, namespace });
  const withHard = (objects: KubeObject[], hard: Record<string, string>) =>
    objects.map((o) =>
      o.kind === "ResourceQuota" ? { ...o, spec: { hard: { ...(o.spec as Parsed).hard, ...hard } } } : o,
    );

  it("admits what the quota block renders", () => {
    expect(findings(quotaHeadroomRule, rendered(objectsOf("ossa")), target("ossa", "ossa-platform"))).toEqual([]);
    expect(
      findings(quotaHeadroomRule, rendered(objectsOf("context-foundation")), target("cf", "context-foundation")),
    ).toEqual([]);
  });

  it("finds ossa's former 620Gi and 13 claims, exactly the sum of the claims", () =>
    expect(
      findings(
        quotaHeadroomRule,
        rendered(withHard(objectsOf("ossa"), { "requests.storage": "620Gi", persistentvolumeclaims: "13" })),
        target("ossa", "ossa-platform"),
      ),
    ).toEqual([
      "ResourceQuota/ossa /spec/hard/requests.storage: requests.storage 620Gi leaves no room to replace a volume: the claims take 620Gi, a replacement beside them 100Gi more (720Gi in all)",
      "ResourceQuota/ossa /spec/hard/persistentvolumeclaims: persistentvolumeclaims 13 leaves no room to replace a volume: 13 claims exist, and a replacement (CloudNativePG re-creating an instance on a fresh volume) needs 1 more (14 in all)",
    ]));

  // 31 = context-api's HPA maximum 20 + its surge 1, Neo4j 3, Qdrant 3, and one run of each backup and restore CronJob.
  it("finds a context-foundation quota without room for the backup and restore CronJobs' runs", () =>
    expect(
      findings(
        quotaHeadroomRule,
        rendered(withHard(objectsOf("context-foundation"), { pods: "27" })),
        target("cf", "context-foundation"),
      ),
    ).toEqual([
      "ResourceQuota/context-foundation /spec/hard/pods: pods 27 refuses pods that can run at once: the workloads at full scale, the Jobs and CronJobs need 30, every rolling-update surge 1 more (31 in all)",
    ]));
});
