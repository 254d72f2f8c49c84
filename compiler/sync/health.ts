/**
 * Which objects Argo CD can assess health for. Objects without a health
 * check count as Healthy at once, so a wave never waits for them.
 * Built-in Go checks plus the Lua checks Argo CD bundles for the custom
 * resources Manifold renders.
 */
import type { KubeObject } from "../model/object.ts";

const BUILT_IN = new Set([
  "/PersistentVolumeClaim",
  "/Pod",
  "/Service",
  "apiregistration.k8s.io/APIService",
  "apps/DaemonSet",
  "apps/Deployment",
  "apps/ReplicaSet",
  "apps/StatefulSet",
  "argoproj.io/Workflow",
  "autoscaling/HorizontalPodAutoscaler",
  "batch/Job",
  "extensions/Ingress",
  "networking.k8s.io/Ingress",
]);

const BUNDLED_LUA = new Set([
  "batch/CronJob",
  "policy/PodDisruptionBudget",
  "apiextensions.k8s.io/CustomResourceDefinition",
  "argoproj.io/Application",
  "argoproj.io/ApplicationSet",
  "external-secrets.io/ExternalSecret",
  "external-secrets.io/ClusterSecretStore",
  "external-secrets.io/SecretStore",
  "cert-manager.io/Certificate",
  "cert-manager.io/Issuer",
  "cert-manager.io/ClusterIssuer",
  "monitoring.coreos.com/Prometheus",
  "monitoring.coreos.com/Alertmanager",
  "postgresql.cnpg.io/Cluster", // bundled since Argo CD 3.1
]);

/** Kinds whose health check Manifold itself adds to argocd-cm (argocd/settings.ts), so a wave waits for them. */
const MANIFOLD_LUA = new Set(["postgresql.cnpg.io/Backup"]);

/** The API group of an object (`` for the core group). */
export function apiGroup(o: Pick<KubeObject, "apiVersion">): string {
  return o.apiVersion.includes("/") ? o.apiVersion.split("/")[0] : "";
}

/** True when Argo CD assesses this object's health (so a wave waits for it). */
export function hasHealthCheck(o: KubeObject): boolean {
  const key = `${apiGroup(o)}/${o.kind}`;
  if (o.kind === "Service") return (o.spec as { type?: string } | undefined)?.type === "LoadBalancer";
  return BUILT_IN.has(key) || BUNDLED_LUA.has(key) || MANIFOLD_LUA.has(key);
}
