import type { ConfigRef, IngressUrlRef, SecretRef, UrlRef } from "./types.ts";

/** Refers to key `key` of Secret `name`, which an ExternalSecret fills from the region's secret store. */
export function secretRef(name: string, key: string): SecretRef {
  return { kind: "secret", name, key };
}

/** The URL of another component of the same platform, e.g. `url("redis", "redis")` gives `redis://ossa-redis:6379`. */
export function url(component: string, scheme: string, options: { port?: string; path?: string } = {}): UrlRef {
  return { kind: "url", component, scheme, ...options };
}

/** True when a value is a secret reference. */
export function isSecretRef(v: unknown): v is SecretRef {
  return typeof v === "object" && v !== null && (v as SecretRef).kind === "secret";
}

/** True when a value is a component URL reference. */
export function isUrlRef(v: unknown): v is UrlRef {
  return typeof v === "object" && v !== null && (v as UrlRef).kind === "url";
}

/**
 * The bare in-cluster address `name:port` of another component, e.g.
 * `address("pubsub")` for `PUBSUB_EMULATOR_HOST`.
 */
export function address(component: string, options: { port?: string } = {}): UrlRef {
  return { kind: "url", component, ...options };
}

/** Key `key` of the platform ConfigMap, read by one env var through `configMapKeyRef`. */
export function configRef(key: string): ConfigRef {
  return { kind: "config", key };
}

/** The public `https://` URL of a host the platform publishes, e.g. `ingressUrl("api.multi-agent")`. */
export function ingressUrl(host: string, options: { path?: string } = {}): IngressUrlRef {
  return { kind: "ingress-url", host, ...options };
}

/** True when a value is a platform ConfigMap key reference. */
export function isConfigRef(v: unknown): v is ConfigRef {
  return typeof v === "object" && v !== null && (v as ConfigRef).kind === "config";
}

/** True when a value is a public ingress URL reference. */
export function isIngressUrlRef(v: unknown): v is IngressUrlRef {
  return typeof v === "object" && v !== null && (v as IngressUrlRef).kind === "ingress-url";
}
