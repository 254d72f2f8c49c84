/**
 * Observability building blocks: a ServiceMonitor for each component that
 * declares `metrics`, a PodMonitor for the exporter of each store that has one
 * (an operator's instances, an exporter sidecar), and Grafana dashboards as
 * ConfigMaps labelled `grafana_dashboard: "1"` for the Grafana sidecar to pick
 * up. Each monitor carries the label of the Prometheus that scrapes it
 * (`scrapedBy`): the platform's own, or, without one, the cluster's.
 */
import { PodMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Service } from "kubernetes-models/v1/Service";
import type { Component } from "../describe/types.ts";
import type { ResolvedTarget } from "../model/target.ts";
import { ENGINES } from "../stores/index.ts";
import { HEADLESS_LABEL, objectName, platformLabels, selectorLabels, standardLabels } from "./naming.ts";
import { SKIP_DRY_RUN } from "../sync/annotations.ts";
import { make, plain } from "./objects.ts";
import { type RenderedObject } from "../model/object.ts";
import { PROM_CERTS, evaluatorLabels } from "./prometheus-stack.ts";
import { engineOf } from "../stores/index.ts";

/** The port a component is scraped on: its `metrics.port`, else its first port. */
export function metricsPort(c: Component): { name: string; port: number } {
  const ports = c.type === "service" ? c.ports : ENGINES[c.engine].ports;
  const name = c.metrics?.port ?? Object.keys(ports)[0];
  return { name, port: ports[name] };
}

/**
 * The port Prometheus scrapes a component's pods on: its declared `metrics` port, else its engine's exporter sidecar
 * (a store), else none.
 */
export function scrapedPort(c: Component): number | undefined {
  if (c.metrics) return metricsPort(c).port;
  return c.type === "store" ? ENGINES[c.engine].exporter?.port : undefined;
}

/**
 * A monitor's metadata: its labels, the label of the Prometheus that loads it, and no dry run (its CRD may arrive in
 * the same sync, with the operator).
 */
function monitorMeta(target: ResolvedTarget, name: string, labels: Record<string, string>) {
  return {
    name,
    namespace: target.namespace,
    labels: { ...labels, ...evaluatorLabels(target) },
    annotations: { ...SKIP_DRY_RUN },
  };
}

/**
 * A ServiceMonitor endpoint's scheme and TLS: under STRICT mesh mTLS, the platform's own Prometheus scrapes through the
 * mesh with the Istio certificates it mounts. The cluster's Prometheus has none: it scrapes in plain text, on ports
 * the mesh leaves PERMISSIVE for it (`scrapedPort`; NetworkPolicies still admit only its namespace).
 */
export function scrapeTls(target: ResolvedTarget): {
  scheme?: "https";
  tlsConfig?: { caFile: string; certFile: string; keyFile: string; insecureSkipVerify: true };
} {
  if (target.mesh?.mtls !== "STRICT" || !target.prometheusStack) return {};
  return {
    scheme: "https",
    tlsConfig: {
      caFile: `${PROM_CERTS}/root-cert.pem`,
      certFile: `${PROM_CERTS}/cert-chain.pem`,
      keyFile: `${PROM_CERTS}/key.pem`,
      insecureSkipVerify: true,
    },
  };
}

/** A ServiceMonitor selecting the component's Service, or nothing when it declares no metrics. */
export function buildServiceMonitor(target: ResolvedTarget, key: string, c: Component): RenderedObject[] {
  if (!c.metrics) return [];
  const name = objectName(target, key);
  // Under STRICT mesh mTLS, scrape through the mesh with Istio's workload certificates (mounted in Prometheus).
  const tls = scrapeTls(target);
  const monitor = make(ServiceMonitor, {
    metadata: monitorMeta(target, name, standardLabels(target, name, "monitoring", c)),
    spec: {
      selector: {
        matchLabels: selectorLabels(target, name),
        matchExpressions: [{ key: HEADLESS_LABEL, operator: "DoesNotExist" }],
      },
      namespaceSelector: { matchNames: [target.namespace] },
      endpoints: [
        {
          port: metricsPort(c).name,
          path: c.metrics.path ?? "/metrics",
          interval: c.metrics.interval ?? "30s",
          ...tls,
        },
      ],
    },
  });
  return [{ object: plain(monitor), component: key, band: "observability" }];
}

/**
 * A PodMonitor scraping port `port` of the pods `matchLabels` selects (a store's members: its job label is
 * `<namespace>/<name>`).
 */
export function buildPodMonitor(
  target: ResolvedTarget,
  key: string,
  name: string,
  c: Component,
  matchLabels: Record<string, string>,
  port: string,
): RenderedObject {
  const monitor = make(PodMonitor, {
    metadata: monitorMeta(target, name, standardLabels(target, name, "monitoring", c)),
    spec: {
      selector: { matchLabels },
      namespaceSelector: { matchNames: [target.namespace] },
      podMetricsEndpoints: [{ port, path: "/metrics", interval: c.metrics?.interval ?? "30s" }],
    },
  });
  return { object: plain(monitor), component: key, band: "observability" };
}

/** The label on the members of a store that run its exporter sidecar (not its sentinels or proxies). */
export const EXPORTER_LABEL = "manifold.dev/exporter";

/**
 * The monitor of a store's exporter sidecar (its port `metrics`), or nothing when its engine runs none: a PodMonitor,
 * or, under STRICT mesh mTLS, a `<name>-metrics` Service and a ServiceMonitor, since only a ServiceMonitor can present
 * the Prometheus's Istio certificates (a PodMonitor's TLS takes Secrets, not the files Istio writes).
 */
export function buildExporterMonitor(target: ResolvedTarget, key: string, c: Component): RenderedObject[] {
  const exporter = c.type === "store" ? engineOf(c).exporter : undefined;
  if (!exporter) return [];
  const name = objectName(target, key);
  const tls = scrapeTls(target);
  const members = { ...selectorLabels(target, name), [EXPORTER_LABEL]: "true" };
  if (!tls.scheme) return [buildPodMonitor(target, key, name, c, members, "metrics")];
  const metrics = `${name}-metrics`;
  const labels = standardLabels(target, name, "metrics", c);
  const service = make(Service, {
    metadata: { name: metrics, namespace: target.namespace, labels },
    spec: {
      type: "ClusterIP",
      selector: members,
      ports: [{ name: "metrics", port: exporter.port, targetPort: "metrics", protocol: "TCP" }],
    },
  });
  const monitor = make(ServiceMonitor, {
    metadata: monitorMeta(target, metrics, labels),
    spec: {
      selector: { matchLabels: labels },
      namespaceSelector: { matchNames: [target.namespace] },
      endpoints: [{ port: "metrics", path: "/metrics", interval: c.metrics?.interval ?? "30s", ...tls }],
    },
  });
  return [
    { object: plain(service), component: key, band: "foundation" },
    { object: plain(monitor), component: key, band: "observability" },
  ];
}

/** One ConfigMap per dashboard. */
export function buildDashboards(
  target: ResolvedTarget,
  dashboards: Record<string, Record<string, unknown>> | undefined,
): RenderedObject[] {
  return Object.keys(dashboards ?? {})
    .sort()
    .map((name) => ({
      band: "observability" as const,
      object: make(ConfigMap, {
        metadata: {
          name: `${target.namePrefix}dashboard-${name}`,
          namespace: target.namespace,
          labels: { ...platformLabels(target, "dashboard"), grafana_dashboard: "1" },
        },
        data: { [`${name}.json`]: JSON.stringify(dashboards![name], null, 2) + "\n" },
      }),
    }));
}
