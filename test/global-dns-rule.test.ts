/**
 * The global-dns rule: each global name a target serves has one health-checked latency record for its region, whose
 * CNAME points at the region name external-dns publishes and whose health check checks that name; external-dns
 * publishes no global name (modelled from its sources and annotation filter).
 */
import { describe, expect, it } from "vitest";
import { globalDnsRule } from "../compiler/validate/rules/global-dns.ts";
import { matchesAnnotationFilter } from "../compiler/kube/annotation-filter.ts";
import type { KubeObject } from "../compiler/model/object.ts";
import type { ManagedCapabilities } from "../compiler/describe/addon-capabilities.ts";
import type { ResolvedTarget } from "../compiler/model/target.ts";
import { findings, rendered, ruleTarget } from "./helpers/rule.ts";

const API = "route53.services.k8s.aws/v1alpha1";
const FILTER = "manifold.dev/dns-records notin (ack-route53)";
const REGION_HOST = "api.us-west-2.example.com";

const ingress = (annotations: Record<string, string>): KubeObject => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "Ingress",
  metadata: { name: "api", namespace: "demo", annotations },
  spec: {
    rules: [{ host: REGION_HOST }, { host: "api.example.com" }],
    tls: [{ hosts: [REGION_HOST, "api.example.com"] }],
  },
});
const regionOnly = ingress({
  "external-dns.alpha.kubernetes.io/ingress-hostname-source": "annotation-only",
  "external-dns.alpha.kubernetes.io/hostname": REGION_HOST,
});
const check = (fqdn = REGION_HOST): KubeObject => ({
  apiVersion: API,
  kind: "HealthCheck",
  metadata: { name: "global-api", namespace: "demo" },
  spec: { healthCheckConfig: { type: "HTTPS", fullyQualifiedDomainName: fqdn, port: 443, resourcePath: "/ready" } },
});
const record = (spec: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: API,
  kind: "RecordSet",
  metadata: { name: "global-api", namespace: "demo" },
  spec: {
    name: "api.example.com.",
    hostedZoneID: "Z0123456789EXAMPLE0AB",
    recordType: "CNAME",
    ttl: 60,
    resourceRecords: [{ value: REGION_HOST }],
    setIdentifier: "us-west-2",
    region: "us-west-2",
    healthCheckRef: { from: { name: "global-api" } },
    ...spec,
  },
});

const target = (managed = true, fields: Partial<ResolvedTarget> = {}): ResolvedTarget =>
  ruleTarget({
    globalDomain: "example.com",
    globalZoneId: "Z0123456789EXAMPLE0AB",
    cluster: {
      ingressDomain: "us-west-2.example.com",
      capabilities: { provided: [] },
    } as unknown as ResolvedTarget["cluster"],
    managedCapabilities: managed
      ? [
          {
            from: "external-dns",
            provided: ["external-dns"],
            dnsSources: ["ingress", "service", "crd", "istio-gateway"],
            dnsAnnotationFilter: FILTER,
          } as ManagedCapabilities,
        ]
      : [],
    ...fields,
  });

