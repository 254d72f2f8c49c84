/**
 * The metric exporters a target's fleet runs, and the metric names each provides: Prometheus itself (`up`),
 * kube-state-metrics, the kubelet and cAdvisor (installed by the cluster layer), CloudNativePG's built-in exporter
 * for PostgreSQL, NATS's exporter sidecar, Qdrant's and Neo4j's own endpoints where the store declares `metrics`
 * (a ServiceMonitor scrapes them), and the request metrics a service declares. Istio's sidecars are not listed:
 * nothing in the fleet scrapes their Envoy statistics. Alerts are written against these names, and the
 * monitoring-rules validation warns about a name none of them provides.
 */
import type { Component } from "../describe/types.ts";
import type { ResolvedTarget } from "../model/target.ts";

/** One exporter: its name and the metric names (exact) or prefixes (ending in `_`) it provides. */
export interface Exporter {
  name: string;
  provides: string[];
}

/** Exporters every cluster runs (the cluster layer installs kube-state-metrics; the kubelet serves cAdvisor). */
const CLUSTER: Exporter[] = [
  { name: "prometheus", provides: ["up", "scrape_"] },
  { name: "kube-state-metrics", provides: ["kube_"] },
  { name: "kubelet", provides: ["kubelet_volume_stats_", "container_"] },
];

/**
 * The exporter each store engine runs, by engine: only exporters the fleet really deploys. NATS serves JSON on its
 * monitoring port, so its engine runs prometheus-nats-exporter beside every server (`-varz`, `-jsz=all`). Redis has
 * none yet, so alerts on `redis_*` metrics are reported by the monitoring-rules validation as reading what nothing
 * provides.
 */
const ENGINE_EXPORTERS: Record<string, Exporter | undefined> = {
  postgres: { name: "cloudnative-pg", provides: ["cnpg_"] },
  qdrant: {
    name: "qdrant",
    provides: ["app_info", "app_status_", "collections_", "rest_responses_", "grpc_responses_", "cluster_", "memory_"],
  },
  neo4j: { name: "neo4j", provides: ["neo4j_"] },
  nats: { name: "prometheus-nats-exporter", provides: ["gnatsd_varz_", "jetstream_"] },
};

/** A service's declared request metrics, as an exporter named after the component. */
function serviceExporter(key: string, c: Component): Exporter[] {
  const r = c.metrics?.requests;
  if (c.type !== "service" || !r) return [];
  return [{ name: key, provides: [r.counter, ...(r.histogram ? [r.histogram + "_"] : [])] }];
}

/** Engines whose exporter is always scraped (an operator's PodMonitor, an exporter sidecar's). */
const ALWAYS_SCRAPED = new Set(["postgres", "nats"]);

/** Every exporter the target's fleet runs and scrapes. */
export function exportersOf(target: ResolvedTarget): Exporter[] {
  const out = [...CLUSTER];
  const engines = new Set<string>();
  for (const [key, c] of Object.entries(target.components)) {
    if (c.type === "store" && (ALWAYS_SCRAPED.has(c.engine) || c.metrics)) engines.add(c.engine);
    out.push(...serviceExporter(key, c));
  }
  for (const e of [...engines].sort()) if (ENGINE_EXPORTERS[e]) out.push(ENGINE_EXPORTERS[e]);
  return out;
}

/** The exporter that provides `metric`, if any does. */
export function exporterOf(exporters: Exporter[], metric: string): Exporter | undefined {
  return exporters.find((e) => e.provides.some((p) => (p.endsWith("_") ? metric.startsWith(p) : metric === p)));
}
