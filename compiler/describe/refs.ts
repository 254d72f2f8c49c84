import type { SecretRef, UrlRef } from "./types.ts";

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
