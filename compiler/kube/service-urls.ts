/** In-cluster URLs in configuration values: `scheme://host:port` whose host names a Service of a namespace. */

/**
 * `scheme://host:port` with a host that may name an in-cluster Service: `svc`, `svc.ns`, `svc.ns.svc[.cluster.local]`.
 */
const URL =
  /\b[a-z][a-z0-9+.-]*:\/\/(?:[^@/\s]*@)?([a-z0-9]([-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*):(\d+)/g;

/** The Service of `namespace` a URL host names, if it names one in that namespace. */
export function serviceName(host: string, namespace: string): string | undefined {
  const parts = host.split(".");
  if (parts.length === 1) return parts[0];
  if (
    parts[1] === namespace &&
    (parts.length === 2 || (parts[2] === "svc" && (parts.length === 3 || parts.slice(3).join(".") === "cluster.local")))
  )
    return parts[0];
  return undefined;
}

/** One URL of a value: the text matched, its host, the Service of `namespace` it names (if any) and its port. */
export interface ServiceUrl {
  text: string;
  host: string;
  service?: string;
  port: number;
}

/** Every `scheme://host:port` URL in a value, with the Service of `namespace` it names. */
export function serviceUrls(value: string, namespace: string): ServiceUrl[] {
  return [...value.matchAll(URL)].map((m) => ({
    text: m[0],
    host: m[1],
    service: serviceName(m[1], namespace),
    port: Number(m[4]),
  }));
}
