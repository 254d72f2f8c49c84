/**
 * Public host names: a host prefix (`api`, `api.multi-agent`) joined to the
 * region cluster's ingress domain, and the set of hosts a target publishes
 * through its platform ingresses and its components' `expose`.
 */
import type { ResolvedTarget } from "../model/target.ts";

/** The full public host name of a prefix in this target's region: `<prefix>.<ingressDomain>`. */
export function publicHost(target: ResolvedTarget, prefix: string): string {
  return `${prefix}.${target.cluster.ingressDomain}`;
}

/** Every host prefix the target publishes, sorted. */
export function declaredHosts(target: ResolvedTarget): string[] {
  const hosts = new Set<string>();
  for (const ingress of Object.values(target.ingresses ?? {})) for (const rule of ingress.rules) hosts.add(rule.host);
  for (const c of Object.values(target.components)) if (c.type === "service" && c.expose) hosts.add(c.expose.host);
  return [...hosts].sort();
}
