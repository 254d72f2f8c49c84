/**
 * What the Argo CD UI links to from an Application: the platform's ingress
 * hosts (taken from its compiled Ingress objects) and the cluster's Grafana
 * when the platform ships dashboards or metrics. A link is templated on the
 * cluster's ingress-domain annotation, so one ApplicationSet template gives
 * each cluster its own hosts; only links every target of the ApplicationSet
 * has are emitted.
 */
import type { ArgoCdDescription } from "../describe/types.ts";
import type { CompiledTarget } from "../model/target.ts";
import { LINK_PREFIX as ARGOCD_LINK_PREFIX } from "../sync/annotations.ts";
import { ANNOTATION_INGRESS_DOMAIN, annotationParam } from "./labels.ts";

export const LINK_PREFIX = ARGOCD_LINK_PREFIX;

interface IngressRule {
  host?: string;
  http?: { paths?: { path?: string }[] };
}

/**
 * The https URLs of a target's Ingress hosts, keyed by link title (the host's first label). A host's region name
 * comes before its global name (global-dns.ts), and the region name is the one linked: it is templated per cluster.
 */
export function ingressLinks(t: CompiledTarget): Map<string, string> {
  const links = new Map<string, string>();
  for (const { object } of t.objects) {
    if (object.kind !== "Ingress") continue;
    for (const rule of (object.spec as { rules?: IngressRule[] } | undefined)?.rules ?? []) {
      if (!rule.host) continue;
      const path = rule.http?.paths?.[0]?.path ?? "/";
      const title = rule.host.split(".")[0];
      if (!links.has(title)) links.set(title, `https://${rule.host}${path}`);
    }
  }
  return links;
}

/** True when the target renders Grafana dashboards or Prometheus scrape targets. */
export function hasObservability(t: CompiledTarget): boolean {
  return t.objects.some(
    ({ object }) => object.kind === "ServiceMonitor" || object.metadata.labels?.grafana_dashboard === "1",
  );
}

/** Replaces the target cluster's ingress domain in a URL with the template that reads it from the cluster Secret. */
function templated(url: string, t: CompiledTarget): string {
  const domain = t.target.cluster.ingressDomain;
  return url
    .replace(`.${domain}/`, `.${annotationParam(ANNOTATION_INGRESS_DOMAIN)}/`)
    .replace(`//${domain}/`, `//${annotationParam(ANNOTATION_INGRESS_DOMAIN)}/`);
}

/** The link annotations of an ApplicationSet template: those every one of its targets has. */
export function linkAnnotations(targets: CompiledTarget[], layer: ArgoCdDescription): Record<string, string> {
  const perTarget = targets.map((t) => {
    const links = new Map([...ingressLinks(t)].map(([title, url]) => [title, templated(url, t)]));
    if (layer.grafana && hasObservability(t)) {
      links.set(
        "grafana",
        `https://${layer.grafana.host}.${annotationParam(ANNOTATION_INGRESS_DOMAIN)}${layer.grafana.path ?? "/"}`,
      );
    }
    return links;
  });
  const out: Record<string, string> = {};
  const [first, ...rest] = perTarget;
  for (const [title, url] of [...(first ?? new Map())].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (rest.every((links) => links.get(title) === url)) out[LINK_PREFIX + title] = url;
  }
  return out;
}
