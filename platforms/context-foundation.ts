import { neo4j, platform, qdrant, secretRef, service, url } from "../compiler/index.ts";
import type { AlertRule } from "../compiler/index.ts";

// The Multi-Layer Context Foundation (seed 003): a FastAPI service on port 8000
// in front of a 3-node Qdrant cluster (6333 HTTP, 6334 gRPC, 6335 P2P) and a
// 3-node Neo4j cluster (7474 HTTP, 7473 HTTPS, 7687 Bolt), behind an Istio
// gateway with STRICT mTLS. The API autoscales from 3 to 20 replicas; the
// overlays run 1 replica in development, 2 in staging and 5 in production, so
// in staging and production the overlay's count is the HPA's floor (an HPA
// owns the replica count; Argo CD must not set one).
//
// Image: the seed names only `ghcr.io/dpdpdpdp0987/context-api:v2.0.0` (its
// update example; the base manifests are not shown and would float on the
// default tag), so v2.0.0 is pinned here.
//
// Sizes follow the seed's resource summary: at minimum replicas production
// requests 31 cores and 62Gi (seed: 24+ cores, 48+ GB), at the HPA maximum
// 61 cores and 122Gi (seed: 60+ and 120+), and the data and backup volumes
// add up to 1.1Ti (seed: 1+ TB, expandable).

const NS = "context-foundation";
const API = "context-api";
const secret = (key: string) => secretRef("context-secrets", key);

const pvcUsage = (set: string) =>
  `max by (persistentvolumeclaim) (kubelet_volume_stats_used_bytes{namespace="${NS}",persistentvolumeclaim=~"data-${set}-[0-9]+"} / kubelet_volume_stats_capacity_bytes{namespace="${NS}",persistentvolumeclaim=~"data-${set}-[0-9]+"}) > 0.85`;
const memoryOfLimit = (container: string) =>
  `max by (pod) (container_memory_working_set_bytes{namespace="${NS}",container="${container}"} / on (pod, container) kube_pod_container_resource_limits{namespace="${NS}",container="${container}",resource="memory"})`;

const alerts: Record<string, AlertRule[]> = {
  "context-api": [
    {
      alert: "ContextAPIHighErrorRate",
      severity: "critical",
      for: "5m",
      summary: "Context API error rate is above 5%",
      expr: `sum(rate(http_requests_total{namespace="${NS}",job="${API}",status=~"5.."}[5m])) / sum(rate(http_requests_total{namespace="${NS}",job="${API}"}[5m])) > 0.05`,
    },
    {
      alert: "ContextAPIHighLatency",
      severity: "warning",
      for: "5m",
      summary: "Context API p95 latency is above 2s",
      expr: `histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{namespace="${NS}",job="${API}"}[5m]))) > 2`,
    },
    {
      alert: "ContextAPIPodDown",
      severity: "critical",
      for: "2m",
      summary: "Fewer than 2 Context API replicas are available",
      expr: `kube_deployment_status_replicas_available{namespace="${NS}",deployment="${API}"} < 2`,
    },
    {
      alert: "ContextAPIMemoryPressure",
      severity: "warning",
      for: "5m",
      summary: "A Context API pod uses more than 90% of its memory limit",
      expr: `${memoryOfLimit(API)} > 0.9`,
    },
    {
      alert: "ContextAPIHighCPUUsage",
      severity: "warning",
      for: "10m",
      summary: "A Context API pod uses more than 90% of its CPU limit",
      expr: `max by (pod) (rate(container_cpu_usage_seconds_total{namespace="${NS}",container="${API}"}[5m]) / on (pod, container) kube_pod_container_resource_limits{namespace="${NS}",container="${API}",resource="cpu"}) > 0.9`,
    },
    {
      alert: "ContextAPIAutoscalerAtMaximum",
      severity: "warning",
      for: "15m",
      summary: "The Context API HPA has been at its maximum replicas for 15 minutes",
      expr: `kube_horizontalpodautoscaler_status_current_replicas{namespace="${NS}",horizontalpodautoscaler="${API}"} >= kube_horizontalpodautoscaler_spec_max_replicas{namespace="${NS}",horizontalpodautoscaler="${API}"}`,
    },
  ],
  qdrant: [
    {
      alert: "QdrantPodDown",
      severity: "critical",
      for: "2m",
      summary: "Fewer than 2 Qdrant replicas are ready",
      expr: `kube_statefulset_status_replicas_ready{namespace="${NS}",statefulset="qdrant"} < 2`,
    },
    {
      alert: "QdrantHighDiskUsage",
      severity: "warning",
      for: "10m",
      summary: "A Qdrant volume is more than 85% full",
      expr: pvcUsage("qdrant"),
    },
    {
      alert: "QdrantSearchLatencyHigh",
      severity: "warning",
      for: "5m",
      summary: "Qdrant search p95 latency is above 1s",
      expr: `histogram_quantile(0.95, sum by (le) (rate(rest_responses_duration_seconds_bucket{namespace="${NS}",job="qdrant",endpoint=~".*search.*"}[5m]))) > 1`,
    },
    {
      alert: "QdrantMemoryPressure",
      severity: "warning",
      for: "5m",
      summary: "A Qdrant pod uses more than 90% of its memory limit",
      expr: `${memoryOfLimit("qdrant")} > 0.9`,
    },
  ],
  neo4j: [
    {
      alert: "Neo4jPodDown",
      severity: "critical",
      for: "2m",
      summary: "Fewer than 2 Neo4j replicas are ready",
      expr: `kube_statefulset_status_replicas_ready{namespace="${NS}",statefulset="neo4j"} < 2`,
    },
    {
      alert: "Neo4jHighDiskUsage",
      severity: "warning",
      for: "10m",
      summary: "A Neo4j volume is more than 85% full",
      expr: pvcUsage("neo4j"),
    },
    {
      alert: "Neo4jClusterNotHealthy",
      severity: "critical",
      for: "2m",
      summary: "The Neo4j cluster has no leader",
      expr: `sum(neo4j_database_neo4j_cluster_raft_is_leader{namespace="${NS}",job="neo4j"}) < 1 or absent(neo4j_database_neo4j_cluster_raft_is_leader{namespace="${NS}",job="neo4j"})`,
    },
    {
      alert: "Neo4jHighQueryLatency",
      severity: "warning",
      for: "5m",
      summary: "Neo4j query p95 latency is above 5s",
      expr: `max(neo4j_database_neo4j_db_query_execution_latency_millis{namespace="${NS}",job="neo4j",quantile="0.95"}) > 5000`,
    },
    {
      alert: "Neo4jMemoryPressure",
      severity: "warning",
      for: "5m",
      summary: "A Neo4j pod uses more than 90% of its memory limit",
      expr: `${memoryOfLimit("neo4j")} > 0.9`,
    },
  ],
};