describe("global-dns", () => {
  it("passes a region-only Ingress with its health-checked latency record", () => {
    expect(findings(globalDnsRule, rendered([regionOnly, check(), record()]), target())).toEqual([]);
  });

  it("judges nothing where the environment has no global domain", () => {
    expect(findings(globalDnsRule, rendered([ingress({})]), target(true, { globalDomain: undefined }))).toEqual([]);
  });

  it("refuses an Ingress whose global name external-dns publishes (rule and TLS hosts read)", () => {
    expect(findings(globalDnsRule, rendered([ingress({}), check(), record()]), target())).toEqual([
      "Ingress/api /metadata/annotations: external-dns publishes the global name api.example.com: its record cannot coexist with the health-checked latency CNAME, and it keeps a failing region in the name",
    ]);
  });

  it("passes a global Gateway that the annotation filter leaves out, and refuses it without the mark", () => {
    const gateway = (annotations: Record<string, string>): KubeObject => ({
      apiVersion: "networking.istio.io/v1beta1",
      kind: "Gateway",
      metadata: { name: "gw-global", namespace: "demo", annotations },
      spec: { servers: [{ hosts: ["api.example.com"] }] },
    });
    const marked = gateway({ "manifold.dev/dns-records": "ack-route53" });
    expect(findings(globalDnsRule, rendered([regionOnly, marked, check(), record()]), target())).toEqual([]);
    expect(findings(globalDnsRule, rendered([regionOnly, gateway({}), check(), record()]), target())).toEqual([
      "Gateway/gw-global /metadata/annotations: external-dns publishes the global name api.example.com: its record cannot coexist with the health-checked latency CNAME, and it keeps a failing region in the name",
    ]);
  });

  it("refuses a served global name with no record, and a record of a name nothing serves", () => {
    expect(findings(globalDnsRule, rendered([regionOnly, check()]), target())).toEqual([
      "Ingress/api /spec: serves the global name api.example.com, which has no RecordSet in this region: the region never joins the global name",
    ]);
    const stray = record({ name: "web.example.com." });
    expect(findings(globalDnsRule, rendered([regionOnly, check(), record(), stray]), target())).toEqual([
      "RecordSet/global-api /spec/name: is a record of web.example.com, which no Ingress or Gateway of this target serves: its clients get the ingress's 404",
    ]);
  });

  it("refuses a record with the wrong region, type, zone or target, or without its region's health check", () => {
    const bad = record({
      setIdentifier: "eu-west-1",
      recordType: "A",
      hostedZoneID: "ZOTHER",
      resourceRecords: [{ value: "api.eu-west-1.example.com" }],
      healthCheckRef: { from: { name: "missing" } },
    });
    expect(findings(globalDnsRule, rendered([regionOnly, check(), bad]), target())).toEqual([
      "RecordSet/global-api /spec/setIdentifier: global name api.example.com: has setIdentifier eu-west-1 and latency region us-west-2; both must be us-west-2",
      "RecordSet/global-api /spec/recordType: global name api.example.com: is a A record, not a CNAME to the region's name",
      "RecordSet/global-api /spec/hostedZoneID: global name api.example.com: is in zone ZOTHER, not the environment's Z0123456789EXAMPLE0AB",
      "RecordSet/global-api /spec/resourceRecords: global name api.example.com: points at api.eu-west-1.example.com, not the region's name api.us-west-2.example.com",
      "RecordSet/global-api /spec/healthCheckRef: global name api.example.com: names no HealthCheck in this folder (missing): a failing region stays in the global name",
    ]);
    expect(findings(globalDnsRule, rendered([regionOnly, check("api.example.com"), record()]), target())).toEqual([
      "RecordSet/global-api /spec/healthCheckRef/from/name: global name api.example.com: names HealthCheck global-api, which checks api.example.com, not api.us-west-2.example.com",
    ]);
  });

  it("refuses a CNAME to a region name external-dns does not publish, unless external-dns runs outside Manifold", () => {
    const silent = ingress({ "external-dns.alpha.kubernetes.io/ingress-hostname-source": "annotation-only" });
    expect(findings(globalDnsRule, rendered([silent, check(), record()]), target())).toEqual([
      "RecordSet/global-api /spec/resourceRecords/0/value: global name api.example.com: points at api.us-west-2.example.com, which external-dns does not publish: the CNAME leads nowhere",
    ]);
    expect(findings(globalDnsRule, rendered([silent, check(), record()]), target(false))).toEqual([]);
  });
});

describe("external-dns's annotation filter (a label selector over annotations)", () => {
  it("matches like Kubernetes selectors: notin and !key pass objects without the key", () => {
    expect(matchesAnnotationFilter(FILTER, {})).toBe(true);
    expect(matchesAnnotationFilter(FILTER, { "manifold.dev/dns-records": "ack-route53" })).toBe(false);
    expect(matchesAnnotationFilter(FILTER, { "manifold.dev/dns-records": "other" })).toBe(true);
    expect(matchesAnnotationFilter("a in (x, y),b=1", { a: "y", b: "1" })).toBe(true);
    expect(matchesAnnotationFilter("a in (x, y),b=1", { a: "y", b: "2" })).toBe(false);
    expect(matchesAnnotationFilter("!a", { a: "" })).toBe(false);
    expect(matchesAnnotationFilter("a!=x", {})).toBe(true);
    expect(matchesAnnotationFilter(undefined, { a: "x" })).toBe(true);
  });
});
