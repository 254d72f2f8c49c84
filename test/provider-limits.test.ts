import { describe, expect, it } from "vitest";
import { providerLimitsRule } from "../compiler/validate/rules/provider-limits.ts";
import type { KubeObject } from "../compiler/model/object.ts";
import { findings, rendered } from "./helpers/rule.ts";

const sc = (name: string, parameters: Record<string, string>, provisioner = "ebs.csi.aws.com"): KubeObject => ({
  apiVersion: "storage.k8s.io/v1",
  kind: "StorageClass",
  metadata: { name },
  provisioner,
  parameters,
});
const pvc = (storageClassName: string, storage: string): KubeObject => ({
  apiVersion: "v1",
  kind: "PersistentVolumeClaim",
  metadata: { name: "claim" },
  spec: { storageClassName, resources: { requests: { storage } } },
});
const set = (storageClassName: string, storage: string): KubeObject => ({
  apiVersion: "apps/v1",
  kind: "StatefulSet",
  metadata: { name: "db" },
  spec: {
    volumeClaimTemplates: [
      { metadata: { name: "data" }, spec: { storageClassName, resources: { requests: { storage } } } },
    ],
  },
});
const fast = sc("fast", { type: "gp3", iops: "16000" });

const CASES: { name: string; objects: KubeObject[]; expect: string[] }[] = [
  { name: "16,000 gp3 IOPS on 32 GiB", objects: [fast, set("fast", "32Gi")], expect: [] },
  {
    name: "16,000 gp3 IOPS on 20 GiB",
    objects: [fast, set("fast", "20Gi")],
    expect: [
      "StatefulSet/db /spec/volumeClaimTemplates/0/spec/resources/requests/storage: cannot be provisioned on StorageClass fast: 16000 IOPS on 20 GiB exceeds the 500 IOPS per GiB of EBS gp3 (at most 10000; 16000 needs 32 GiB)",
    ],
  },
  {
    name: "a 50 GiB sc1 claim",
    objects: [sc("archive", { type: "sc1" }), pvc("archive", "50Gi")],
    expect: [
      "PersistentVolumeClaim/claim /spec/resources/requests/storage: cannot be provisioned on StorageClass archive: 50 GiB is outside the 125 GiB to 16384 GiB an EBS sc1 volume can have",
    ],
  },
  { name: "a 125 GiB sc1 claim", objects: [sc("archive", { type: "sc1" }), pvc("archive", "125Gi")], expect: [] },
  {
    name: "io1 above 50 IOPS per GiB",
    objects: [sc("io", { type: "io1", iopsPerGB: "60" }), pvc("io", "100Gi")],
    expect: [
      "PersistentVolumeClaim/claim /spec/resources/requests/storage: cannot be provisioned on StorageClass io: iopsPerGB 60 exceeds the 50 IOPS per GiB of EBS io1",
    ],
  },
  {
    name: "IOPS on an st1 class",
    objects: [sc("hdd", { type: "st1", iops: "500" }), pvc("hdd", "500Gi")],
    expect: [
      "PersistentVolumeClaim/claim /spec/resources/requests/storage: cannot be provisioned on StorageClass hdd: EBS st1 volumes take no provisioned IOPS",
    ],
  },
  {
    name: "gp3 IOPS below its 3,000 floor",
    objects: [sc("slow", { type: "gp3", iops: "1000" }), pvc("slow", "10Gi")],
    expect: [
      "PersistentVolumeClaim/claim /spec/resources/requests/storage: cannot be provisioned on StorageClass slow: 1000 IOPS is outside the 3000 to 16000 an EBS gp3 volume can have",
    ],
  },
  {
    name: "another provisioner is not judged",
    objects: [sc("x", { type: "sc1" }, "example.com/csi"), pvc("x", "1Gi")],
    expect: [],
  },
  { name: "a class this target does not render is not judged", objects: [pvc("elsewhere", "1Gi")], expect: [] },
];

describe("provider-limits", () => {
  it.each(CASES)("$name", (c) => expect(findings(providerLimitsRule, rendered(c.objects))).toEqual(c.expect));
});
