/**
 * Secrets by reference only: every `secretRef` in a target becomes an entry of
 * an `external-secrets.io/v1` ExternalSecret. The values never reach git. Each
 * platform reads through its own namespaced `SecretStore`, authenticated as its
 * own ServiceAccount (IRSA: one IAM role per environment and platform, allowed
 * only `<environment>/<platform>/*`), so no platform can read another's secrets.
 * (The model package only has v1beta1, so these are typed plain objects,
 * checked against the upstream schemas in tests.)
 */
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import type { SecretRef } from "../describe/types.ts";
import { isSecretRef } from "../describe/refs.ts";
import { engineOf } from "../stores/index.ts";
import { ACCESS_KEY_ID, SECRET_ACCESS_KEY, backupOf } from "./object-store.ts";
import type { ResolvedTarget } from "../model/target.ts";
import { platformLabels } from "./naming.ts";
import { make } from "./objects.ts";
import type { KubeObject, RenderedObject } from "../model/object.ts";
import { receiverSecretRefs } from "./alert-routing.ts";

export interface ExternalSecret extends KubeObject {
  apiVersion: "external-secrets.io/v1";
  kind: "ExternalSecret";
  spec: {
    refreshInterval: string;
    secretStoreRef: { kind: "SecretStore"; name: string };
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
  // The object-store credentials of every store that backs up (CloudNativePG or a backup CronJob).
  const backsUp = Object.values(target.components).some(
    (c) => c.type === "store" && backupOf(c) !== undefined && (engineOf(c).operator ?? engineOf(c).dump) !== undefined,
  );
  if (target.objectStore && backsUp)
    for (const key of [ACCESS_KEY_ID, SECRET_ACCESS_KEY])
      refs.push({ kind: "secret", name: target.objectStore.credentials, key });
  for (const hook of Object.values(target.hooks))
    for (const v of Object.values(hook.env)) if (isSecretRef(v)) refs.push(v);
  refs.push(...receiverSecretRefs(target));
  return refs;
}

/** The annotation that binds a ServiceAccount to an IAM role (EKS IAM roles for service accounts). */
export const IRSA_ROLE_ANNOTATION = "eks.amazonaws.com/role-arn";

/** The key prefix a platform's secrets live under in its environment: the only keys its store may read. */
export function secretPrefix(target: ResolvedTarget): string {
  return `${target.environment}/${target.platform}/`;
}

/** The remote key in the secret store: one folder per environment and platform. */
export function remoteKey(target: ResolvedTarget, secretName: string): string {
  return `${secretPrefix(target)}${secretName}`;
}

/** The name of a platform's SecretStore and of the ServiceAccount it authenticates as. */
export function secretStoreName(target: ResolvedTarget): string {
  return `${target.namePrefix || target.platform + "-"}secret-store`;
}

/** The IAM role a platform's SecretStore assumes: one per environment and platform. */
export function secretRoleArn(target: ResolvedTarget): string {
  return `${target.secretStore.roleArnPrefix}${target.environment}-${target.platform}`;
}

export interface SecretStore extends KubeObject {
  apiVersion: "external-secrets.io/v1";
  kind: "SecretStore";
  spec: {
    provider: {
      aws: {
        service: "SecretsManager";
        region: string;
        auth: { jwt: { serviceAccountRef: { name: string } } };
      };
    };
  };
}

/** The platform's own store (and the ServiceAccount it authenticates as), in its namespace. */
function buildStore(target: ResolvedTarget): RenderedObject[] {
  const name = secretStoreName(target);
  const labels = platformLabels(target, "secret-store");
  const account = make(ServiceAccount, {
    metadata: {
      name,
      namespace: target.namespace,
      labels,
      annotations: { [IRSA_ROLE_ANNOTATION]: secretRoleArn(target) },
    },
    // Only the External Secrets Operator requests tokens for it; no pod runs as it.
    automountServiceAccountToken: false,
  });
  const store: SecretStore = {
    apiVersion: "external-secrets.io/v1",
    kind: "SecretStore",
    metadata: { name, namespace: target.namespace, labels },
    spec: {
      provider: {
        aws: {
          service: "SecretsManager",
          region: target.secretStore.awsRegion,
          auth: { jwt: { serviceAccountRef: { name } } },
        },
      },
    },
  };
  return [
    { band: "foundation" as const, object: account },
    { band: "foundation" as const, object: store },
  ];
}

/** One ExternalSecret per referenced Secret name, read through the platform's own SecretStore. */
export function buildSecrets(target: ResolvedTarget): RenderedObject[] {
  const keysBySecret = new Map<string, Set<string>>();
  for (const ref of secretRefs(target)) {
    if (!keysBySecret.has(ref.name)) keysBySecret.set(ref.name, new Set());
    keysBySecret.get(ref.name)!.add(ref.key);
  }
  if (keysBySecret.size === 0) return [];
  const secrets = [...keysBySecret.keys()].sort().map((name) => {
    const object: ExternalSecret = {
      apiVersion: "external-secrets.io/v1",
      kind: "ExternalSecret",
      metadata: { name, namespace: target.namespace, labels: platformLabels(target, "secret") },
      spec: {
        refreshInterval: "1h",
        secretStoreRef: { kind: "SecretStore", name: secretStoreName(target) },
        target: { name, creationPolicy: "Owner", deletionPolicy: "Retain" },
        data: [...keysBySecret.get(name)!]
          .sort()
          .map((key) => ({ secretKey: key, remoteRef: { key: remoteKey(target, name), property: key } })),
      },
    };
    return { band: "secrets" as const, object };
  });
  return [...buildStore(target), ...secrets];
}
