/**
 * The dns-sources rule: an object that asks external-dns for names is of a kind the cluster's external-dns reads.
 * (The cold review found context-foundation's Istio Gateway annotated for names its external-dns never read.)
 */
import { describe, expect, it } from "vitest";
import { dnsSourcesRule } from "../compiler/validate/rules/dns-sources.ts";
import type { KubeObject } from "../compiler/model/object.ts";
import type { ManagedCapabilities } from "../compiler/describe/addon-capabilities.ts";
import type { ResolvedTarget } from "../compiler/model/target.ts";
import { findings, rendered, ruleTarget } from "./helpers/rule.ts";

const HOSTNAME = "external-dns.alpha.kubernetes.io/hostname";
const gateway: KubeObject = {
  apiVersion: "networking.istio.io/v1",
  kind: "Gateway",
  metadata: { name: "api", namespace: "demo", annotations: { [HOSTNAME]: "api.example.com" } },
};
const endpoint: KubeObject = {
  apiVersion: "externaldns.k8s.io/v1alpha1",
  kind: "DNSEndpoint",
  metadata: { name: "global", namespace: "demo" },
  spec: { endpoints: [] },
};
const target = (dnsSources: string[] | undefined, contract: string[] = []): ResolvedTarget =>
  ruleTarget({
    cluster: { capabilities: { provided: contract } } as unknown as ResolvedTarget["cluster"],
    managedCapabilities: dnsSources
      ? [{ from: "external-dns", provided: ["external-dns"], dnsSources } as ManagedCapabilities]
      : [],
  });

describe("dns-sources", () => {
  it("passes an annotated Gateway and a DNSEndpoint where external-dns reads Istio Gateways and its CRD", () => {
    expect(findings(dnsSourcesRule, rendered([gateway, endpoint]), target(["crd", "istio-gateway"]))).toEqual([]);
  });

  it("refuses an annotated Gateway where external-dns reads no Gateways, naming the source to add", () => {
    expect(findings(dnsSourcesRule, rendered([gateway]), target(["ingress", "service", "crd"]))).toEqual([
      "Gateway/api /metadata/annotations/external-dns.alpha.kubernetes.io~1hostname: asks external-dns for DNS records, but the cluster's external-dns does not read kind Gateway (source istio-gateway); it reads crd, ingress, service: the names never resolve",
    ]);
  });

  it("refuses a DNSEndpoint where no external-dns runs, and judges nothing where one runs outside Manifold", () => {
    expect(findings(dnsSourcesRule, rendered([endpoint]), target(undefined))).toEqual([
      "DNSEndpoint/global /spec: asks external-dns for DNS records, but the cluster's external-dns does not read kind DNSEndpoint (source crd); it reads none: no external-dns runs on this cluster: the names never resolve",
    ]);
    expect(findings(dnsSourcesRule, rendered([gateway, endpoint]), target(undefined, ["external-dns"]))).toEqual([]);
  });
});

describe("dns-sources and the annotation filter", () => {
  it("refuses an object that asks for names but carries the mark the external-dns filter leaves out", () => {
    const marked: KubeObject = {
      ...gateway,
      metadata: {
        ...gateway.metadata,
        annotations: { [HOSTNAME]: "api.example.com", "manifold.dev/dns-records": "ack-route53" },
      },
    };
    const filtered = ruleTarget({
      cluster: { capabilities: { provided: [] } } as unknown as ResolvedTarget["cluster"],
      managedCapabilities: [
        {
          from: "external-dns",
          provided: ["external-dns"],
          dnsSources: ["istio-gateway"],
          dnsAnnotationFilter: "manifold.dev/dns-records notin (ack-route53)",
        } as ManagedCapabilities,
      ],
    });
    expect(findings(dnsSourcesRule, rendered([gateway]), filtered)).toEqual([]);
    expect(findings(dnsSourcesRule, rendered([marked]), filtered)).toEqual([
      'Gateway/api /metadata/annotations/external-dns.alpha.kubernetes.io~1hostname: asks external-dns for DNS records, but the cluster\'s external-dns leaves it out (annotation filter "manifold.dev/dns-records notin (ack-route53)"): the names never resolve',
    ]);
  });
});