// The Grafana dashboard: 12 panels over the seed's API, Qdrant and Neo4j metrics.
const panel = (id: number, title: string, unit: string, exprs: Record<string, string>) => ({
  id,
  title,
  type: "timeseries",
  datasource: { type: "prometheus", uid: "${datasource}" },
  gridPos: { h: 8, w: 8, x: ((id - 1) % 3) * 8, y: Math.floor((id - 1) / 3) * 8 },
  fieldConfig: { defaults: { unit }, overrides: [] },
  targets: Object.entries(exprs).map(([legendFormat, expr], i) => ({
    refId: String.fromCharCode(65 + i),
    expr,
    legendFormat,
  })),
});
const ns = `namespace="${NS}"`;
const dashboard = {
  title: "Context Foundation",
  uid: "context-foundation",
  tags: ["context-foundation"],
  timezone: "utc",
  schemaVersion: 39,
  refresh: "30s",
  time: { from: "now-6h", to: "now" },
  templating: { list: [{ name: "datasource", type: "datasource", query: "prometheus", label: "Data source" }] },
  panels: [
    panel(1, "API request rate", "reqps", { requests: `sum(rate(http_requests_total{${ns},job="${API}"}[5m]))` }),
    panel(
      2,
      "API response time",
      "s",
      Object.fromEntries(
        ["0.5", "0.95", "0.99"].map((q) => [
          `p${Number(q) * 100}`,
          `histogram_quantile(${q}, sum by (le) (rate(http_request_duration_seconds_bucket{${ns},job="${API}"}[5m])))`,
        ]),
      ),
    ),
    panel(3, "API error rate", "percentunit", {
      errors: `sum(rate(http_requests_total{${ns},job="${API}",status=~"5.."}[5m])) / sum(rate(http_requests_total{${ns},job="${API}"}[5m]))`,
    }),
    panel(4, "API active connections", "short", { connections: `sum(http_requests_in_progress{${ns},job="${API}"})` }),
    panel(5, "API CPU and memory", "short", {
      "cpu cores": `sum(rate(container_cpu_usage_seconds_total{${ns},container="${API}"}[5m]))`,
      "memory GiB": `sum(container_memory_working_set_bytes{${ns},container="${API}"}) / 1073741824`,
    }),
    panel(6, "Qdrant search requests", "reqps", {
      searches: `sum(rate(rest_responses_total{${ns},job="qdrant",endpoint=~".*search.*"}[5m]))`,
    }),
    panel(7, "Qdrant search latency", "s", {
      p95: `histogram_quantile(0.95, sum by (le) (rate(rest_responses_duration_seconds_bucket{${ns},job="qdrant",endpoint=~".*search.*"}[5m])))`,
    }),
    panel(8, "Qdrant collection size", "short", { vectors: `sum(collections_vector_total{${ns},job="qdrant"})` }),
    panel(9, "Qdrant memory and disk", "bytes", {
      memory: `sum(container_memory_working_set_bytes{${ns},container="qdrant"})`,
      disk: `sum(kubelet_volume_stats_used_bytes{${ns},persistentvolumeclaim=~"data-qdrant-[0-9]+"})`,
    }),
    panel(10, "Neo4j transactions and query latency", "short", {
      "transactions/s": `sum(rate(neo4j_database_neo4j_transaction_committed_total{${ns},job="neo4j"}[5m]))`,
      "query p95 ms": `max(neo4j_database_neo4j_db_query_execution_latency_millis{${ns},job="neo4j",quantile="0.95"})`,
    }),
    panel(11, "Neo4j cache hit rate and store size", "short", {
      "page cache hit ratio": `avg(neo4j_dbms_page_cache_hit_ratio{${ns},job="neo4j"})`,
      "store GiB": `sum(neo4j_database_neo4j_store_size_total{${ns},job="neo4j"}) / 1073741824`,
    }),
    panel(12, "Neo4j cluster health", "short", {
      leaders: `sum(neo4j_database_neo4j_cluster_raft_is_leader{${ns},job="neo4j"})`,
      "ready members": `kube_statefulset_status_replicas_ready{${ns},statefulset="neo4j"}`,
    }),
  ],
};

