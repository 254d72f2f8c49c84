/**
 * One global hostname per public service, routed between regions by latency through external-dns (installed by
 * the cluster layer) on Route 53. Where the environment declares a `globalDomain`, each public host prefix is
 * served under its region name (`api.us-west-2.example.com`, unchanged) and its global name (`api.example.com`);
 * the Ingress or Istio Gateway carries external-dns's AWS annotations, so each region publishes its own latency
 * record for the global name (set identifier and latency region: the region's name). The records are aliases of
 * the region's load balancer with target health evaluated, so a region whose load balancer has no healthy target
 * drops out of the global name.
 */
import type { ResolvedTarget } from "../model/target.ts";

/** The hosts of a public host prefix: the region's name, then the global name where the environment has one. */
export function hostsOf(target: ResolvedTarget, prefix: string): string[] {
  const regional = `${prefix}.${target.cluster.ingressDomain}`;
  return target.globalDomain ? [regional, `${prefix}.${target.globalDomain}`] : [regional];
}

/** The external-dns annotations of latency-based, health-evaluated records for this region, or none. */
export function latencyRouting(target: ResolvedTarget): Record<string, string> {
  if (!target.globalDomain) return {};
  return {
    "external-dns.alpha.kubernetes.io/set-identifier": target.region,
    "external-dns.alpha.kubernetes.io/aws-region": target.region,
    "external-dns.alpha.kubernetes.io/aws-evaluate-target-health": "true",
  };
}
