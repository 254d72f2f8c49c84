/**
 * The metric exporters a target's fleet runs, and the metric names each provides: Prometheus itself (`up`),
 * kube-state-metrics, the kubelet and cAdvisor (installed by the cluster layer), CloudNativePG's built-in exporter
 * for PostgreSQL, the engines' exporter sidecars (NATS's prometheus-nats-exporter, Redis's redis_exporter), Qdrant's
 * and Neo4j's own endpoints where the store declares `metrics` (a ServiceMonitor scrapes them), and the request
 * metrics a service declares, and Velero's server (the cluster layer's, scraped through its chart's ServiceMonitor)
 * where the target renders a Velero Schedule. Istio's sidecars are not listed: nothing in the fleet scrapes their
 * Envoy statistics. Alerts are written against these names, and the monitoring-rules validation warns about a name
 * none of them provides.
 */
import type { Component, StoreEngine } from "../describe/types.ts";
import { ENGINES } from "../stores/index.ts";
import type { ResolvedTarget } from "../model/target.ts";
import { hasVolumeSnapshots } from "./velero.ts";

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

/** Velero's server: its backup outcomes by Schedule (`velero_backup_last_successful_timestamp{schedule}`). */
const VELERO: Exporter = { name: "velero", provides: ["velero_backup_"] };

/**
 * The endpoint each store engine serves its own metrics on, by engine, besides an engine's exporter sidecar (`exporter`
 * of its definition: NATS's and Redis's, whose servers serve no Prometheus metrics): only what the fleet really
 * deploys and scrapes.
 */
const ENGINE_EXPORTERS: Record<string, Exporter | undefined> = {
  postgres: { name: "cloudnative-pg", provides: ["cnpg_"] },
  qdrant: {
    name: "qdrant",
    provides: ["app_info", "app_status_", "collections_", "rest_responses_", "grpc_responses_", "cluster_", "memory_"],
  },
  neo4j: { name: "neo4j", provides: ["neo4j_"] },
};

/** A service's declared request metrics, as an exporter named after the component. */
function serviceExporter(key: string, c: Component): Exporter[] {
  const r = c.metrics?.requests;
  if (c.type !== "service" || !r) return [];
  return [{ name: key, provides: [r.counter, ...(r.histogram ? [r.histogram + "_"] : [])] }];
}

/** Engines whose metrics are always scraped (an operator's PodMonitor), besides those with an exporter sidecar. */
const ALWAYS_SCRAPED = new Set(["postgres"]);

/** Every exporter the target's fleet runs and scrapes. */
export function exportersOf(target: ResolvedTarget): Exporter[] {
  const out = [...CLUSTER, ...(hasVolumeSnapshots(target) ? [VELERO] : [])];
  const engines = new Set<string>();
  for (const [key, c] of Object.entries(target.components)) {
    if (c.type === "store" && (ALWAYS_SCRAPED.has(c.engine) || ENGINES[c.engine].exporter || c.metrics))
      engines.add(c.engine);
    out.push(...serviceExporter(key, c));
  }
  for (const e of [...engines].sort()) {
    if (ENGINE_EXPORTERS[e]) out.push(ENGINE_EXPORTERS[e]);
    const sidecar = ENGINES[e as StoreEngine].exporter;
    if (sidecar) out.push({ name: sidecar.name, provides: sidecar.provides });
  }
  return out;
}

/** The exporter that provides `metric`, if any does. */
export function exporterOf(exporters: Exporter[], metric: string): Exporter | undefined {
  return exporters.find((e) => e.provides.some((p) => (p.endsWith("_") ? metric.startsWith(p) : metric === p)));
}
