import { describe, expect, it } from "vitest";
import { quotaHeadroomRule } from "../compiler/validate/rules/quota-headroom.ts";
import { surgePods } from "../compiler/blocks/surge.ts";
import type { KubeObject } from "../compiler/model/object.ts";
import { findings, rendered } from "./helpers/rule.ts";

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

const CASES: { name: string; objects: KubeObject[]; expect: string[] }[] = [
  {
    name: "room for the largest surge (4 + 2 pods, a Job, and 25% of 4 rounded up)",
    objects: [deployment("api", 4), deployment("web", 2, 1), job, quota({ pods: "8", "requests.cpu": "800m" })],
    expect: [],
  },
  {
    name: "the exact max-scale sum",
    objects: [deployment("api", 4), deployment("web", 2, 1), job, quota({ pods: "7", "requests.memory": "896Mi" })],
    expect: [
      "ResourceQuota/demo /spec/hard/pods: pods 7 leaves no room for a rolling update: the workloads at full scale and the Jobs need 7, the largest surge 1 more (8 in all)",
      "ResourceQuota/demo /spec/hard/requests.memory: requests.memory 896Mi leaves no room for a rolling update: the workloads at full scale and the Jobs need 896Mi, the largest surge 128Mi more (1024Mi in all)",
    ],
  },
  { name: "no surge, no headroom needed", objects: [deployment("api", 2, 0), quota({ pods: "2" })], expect: [] },
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
