/**
 * One global hostname per public service, routed between regions by latency and health on Route 53. Where the
 * environment declares a `globalDomain`, each public host prefix is served under its region name
 * (`api.us-west-2.example.com`, unchanged) and its global name (`api.example.com`). external-dns (cluster layer)
 * publishes only the region names: an Ingress names them in external-dns's `hostname` annotation and reads no host
 * from its rules (`ingress-hostname-source: annotation-only`); the Istio Gateway of the global names carries
 * `GLOBAL_DNS_ANNOTATION`, which the cluster's external-dns filters out (`annotation-filter`). The global names are
 * the ACK Route 53 controller's: per region, a CNAME to the region name, latency-routed and tied to a health check
 * of that region name (`latency-records.ts`), so a region whose service fails its check drops out of the global name.
 */
import type { ResolvedTarget } from "../model/target.ts";
import { EXTERNAL_DNS_HOSTNAME } from "./exposure.ts";
import { EXTERNAL_DNS_ANNOTATION_FILTER, GLOBAL_DNS_ANNOTATION, GLOBAL_DNS_PUBLISHER } from "../describe/wiring.ts";

/** external-dns's switch of where an Ingress's names come from. */
export const INGRESS_HOSTNAME_SOURCE = "external-dns.alpha.kubernetes.io/ingress-hostname-source";

export { GLOBAL_DNS_ANNOTATION, GLOBAL_DNS_PUBLISHER, EXTERNAL_DNS_ANNOTATION_FILTER };

/** The region's name of a public host prefix. */
export function regionHost(target: ResolvedTarget, prefix: string): string {
  return `${prefix}.${target.cluster.ingressDomain}`;
}

/** The global name of a public host prefix, where the environment has a global domain. */
export function globalHost(target: ResolvedTarget, prefix: string): string | undefined {
  return target.globalDomain ? `${prefix}.${target.globalDomain}` : undefined;
}

/** The hosts of a public host prefix: the region's name, then the global name where the environment has one. */
export function hostsOf(target: ResolvedTarget, prefix: string): string[] {
  const global = globalHost(target, prefix);
  return global ? [regionHost(target, prefix), global] : [regionHost(target, prefix)];
}

/**
 * The external-dns annotations of an Ingress serving `prefixes`: where the environment has a global domain, the
 * region names only, from the annotation (the global names in its rules are the ACK controller's); none otherwise.
 */
export function regionNamesOnly(target: ResolvedTarget, prefixes: string[]): Record<string, string> {
  if (!target.globalDomain) return {};
  return {
    [INGRESS_HOSTNAME_SOURCE]: "annotation-only",
    [EXTERNAL_DNS_HOSTNAME]: [...new Set(prefixes.map((p) => regionHost(target, p)))].join(","),
  };
}
