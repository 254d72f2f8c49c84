/**
 * Health-checked global names (issue 18, routing between regions): per production region and public host, an ACK
 * HealthCheck of the region's name and a latency RecordSet of the global name tied to it; external-dns publishes
 * the region names only. Read from a compile of the repository's platforms.
 */
import { beforeAll, describe, expect, it } from "vitest";
import alfred from "../platforms/alfred.ts";
import contextFoundation from "../platforms/context-foundation.ts";
import multiAgent from "../platforms/multi-agent.ts";
import ossa from "../platforms/ossa.ts";
import type { CompileResult } from "../compiler/compile.ts";
import { checkProject } from "../compiler/load.ts";
import { ManifoldError } from "../compiler/errors.ts";
import { compilePlatforms, objectIn, objectsOf, repoProject } from "./helpers/memory.ts";
import type { Parsed } from "./helpers/parsed.ts";
import { externalDnsNames } from "../compiler/kube/external-dns.ts";
import { EXTERNAL_DNS_ANNOTATION_FILTER } from "../compiler/blocks/global-dns.ts";

let result: CompileResult;
beforeAll(async () => {
  result = await compilePlatforms([alfred, contextFoundation, multiAgent, ossa]);
});

const REGIONS = ["us-west-2", "us-east-1", "eu-west-1"];
const ZONE = "Z0123456789EXAMPLE0AB";
// platform, host prefix, the path Route 53 checks (the readiness probe of the component behind the host)
const HOSTS: [string, string, string][] = [
  ["alfred", "api.alfred-platform", "/health"],
  ["alfred", "ui.alfred-platform", "/_stcore/health"],
  ["alfred", "alfred-grafana", "/api/health"],
  ["context-foundation", "context-api", "/health"],
  ["multi-agent", "multi-agent", "/"],
  ["multi-agent", "api.multi-agent", "/health"],
  ["ossa", "ossa-api", "/ready"],
  ["ossa", "ossa-monitoring", "/api/health"],
];

describe("global names: one health-checked latency record per region and public host", () => {
  for (const region of REGIONS)
    for (const [platform, prefix, path] of HOSTS) {
      const id = `${platform}/production/${region}`;
      const name = `global-${prefix.replaceAll(".", "-")}`;
      const regional = `${prefix}.${region}.example.com`;

      it(`${id}: ${prefix}.example.com is a CNAME to ${regional}, latency-routed, tied to its HTTPS check of ${path}`, () => {
        const check = objectIn(result, id, "HealthCheck", name);
        expect(check.apiVersion).toBe("route53.services.k8s.aws/v1alpha1");
        expect(check.spec.healthCheckConfig).toEqual({
          type: "HTTPS",
          fullyQualifiedDomainName: regional,
          port: 443,
          enableSNI: true,
          resourcePath: path,
          requestInterval: 30,
          failureThreshold: 3,
          measureLatency: true,
        });
        expect(check.spec.tags).toEqual(
          expect.arrayContaining([
            { key: "manifold/platform", value: platform },
            { key: "manifold/environment", value: "production" },
            { key: "manifold/region", value: region },
          ]),
        );
        const record = objectIn(result, id, "RecordSet", name);
        expect(record.spec).toEqual({
          name: `${prefix}.example.com.`,
          hostedZoneID: ZONE,
          recordType: "CNAME",
          ttl: 60,
          resourceRecords: [{ value: regional }],
          setIdentifier: region,
          region,
          healthCheckRef: { from: { name } },
        });
        expect(record.metadata.namespace).toBe(check.metadata.namespace);
      });
    }

  it("the checked path reaches the component through the host's routes (multi-agent: / goes to the frontend)", () => {
    const check = objectIn(result, "multi-agent/production/us-west-2", "HealthCheck", "global-multi-agent");
    expect(check.spec.tags).toContainEqual({ key: "manifold/component", value: "frontend" });
  });

  it("no other environment gets records, and no record is rendered for a host the target does not serve", () => {
    for (const t of result.targets) {
      const records = objectsOf(result, t.target.id, "RecordSet");
      if (t.target.environment !== "production") expect(records).toEqual([]);
      else
        expect(records.map((r: Parsed) => r.metadata.name).sort()).toEqual(
          HOSTS.filter(([p]) => p === t.target.platform)
            .map(([, prefix]) => `global-${prefix.replaceAll(".", "-")}`)
            .sort(),
        );
    }
  });
});

describe("external-dns publishes the region names only", () => {
  const sources = new Set(["ingress", "service", "crd", "istio-gateway"]);
  for (const region of REGIONS)
    it(`production/${region}: every region name and no global name, with the add-on's annotation filter`, () => {
      const names = new Set<string>();
      for (const t of result.targets.filter((x) => x.target.id.endsWith(`/production/${region}`)))
        for (const n of externalDnsNames(t.objects, sources, EXTERNAL_DNS_ANNOTATION_FILTER).keys()) names.add(n);
      for (const [, prefix] of HOSTS) {
        expect(names).toContain(`${prefix}.${region}.example.com`);
        expect(names).not.toContain(`${prefix}.example.com`);
      }
    });

  it("the Istio Gateway of the global name is filtered out of external-dns; the VirtualService serves both", () => {
    const id = "context-foundation/production/eu-west-1";
    const global = objectIn(result, id, "Gateway", "context-foundation-gateway-global");
    expect(global.metadata.annotations["manifold.dev/dns-records"]).toBe("ack-route53");
    expect(global.spec.servers.map((s: Parsed) => s.hosts)).toEqual([
      ["context-api.example.com"],
      ["context-api.example.com"],
    ]);
    expect(objectIn(result, id, "Gateway", "context-foundation-gateway").spec.servers[0].hosts).toEqual([
      "context-api.eu-west-1.example.com",
    ]);
    const vs = objectIn(result, id, "VirtualService", "context-foundation-gateway");
    expect(vs.spec.gateways).toEqual(["context-foundation-gateway", "context-foundation-gateway-global"]);
    expect(vs.spec.hosts).toEqual(["context-api.eu-west-1.example.com", "context-api.example.com"]);
  });

  it("staging keeps its Ingress hosts as external-dns reads them (no global domain, no annotations)", () => {
    const ingress = objectIn(result, "alfred/staging/us-west-2", "Ingress", "alfred-platform");
    expect(Object.keys(ingress.metadata.annotations).filter((k) => k.startsWith("external-dns"))).toEqual([]);
  });
});

describe("the environment names the Route 53 zone of its global domain", () => {
  it("refuses a globalDomain without globalZoneId, naming file, field and environment", async () => {
    const repo = await repoProject();
    const environments = repo.environments.map((e) =>
      e.file === "environments/production.ts"
        ? { ...e, value: { ...(e.value as object), globalZoneId: undefined } }
        : e,
    );
    let error: unknown;
    try {
      checkProject({ ...repo, environments });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ManifoldError);
    const all = [error as ManifoldError, ...(error as ManifoldError).others].map((e) => e.format());
    expect(all).toContain(
      'environments/production.ts: globalZoneId: declares globalDomain "example.com" but not the Route 53 hosted zone its latency records go in [target production]',
    );
  });
});
