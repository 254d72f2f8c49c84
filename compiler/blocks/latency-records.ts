/**
 * The health-checked latency records of the global names, as custom resources of the ACK Route 53 controller
 * (cluster layer), in the platform's folder: per public host prefix, a `HealthCheck` of the region's name (HTTPS with
 * SNI on 443, the readiness path of a component behind it, every 30 s, unhealthy after 3 failures) and a `RecordSet`
 * of the global name in the environment's hosted zone: a CNAME to the region's name (which external-dns publishes),
 * latency-routed (set identifier and latency region: the region) and tied to that health check. Route 53 answers
 * the global name with the lowest-latency region whose check passes; a region failing its check drops out.
 */
import { ManifoldError } from "../errors.ts";
import type { KubeObject, RenderedObject } from "../model/object.ts";
import type { ResolvedTarget } from "../model/target.ts";
import { globalHost, regionHost } from "./global-dns.ts";
import { platformLabels } from "./naming.ts";
import { healthPath, publicHosts } from "./public-hosts.ts";

/** The API version of the ACK Route 53 controller's kinds. */
export const ROUTE53_API = "route53.services.k8s.aws/v1alpha1";
/** Seconds between checks from each Route 53 checker (30 is the standard interval; 10 costs more). */
export const HEALTH_CHECK_INTERVAL = 30;
/** Consecutive failed checks before a region is unhealthy (Route 53's default). */
export const HEALTH_CHECK_FAILURES = 3;
/** Seconds a resolver keeps the global name's answer: how fast a region that failed leaves its clients. */
export const GLOBAL_RECORD_TTL = 60;

/** The name of the HealthCheck and RecordSet of a public host prefix (`api.multi-agent` → `global-api-multi-agent`). */
export function latencyRecordName(prefix: string): string {
  return `global-${prefix.replaceAll(".", "-")}`;
}

function healthCheck(target: ResolvedTarget, prefix: string, path: string, component: string): KubeObject {
  const host = regionHost(target, prefix);
  return {
    apiVersion: ROUTE53_API,
    kind: "HealthCheck",
    metadata: {
      name: latencyRecordName(prefix),
      namespace: target.namespace,
      labels: platformLabels(target, "global-dns"),
    },
    spec: {
      healthCheckConfig: {
        type: "HTTPS",
        fullyQualifiedDomainName: host,
        port: 443,
        enableSNI: true,
        resourcePath: path,
        requestInterval: HEALTH_CHECK_INTERVAL,
        failureThreshold: HEALTH_CHECK_FAILURES,
        measureLatency: true,
      },
      tags: [
        { key: "Name", value: host },
        { key: "manifold/platform", value: target.platform },
        { key: "manifold/environment", value: target.environment },
        { key: "manifold/region", value: target.region },
        { key: "manifold/component", value: component },
      ],
    },
  };
}

function recordSet(target: ResolvedTarget, prefix: string, global: string, zone: string): KubeObject {
  return {
    apiVersion: ROUTE53_API,
    kind: "RecordSet",
    metadata: {
      name: latencyRecordName(prefix),
      namespace: target.namespace,
      labels: platformLabels(target, "global-dns"),
    },
    spec: {
      // Fully qualified (the trailing dot): the controller takes it as is rather than appending the zone's domain.
      name: `${global}.`,
      hostedZoneID: zone,
      recordType: "CNAME",
      ttl: GLOBAL_RECORD_TTL,
      resourceRecords: [{ value: regionHost(target, prefix) }],
      setIdentifier: target.region,
      region: target.region,
      healthCheckRef: { from: { name: latencyRecordName(prefix) } },
    },
  };
}

/** The HealthCheck and RecordSet of every public host of a target whose environment has a global domain. */
export function buildLatencyRecords(target: ResolvedTarget): RenderedObject[] {
  if (!target.globalDomain) return [];
  const zone = target.globalZoneId;
  if (!zone)
    throw new ManifoldError(`has globalDomain "${target.globalDomain}" but no globalZoneId`, {
      file: target.sources[1],
      field: "globalZoneId",
      target: target.id,
    });
  return publicHosts(target).flatMap((host) => {
    const { path, component } = healthPath(target, host);
    return [
      { object: healthCheck(target, host.prefix, path, component), band: "edge" as const },
      { object: recordSet(target, host.prefix, globalHost(target, host.prefix)!, zone), band: "edge" as const },
    ];
  });
}
