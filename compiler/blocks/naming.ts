import type { ResolvedTarget } from "../model/target.ts";
import type { Component } from "../describe/types.ts";

/**
 * The namespace the cluster's Prometheus (and its metrics adapter) runs in; NetworkPolicies let it scrape metrics
 * ports.
 */
export const MONITORING_NAMESPACE = "monitoring";

/** A NetworkPolicy peer: every pod of one namespace, by the name label Kubernetes puts on each namespace. */
export function namespacePeer(name: string): { namespaceSelector: { matchLabels: Record<string, string> } } {
  return { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": name } } };
}

/** The rendered name of a component's objects: the platform prefix plus the component key. */
export function objectName(target: ResolvedTarget, component: string): string {
  return `${target.namePrefix}${component}`;
}

/** Marks a headless (per-pod DNS) Service, so a ServiceMonitor scrapes each pod once, through the client Service. */
export const HEADLESS_LABEL = "manifold.dev/headless";

/** The labels that select a component's pods. Stable: selectors are immutable. */
export function selectorLabels(target: ResolvedTarget, name: string): Record<string, string> {
  return { "app.kubernetes.io/name": name, "app.kubernetes.io/part-of": target.platform };
}

/** The image tag, as a label value, or undefined for a digest-only reference. */
export function imageVersion(image: string): string | undefined {
  const at = image.indexOf("@");
  const ref = at >= 0 ? image.slice(0, at) : image;
  const colon = ref.lastIndexOf(":");
  if (colon < 0 || ref.slice(colon).includes("/")) return undefined;
  const tag = ref
    .slice(colon + 1)
    .replace(/[^-A-Za-z0-9_.]/g, "-")
    .slice(0, 63);
  return /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(tag) ? tag : undefined;
}

/** The recommended `app.kubernetes.io/*` labels. `instance` is left to Argo CD's tracking. */
export function standardLabels(
  target: ResolvedTarget,
  name: string,
  role: string,
  component?: Component,
): Record<string, string> {
  const labels: Record<string, string> = {
    ...selectorLabels(target, name),
    "app.kubernetes.io/component": role,
    "app.kubernetes.io/managed-by": "manifold",
  };
  const version = component ? imageVersion(component.image) : undefined;
  if (version) labels["app.kubernetes.io/version"] = version;
  return labels;
}

/** Labels for platform-wide objects (namespace, config, policies). */
export function platformLabels(target: ResolvedTarget, role: string): Record<string, string> {
  return {
    "app.kubernetes.io/name": target.platform,
    "app.kubernetes.io/part-of": target.platform,
    "app.kubernetes.io/component": role,
    "app.kubernetes.io/managed-by": "manifold",
  };
}

/** The name of the platform ConfigMap. */
export function configMapName(target: ResolvedTarget): string {
  return `${target.namePrefix || target.platform + "-"}config`;
}
