/**
 * The cluster-wide objects an add-on declares, rendered for one cluster: StorageClasses (one of them the default),
 * cert-manager ClusterIssuers (ACME, DNS-01 through Route 53) and external-secrets ClusterSecretStores (AWS, read
 * with the controller's web identity). A region left out defaults to the cluster's region.
 */
import type { KubeObject } from "../model/object.ts";
import type { ResolvedAddon } from "./resolve.ts";
import type { CaIssuerSpec } from "../describe/types.ts";
import { WAVE_ANNOTATION } from "../sync/annotations.ts";
import { compareNames } from "../name-order.ts";

const DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class";

/** The labels every object of the cluster layer carries. */
export function clusterLabels(addon: string): Record<string, string> {
  return {
    "app.kubernetes.io/managed-by": "manifold",
    "app.kubernetes.io/part-of": "cluster",
    "manifold.dev/addon": addon,
  };
}

/** The add-on's cluster-wide objects on a cluster in `region`, in name order per kind. */
export function clusterObjects(addon: ResolvedAddon, region: string, environment: string): KubeObject[] {
  const d = addon.description;
  const labels = clusterLabels(addon.name);
  const out: KubeObject[] = [];
  for (const [name, sc] of Object.entries(d.storageClasses ?? {}).sort(([a], [b]) => compareNames(a, b)))
    out.push({
      apiVersion: "storage.k8s.io/v1",
      kind: "StorageClass",
      metadata: { name, labels, ...(sc.default ? { annotations: { [DEFAULT_CLASS_ANNOTATION]: "true" } } : {}) },
      provisioner: sc.provisioner,
      ...(sc.parameters ? { parameters: sc.parameters } : {}),
      reclaimPolicy: sc.reclaimPolicy ?? "Delete",
      volumeBindingMode: sc.volumeBindingMode ?? "WaitForFirstConsumer",
      ...(sc.allowVolumeExpansion !== undefined ? { allowVolumeExpansion: sc.allowVolumeExpansion } : {}),
    });
  for (const [name, issuer] of Object.entries(d.clusterIssuers ?? {}).sort(([a], [b]) => compareNames(a, b)))
    out.push({
      apiVersion: "cert-manager.io/v1",
      kind: "ClusterIssuer",
      metadata: { name, labels },
      spec: {
        acme: {
          server: issuer.server,
          email: issuer.email,
          privateKeySecretRef: { name: `${name}-account-key` },
          solvers: [
            {
              dns01: {
                route53: {
                  region: issuer.route53.region ?? region,
                  ...(issuer.route53.hostedZoneID ? { hostedZoneID: issuer.route53.hostedZoneID } : {}),
                },
              },
            },
          ],
        },
      },
    });
  for (const [name, ca] of Object.entries(d.caIssuers ?? {}).sort(([a], [b]) => compareNames(a, b)))
    out.push(...caIssuerObjects(name, ca, region, environment, labels));
  for (const [name, store] of Object.entries(d.secretStores ?? {}).sort(([a], [b]) => compareNames(a, b)))
    out.push({
      apiVersion: "external-secrets.io/v1",
      kind: "ClusterSecretStore",
      metadata: { name, labels },
      spec: {
        provider: {
          aws: {
            service: store.service,
            region: store.region ?? region,
            auth: {
              jwt: {
                serviceAccountRef: { name: store.serviceAccount.name, namespace: store.serviceAccount.namespace },
              },
            },
          },
        },
        ...(store.namespaceSelector
          ? { conditions: [{ namespaceSelector: { matchLabels: store.namespaceSelector } }] }
          : {}),
      },
    });
  return out;
}

/** `<group>/<Kind>` of an object (`/StorageClass` has the group `storage.k8s.io`; the core group is empty). */
export function groupKindOf(o: Pick<KubeObject, "apiVersion" | "kind">): string {
  const group = o.apiVersion.includes("/") ? o.apiVersion.slice(0, o.apiVersion.lastIndexOf("/")) : "";
  return `${group}/${o.kind}`;
}

/**
 * A CA ClusterIssuer and where its key pair comes from: a namespaced SecretStore (the add-on's ServiceAccount, IRSA)
 * and an ExternalSecret that writes the TLS Secret the issuer signs with, from `<environment>/cluster/<name>`. In
 * waves, each Healthy before the next: the store, the Secret, the issuer.
 */
function caIssuerObjects(
  name: string,
  ca: CaIssuerSpec,
  region: string,
  environment: string,
  labels: Record<string, string>,
): KubeObject[] {
  const { namespace } = ca.serviceAccount;
  const store = `${name}-store`;
  const key = `${environment}/cluster/${name}`;
  return [
    {
      apiVersion: "external-secrets.io/v1",
      kind: "SecretStore",
      metadata: { name: store, namespace, labels, annotations: { [WAVE_ANNOTATION]: "0" } },
      spec: {
        provider: {
          aws: {
            service: "SecretsManager",
            region,
            auth: { jwt: { serviceAccountRef: { name: ca.serviceAccount.name } } },
          },
        },
      },
    },
    {
      apiVersion: "external-secrets.io/v1",
      kind: "ExternalSecret",
      metadata: { name, namespace, labels, annotations: { [WAVE_ANNOTATION]: "1" } },
      spec: {
        refreshInterval: "1h",
        secretStoreRef: { kind: "SecretStore", name: store },
        target: { name, creationPolicy: "Owner", deletionPolicy: "Retain", template: { type: "kubernetes.io/tls" } },
        data: ["tls.crt", "tls.key"].map((k) => ({ secretKey: k, remoteRef: { key, property: k } })),
      },
    },
    {
      apiVersion: "cert-manager.io/v1",
      kind: "ClusterIssuer",
      metadata: { name, labels, annotations: { [WAVE_ANNOTATION]: "2" } },
      // cert-manager reads a ClusterIssuer's Secret from its cluster resource namespace (its own, by default).
      spec: { ca: { secretName: name } },
    },
  ];
}
