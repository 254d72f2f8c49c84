/**
 * Secrets by reference only: every `secretRef` in a target becomes an entry of
 * an `external-secrets.io/v1` ExternalSecret that reads the region's secret
 * store. The values never reach git. (The model package only has v1beta1, so
 * this is a typed plain object, checked against the upstream schema in tests.)
 */
import type { SecretRef } from "../describe/types.ts";
import { isSecretRef } from "../describe/refs.ts";
import { engineOf } from "../stores/index.ts";
import type { ResolvedTarget } from "../model/target.ts";
import { platformLabels } from "./naming.ts";
import type { KubeObject, RenderedObject } from "../model/object.ts";
import { receiverSecretRefs } from "./alert-routing.ts";

export interface ExternalSecret extends KubeObject {
  apiVersion: "external-secrets.io/v1";
  kind: "ExternalSecret";
  spec: {
    refreshInterval: string;
    secretStoreRef: { kind: "ClusterSecretStore" | "SecretStore"; name: string };
    target: { name: string; creationPolicy: "Owner"; deletionPolicy: "Retain" };
    data: { secretKey: string; remoteRef: { key: string; property: string } }[];
  };
}

/** Every secret reference a target makes, with the extra keys engines need (postgres replication password). */
export function secretRefs(target: ResolvedTarget): SecretRef[] {
  const refs: SecretRef[] = [];
  for (const c of Object.values(target.components)) {
    for (const v of Object.values(c.env ?? {})) if (isSecretRef(v)) refs.push(v);
    if (c.type === "store" && c.password) {
      refs.push(c.password);
      for (const key of engineOf(c).passwordKeys ?? []) refs.push({ kind: "secret", name: c.password.name, key });
    }
  }
  for (const hook of Object.values(target.hooks))
    for (const v of Object.values(hook.env)) if (isSecretRef(v)) refs.push(v);
  refs.push(...receiverSecretRefs(target));
  return refs;
}

/** The remote key in the secret store: one folder per environment and platform. */
export function remoteKey(target: ResolvedTarget, secretName: string): string {
  return `${target.environment}/${target.platform}/${secretName}`;
}

/** One ExternalSecret per referenced Secret name. */
export function buildSecrets(target: ResolvedTarget): RenderedObject[] {
  const keysBySecret = new Map<string, Set<string>>();
  for (const ref of secretRefs(target)) {
    if (!keysBySecret.has(ref.name)) keysBySecret.set(ref.name, new Set());
    keysBySecret.get(ref.name)!.add(ref.key);
  }
  return [...keysBySecret.keys()].sort().map((name) => {
    const object: ExternalSecret = {
      apiVersion: "external-secrets.io/v1",
      kind: "ExternalSecret",
      metadata: { name, namespace: target.namespace, labels: platformLabels(target, "secret") },
      spec: {
        refreshInterval: "1h",
        secretStoreRef: { kind: "ClusterSecretStore", name: target.secretStore },
        target: { name, creationPolicy: "Owner", deletionPolicy: "Retain" },
        data: [...keysBySecret.get(name)!]
          .sort()
          .map((key) => ({ secretKey: key, remoteRef: { key: remoteKey(target, name), property: key } })),
      },
    };
    return { band: "foundation" as const, object };
  });
}