export default platform({
  name: "context-foundation",
  namespace: NS,
  description:
    "Multi-Layer Context Foundation: an API over a Qdrant vector cluster and a Neo4j graph cluster, in an Istio mesh.",
  config: {
    ENVIRONMENT: "production",
    LOG_LEVEL: "INFO",
    QDRANT_HOST: "qdrant",
    QDRANT_PORT: "6333",
    NEO4J_URI: url("neo4j", "neo4j", { port: "bolt" }),
  },
  components: {
    [API]: service({
      description: "FastAPI context API",
      image: "ghcr.io/dpdpdpdp0987/context-api:v2.0.0",
      ports: { http: 8000 },
      replicas: 3,
      autoscale: { min: 3, max: 20, cpu: 70, memory: 80 },
      resources: { requests: { cpu: "2", memory: "4Gi" }, limits: { cpu: "4", memory: "8Gi" } },
      rollout: { maxSurge: 1, maxUnavailable: 0 },
      probes: {
        startup: { path: "/health", periodSeconds: 5, failureThreshold: 30 },
        liveness: { path: "/health" },
        readiness: { path: "/health" },
      },
      env: {
        NEO4J_USER: secret("NEO4J_USER"),
        NEO4J_PASSWORD: secret("NEO4J_PASSWORD"),
        JWT_SECRET: secret("JWT_SECRET"),
        API_KEY: secret("API_KEY"),
      },
      dependsOn: ["qdrant", "neo4j"],
      metrics: {
        path: "/metrics",
        interval: "30s",
        requests: {
          counter: "http_requests_total",
          errors: 'status=~"5.."',
          histogram: "http_request_duration_seconds",
        },
      },
      // The HPA scales on cpu and memory, so the VPA only recommends.
      verticalScaling: { mode: "Off", min: { cpu: "250m", memory: "512Mi" }, max: { cpu: "4", memory: "8Gi" } },
    }),
    qdrant: qdrant({
      description: "Vector database cluster",
      replicas: 3,
      storage: "100Gi",
      storageClass: "fast-ssd",
      resources: { requests: { cpu: "3", memory: "6Gi" }, limits: { cpu: "4", memory: "8Gi" } },
      metrics: { port: "http", path: "/metrics" },
      // Applied when pods are created; requests only, up to the limits.
      verticalScaling: { mode: "Initial", min: { cpu: "500m", memory: "1Gi" }, max: { cpu: "4", memory: "8Gi" } },
    }),
    neo4j: neo4j({
      description: "Graph database cluster",
      replicas: 3,
      storage: "100Gi",
      storageClass: "fast-ssd",
      password: secret("NEO4J_AUTH"),
      resources: { requests: { cpu: "4", memory: "8Gi" }, limits: { cpu: "4", memory: "8Gi" } },
      env: {
        NEO4J_server_memory_heap_initial__size: "3g",
        NEO4J_server_memory_heap_max__size: "3g",
        NEO4J_server_memory_pagecache_size: "3g",
      },
      metrics: { port: "metrics", path: "/metrics" },
      verticalScaling: { mode: "Initial", min: { cpu: "1", memory: "2Gi" }, max: { cpu: "4", memory: "8Gi" } },
      // Full online backups (neo4j-admin database backup) at 02:00 UTC, staged on the archive volume rather than the
      // node's disk, then uploaded to the region's object store and kept two weeks there.
      backup: { schedule: "0 2 * * *", retentionDays: 14, volume: "backup" },
    }),
  },
  // StorageClasses belong to the cluster: addons/storage.ts renders fast-ssd, standard (the default) and archive.
  volumes: {
    // ReadWriteOnce (EBS): only the Neo4j backup CronJob mounts it, one run at a time; Qdrant's snapshots stage on
    // the node's disk.
    backup: { description: "Neo4j backups, staged before the upload", storage: "500Gi", storageClass: "archive" },
  },
  mesh: {
    mtls: "STRICT",
    gateway: {
      host: "context-api",
      credentialName: "context-foundation-tls",
      routes: [{ component: API, prefix: "/", timeout: "30s", retries: { attempts: 3, perTryTimeout: "10s" } }],
    },
    circuitBreaking: {
      [API]: {
        loadBalancer: "LEAST_REQUEST",
        maxConnections: 1000,
        maxPendingRequests: 100,
        maxRequests: 1000,
        maxRequestsPerConnection: 10,
        consecutive5xxErrors: 5,
        interval: "30s",
        baseEjectionTime: "30s",
        maxEjectionPercent: 50,
      },
      qdrant: {
        loadBalancer: "LEAST_REQUEST",
        maxConnections: 500,
        maxPendingRequests: 100,
        maxRequests: 500,
        consecutive5xxErrors: 5,
        interval: "30s",
        baseEjectionTime: "60s",
        maxEjectionPercent: 34,
      },
      neo4j: {
        maxConnections: 500,
        consecutive5xxErrors: 5,
        interval: "30s",
        baseEjectionTime: "60s",
        maxEjectionPercent: 34,
      },
    },
  },
  alerts,
  alerting: {
    receivers: {
      email: {
        to: "context-foundation-oncall@example.com",
        from: "alertmanager@example.com",
        smarthost: "smtp.example.com:587",
        username: "alertmanager@example.com",
        password: secretRef("context-alerting", "smtp-password"),
      },
      slack: { channel: "#context-foundation-alerts", webhook: secretRef("context-alerting", "slack-webhook-url") },
      pagerduty: { routingKey: secretRef("context-alerting", "pagerduty-routing-key") },
    },
    runbooks: "https://runbooks.example.com/context-foundation",
    // The seed's own alerts above already watch these; the generated twins would say the same thing twice.
    off: [
      "ContextFoundationContextApiAutoscalerAtMaximum",
      "ContextFoundationContextApiCPUSaturated",
      "ContextFoundationContextApiHighErrorRate",
      "ContextFoundationContextApiHighLatency",
      "ContextFoundationContextApiMemorySaturated",
      "ContextFoundationNeo4jMemorySaturated",
      "ContextFoundationQdrantMemorySaturated",
    ],
  },
  dashboards: { "context-foundation": dashboard },
  environments: {
    dev: {
      config: { ENVIRONMENT: "development", LOG_LEVEL: "DEBUG" },
      // Dev runs one replica of each: "fewer than 2" would fire for ever. The generated Down alerts (none left) stay.
      alerting: { off: ["ContextAPIPodDown", "Neo4jPodDown", "QdrantPodDown"] },
      // The seed's development minimum is 100 GB of storage in all. EBS sets the floor higher: fast-ssd's 16,000 IOPS
      // need 32 GiB at gp3's 500 IOPS per GiB, and an sc1 volume is at least 125 GiB.
      volumes: { backup: { storage: "125Gi" } },
      components: {
        qdrant: { storage: "32Gi" },
        neo4j: {
          storage: "32Gi",
          resources: { requests: { cpu: "500m", memory: "2Gi" }, limits: { cpu: "1", memory: "2Gi" } },
          env: {
            NEO4J_server_memory_heap_initial__size: "512m",
            NEO4J_server_memory_heap_max__size: "512m",
            NEO4J_server_memory_pagecache_size: "512m",
          },
        },
      },
    },
    staging: {
      config: { ENVIRONMENT: "staging" },
      // Two API replicas; the stores stay three-member clusters (a two-member Raft group cannot lose a member).
      components: { [API]: { replicas: 2, autoscale: { min: 2 } }, qdrant: { replicas: 3 }, neo4j: { replicas: 3 } },
    },
    production: {
      components: { [API]: { replicas: 5, autoscale: { min: 5 } } },
    },
  },
});
