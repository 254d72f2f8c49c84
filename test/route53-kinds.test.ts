/** Hand checks of the ACK Route 53 kinds (no model package): unknown fields, wrong types, values Route 53 refuses. */
import { describe, expect, it } from "vitest";
import { checkRoute53HealthCheck, checkRoute53RecordSet } from "../compiler/kube/route53.ts";
import type { KubeObject } from "../compiler/model/object.ts";

const hc = (config: Record<string, unknown>, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: "route53.services.k8s.aws/v1alpha1",
  kind: "HealthCheck",
  metadata: { name: "c" },
  spec: { healthCheckConfig: config, ...extra },
});
const rs = (spec: Record<string, unknown>): KubeObject => ({
  apiVersion: "route53.services.k8s.aws/v1alpha1",
  kind: "RecordSet",
  metadata: { name: "r" },
  spec,
});
const good = {
  type: "HTTPS",
  fullyQualifiedDomainName: "api.us-west-2.example.com",
  port: 443,
  enableSNI: true,
  resourcePath: "/ready",
  requestInterval: 30,
  failureThreshold: 3,
};
const record = {
  name: "api.example.com.",
  hostedZoneID: "Z1",
  recordType: "CNAME",
  ttl: 60,
  resourceRecords: [{ value: "api.us-west-2.example.com" }],
  setIdentifier: "us-west-2",
  region: "us-west-2",
  healthCheckRef: { from: { name: "c" } },
};

describe("ACK Route 53 HealthCheck", () => {
  it("passes an HTTPS check of a name with SNI", () => expect(checkRoute53HealthCheck(hc(good))).toEqual([]));

  it("names unknown fields and wrong types", () => {
    expect(checkRoute53HealthCheck(hc({ ...good, port: "443", path: "/x" }))).toEqual([
      { pointer: "/spec/healthCheckConfig/port", message: "must be an integer" },
      {
        pointer: "/spec/healthCheckConfig/path",
        message: expect.stringMatching(/^is not a field of the CRD; known: alarmIdentifier, /),
      },
    ]);
  });

  it("refuses an interval, a threshold and a path Route 53 refuses, and SNI on plain HTTP", () => {
    expect(
      checkRoute53HealthCheck(
        hc({ ...good, type: "HTTP", requestInterval: 15, failureThreshold: 11, resourcePath: "x" }),
      ),
    ).toEqual([
      { pointer: "/spec/healthCheckConfig/resourcePath", message: "must start with /" },
      { pointer: "/spec/healthCheckConfig/requestInterval", message: "must be 10 or 30 (seconds)" },
      { pointer: "/spec/healthCheckConfig/failureThreshold", message: "must be between 1 and 10" },
      { pointer: "/spec/healthCheckConfig/enableSNI", message: "applies to HTTPS checks only" },
    ]);
  });
});

describe("ACK Route 53 RecordSet", () => {
  it("passes a latency CNAME tied to a health check", () => expect(checkRoute53RecordSet(rs(record))).toEqual([]));

  it("refuses a record without a zone, a CNAME with two values, and a set identifier without a routing policy", () => {
    const { hostedZoneID: _zone, region: _region, ...rest } = record;
    expect(
      checkRoute53RecordSet(rs({ ...rest, resourceRecords: [{ value: "a.example.com" }, { value: "b.example.com" }] })),
    ).toEqual([
      { pointer: "/spec/hostedZoneID", message: "exactly one of hostedZoneID and hostedZoneRef must name the zone" },
      { pointer: "/spec/resourceRecords", message: "a CNAME has exactly one value" },
      {
        pointer: "/spec/setIdentifier",
        message: "a set identifier needs exactly one routing policy (region, weight, failover…)",
      },
    ]);
  });

  it("names a misspelled field and a record type Route 53 does not have", () => {
    expect(checkRoute53RecordSet(rs({ ...record, recordType: "ALIAS", healthCheckRefs: {} }))).toEqual([
      { pointer: "/spec/healthCheckRefs", message: expect.stringMatching(/^is not a field of the CRD; known: /) },
    ]);
    expect(checkRoute53RecordSet(rs({ ...record, recordType: "ALIAS" }))).toEqual([
      { pointer: "/spec/recordType", message: expect.stringMatching(/^must be one of A, AAAA, /) },
    ]);
  });
});
