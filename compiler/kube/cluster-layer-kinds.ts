/**
 * The cluster-scoped kinds the cluster layer owns: objects every platform on a cluster shares (a ClusterIssuer the
 * Ingresses name, the secret stores, the StorageClasses, CRDs, admission webhooks, ingress classes). A platform never
 * renders one, and no platform's AppProject permits one, so no platform can change or delete what the others rely on.
 */
import type { KubeObject } from "../model/object.ts";

/** A kind by API group and name. */
export interface GroupKind {
  group: string;
  kind: string;
}

/** The kinds only the cluster layer may render. */
export const CLUSTER_LAYER_KINDS: readonly GroupKind[] = [
  { group: "apiextensions.k8s.io", kind: "CustomResourceDefinition" },
  { group: "admissionregistration.k8s.io", kind: "MutatingWebhookConfiguration" },
  { group: "admissionregistration.k8s.io", kind: "ValidatingWebhookConfiguration" },
  { group: "apiregistration.k8s.io", kind: "APIService" },
  { group: "networking.k8s.io", kind: "IngressClass" },
  { group: "storage.k8s.io", kind: "StorageClass" },
  { group: "cert-manager.io", kind: "ClusterIssuer" },
  { group: "external-secrets.io", kind: "ClusterSecretStore" },
  { group: "external-secrets.io", kind: "ClusterExternalSecret" },
];

function groupOf(apiVersion: string): string {
  return apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.lastIndexOf("/")) : "";
}

/** True when the cluster layer owns the object's kind. */
export function isClusterLayerKind(o: Pick<KubeObject, "apiVersion" | "kind">): boolean {
  const group = groupOf(o.apiVersion);
  return CLUSTER_LAYER_KINDS.some((k) => k.group === group && k.kind === o.kind);
}
