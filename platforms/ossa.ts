import { grafana, platform, postgres, qdrant, redis, secretRef, service, url } from "../compiler/index.ts";
import type { ServiceComponent } from "../compiler/index.ts";

// OSSA v0.1.8 (seeds 000 and 001): seven agent services behind a gateway, a
// monitoring service, and PostgreSQL, Redis and Qdrant. The production numbers
// are the seed's: replicas, autoscaling ranges, CPU 70% / memory 80% targets.
// At minimum replicas the seven services and the data layer request 50 cores
// and 100Gi (limits 100 cores, 200Gi), the seed's cluster minimum, and the
// data volumes add up to its 500 GB of persistent storage.

const VERSION = "0.1.8";

// Every OSSA service shares its size and probes; each passes its own image, range and dependencies.
const agentService = (
  name: string,
  min: number,
  max: number,
  dependsOn: string[],
  extra: Partial<ServiceComponent> = {},
): ServiceComponent =>
  service({
    description: extra.description,
    image: `docker.io/ossa/${name}:${VERSION}`,
    ports: { http: 3000 },
    replicas: min,
    // CPU 70%, memory 80%, and the seed's custom metrics: queue depth and response time. Every cluster that runs
    // them must serve both (its contract's customMetrics, regions/_contract.ts), or the compile refuses the HPA.
    autoscale: {
      min,
      max,
      cpu: 70,
      memory: 80,
      metrics: [
        { name: "ossa_queue_depth", averageValue: "30" },
        { name: "ossa_response_time_seconds", averageValue: "500m" },
      ],
    },
    resources: { requests: { cpu: "1", memory: "2Gi" }, limits: { cpu: "2", memory: "4Gi" } },
    probes: {
      startup: { path: "/health", periodSeconds: 5, failureThreshold: 30 },
      liveness: { path: "/health" },
      readiness: { path: "/ready" },
    },
    env: {
      DB_PASSWORD: secretRef("ossa-postgresql", "password"),
      REDIS_PASSWORD: secretRef("ossa-redis", "password"),
    },
    dependsOn,
    metrics: { path: "/metrics" },
    // The HPA scales on cpu and memory, so the VPA only recommends.
    verticalScaling: { mode: "Off", min: { cpu: "250m", memory: "512Mi" }, max: { cpu: "2", memory: "4Gi" } },
    ...extra,
  });

// Stores take the VPA's requests when pods are created, never above their limits.
const storeVpa = { mode: "Initial" as const, min: { cpu: "250m", memory: "512Mi" }, max: { cpu: "2", memory: "4Gi" } };

// SLO: 99.97% of the gateway's requests succeed over 30 days, as an error budget (burn-rate alerts, see the README).
// The dashboards' uptime series are the SLO's recorded success ratio over 5 minutes, 1 hour and 24 hours.
const UPTIME_TARGET = 99.97;
const GATEWAY = 'namespace="ossa-platform",job="ossa-gateway"';
const uptime = (window: string) => `100 * (1 - slo:sli_error:ratio_rate${window}{slo="availability"})`;
const REQUESTS = {
  counter: "http_requests_total",
  errors: 'status=~"5.."',
  histogram: "http_request_duration_seconds",
};
const ALERTING = "ossa-alerting";

// The SLO dashboard of ossa's own Grafana: uptime over three windows, and how fast the error budget burns.
const stat = (id: number, window: string, x: number) => ({
  id,
  type: "stat",
  title: `Uptime (${window})`,
  gridPos: { x, y: 0, w: 8, h: 6 },
  fieldConfig: { defaults: { unit: "percent", decimals: 3 } },
  targets: [{ expr: `ossa:uptime_percentage_${window}` }],
});
const SLO_DASHBOARD = {
  title: "OSSA availability SLO",
  uid: "ossa-slo",
  tags: ["ossa", "slo"],
  timezone: "utc",
  schemaVersion: 39,
  refresh: "1m",
  panels: [
    stat(1, "5m", 0),
    stat(2, "1h", 8),
    stat(3, "24h", 16),
    {
      id: 4,
      type: "timeseries",
      title: `Error budget burn rate (1 = the ${UPTIME_TARGET}% budget lasts exactly 30 days)`,
      gridPos: { x: 0, y: 6, w: 24, h: 9 },
      targets: ["5m", "1h", "6h", "1d"].map((w) => ({
        expr: `slo:sli_error:ratio_rate${w}{slo="availability"} / ${Number(((100 - UPTIME_TARGET) / 100).toPrecision(12))}`,
        legendFormat: w,
      })),
    },
  ],
};

export default platform({
  name: "ossa",
  namespace: "ossa-platform",
  namePrefix: "ossa-",
  description: "Open Standards for Scalable Agents (OSSA) v0.1.8, with a 99.97% uptime target in production.",
  config: {
    OSSA_VERSION: VERSION,
    NODE_ENV: "production",
    POSTGRES_URL: url("postgresql", "postgresql", { path: "/ossa" }),
    REDIS_URL: url("redis", "redis"),
    QDRANT_URL: url("qdrant", "http"),
  },
  components: {
    postgresql: postgres({
      description: "Primary database, with read replicas",
      replicas: 3,
      storage: "100Gi",
      database: "ossa",
      user: "ossa",
      password: secretRef("ossa-postgresql", "password"),
      resources: { requests: { cpu: "1", memory: "2Gi" }, limits: { cpu: "2", memory: "4Gi" } },
    }),
    redis: redis({
      description: "Caching and session store",
      replicas: 3,
      storage: "20Gi",
      password: secretRef("ossa-redis", "password"),
      resources: { requests: { cpu: "1", memory: "2Gi" }, limits: { cpu: "2", memory: "4Gi" } },
      verticalScaling: storeVpa,
    }),
    qdrant: qdrant({
      description: "Vector database for AI operations",
      replicas: 3,
      storage: "50Gi",
      resources: { requests: { cpu: "1", memory: "2Gi" }, limits: { cpu: "2", memory: "4Gi" } },
      verticalScaling: storeVpa,
    }),
    discovery: agentService("discovery", 5, 30, ["postgresql", "redis"], {
      description: "Agent discovery and registry",
    }),
    coordination: agentService("coordination", 3, 10, ["redis", "discovery"], {
      description: "Inter-agent coordination",
    }),
    orchestration: agentService("orchestration", 4, 40, ["postgresql", "redis", "coordination"], {
      description: "Workflow orchestration",
    }),
    "task-agents": agentService("task-agent", 10, 200, ["orchestration", "qdrant"], {
      description: "AI task execution agents",
    }),
    "communication-agents": agentService("communication-agent", 8, 100, ["redis", "coordination"], {
      description: "Message routing and protocol bridging",
    }),
    "mcp-agents": agentService("mcp-bridge-agent", 6, 80, ["discovery"], {
      description: "Model Context Protocol bridge agents",
    }),
    gateway: agentService("gateway", 5, 50, ["orchestration", "discovery"], {
      description: "Main API gateway",
      metrics: { path: "/metrics", requests: REQUESTS },
      expose: { host: "ossa-api", path: "/" },
      env: {
        DB_PASSWORD: secretRef("ossa-postgresql", "password"),
        REDIS_PASSWORD: secretRef("ossa-redis", "password"),
        JWT_SECRET: secretRef("ossa-api", "jwt-secret"),
      },
    }),
    monitoring: service({
      description: "System monitoring and health checks",
      image: `docker.io/ossa/monitoring:${VERSION}`,
      ports: { http: 3000 },
      replicas: 2,
      resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "500m", memory: "1Gi" } },
      probes: { liveness: { path: "/health" }, readiness: { path: "/ready" } },
      metrics: { path: "/metrics" },
      verticalScaling: { mode: "Auto", min: { cpu: "100m", memory: "256Mi" }, max: { cpu: "500m", memory: "1Gi" } },
    }),
    grafana: grafana({
      description: "Grafana dashboards, at https://ossa-monitoring.<region domain>/",
      adminPassword: secretRef("ossa-grafana-secret", "admin-password"),
      dashboards: { "ossa-slo": SLO_DASHBOARD },
      // Grafana reads Prometheus (the operator's service) and Jaeger.
      datasources: {
        Prometheus: { type: "prometheus", url: "http://prometheus-operated.ossa-platform.svc:9090" },
        Jaeger: { type: "jaeger", url: "http://ossa-jaeger.ossa-platform.svc:16686" },
      },
      dependsOn: ["jaeger"],
      expose: { host: "ossa-monitoring", path: "/" },
    }),
    jaeger: service({
      description: "Jaeger distributed tracing (all-in-one, in-memory)",
      image: "docker.io/jaegertracing/all-in-one:1.62.0",
      waive: {
        "min-replicas":
          "the all-in-one image keeps traces in memory; a second replica would hold a different half of them",
      },
      ports: { ui: 16686, "otlp-grpc": 4317, "otlp-http": 4318, collector: 14268, zipkin: 9411, admin: 14269 },
      replicas: 1,
      resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "1", memory: "2Gi" } },
      probes: { liveness: { path: "/", port: "admin" }, readiness: { path: "/", port: "admin" } },
      env: { COLLECTOR_ZIPKIN_HOST_PORT: ":9411", MEMORY_MAX_TRACES: "100000" },
      useConfig: false,
      metrics: { port: "admin", path: "/metrics" },
      verticalScaling: { mode: "Off" },
    }),
  },
  // Every pod (Istio's sidecars included) sends spans to Jaeger.
  tracing: { collector: "jaeger", ports: ["otlp-grpc", "otlp-http", "collector", "zipkin"] },
  // Prometheus and Alertmanager, run by the prometheus-operator; Grafana queries Prometheus.
  prometheusStack: {
    prometheus: {
      version: "v2.55.1",
      replicas: 2,
      retention: "15d",
      storage: "50Gi",
      scrapeInterval: "30s",
      resources: { requests: { cpu: "500m", memory: "2Gi" }, limits: { cpu: "2", memory: "4Gi" } },
    },
    alertmanager: {
      version: "v0.27.0",
      replicas: 2,
      storage: "5Gi",
      resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "200m", memory: "256Mi" } },
    },
    queriedBy: ["grafana"],
  },
  // Istio: STRICT mTLS, circuit breaking on every agent service, deny-by-default authorization from the dependency
  // graph.
  mesh: {
    mtls: "STRICT",
    circuitBreaking: Object.fromEntries(
      [
        "gateway",
        "discovery",
        "coordination",
        "orchestration",
        "task-agents",
        "communication-agents",
        "mcp-agents",
      ].map((k) => [
        k,
        {
          loadBalancer: "LEAST_REQUEST" as const,
          maxConnections: 1000,
          maxPendingRequests: 100,
          maxRequests: 1000,
          consecutive5xxErrors: 5,
          interval: "30s",
          baseEjectionTime: "30s",
          maxEjectionPercent: 50,
        },
      ]),
    ),
  },
  slos: {
    availability: {
      objective: UPTIME_TARGET,
      windowDays: 30,
      events: {
        type: "requests",
        total: `http_requests_total{${GATEWAY}}`,
        good: `http_requests_total{${GATEWAY},status!~"5.."}`,
      },
      summary: "OSSA API availability",
    },
  },
  recordingRules: {
    "ossa-slo": [
      { record: "ossa:uptime_percentage_5m", expr: uptime("5m") },
      { record: "ossa:uptime_percentage_1h", expr: uptime("1h") },
      { record: "ossa:uptime_percentage_24h", expr: uptime("1d") },
    ],
  },
  alerting: {
    receivers: {
      email: {
        to: "ossa-oncall@example.com",
        from: "alertmanager@example.com",
        smarthost: "smtp.example.com:587",
        username: "alertmanager@example.com",
        password: secretRef(ALERTING, "smtp-password"),
      },
      slack: { channel: "#ossa-alerts", webhook: secretRef(ALERTING, "slack-webhook-url") },
      pagerduty: { routingKey: secretRef(ALERTING, "pagerduty-routing-key") },
    },
    runbooks: "https://runbooks.example.com/ossa",
  },
  migrations: {
    image: `docker.io/ossa/orchestration:${VERSION}`,
    command: ["node", "scripts/migrate.js"],
    env: { DB_PASSWORD: secretRef("ossa-postgresql", "password") },
    dependsOn: ["postgresql"],
  },
  notify: { webhook: secretRef("ossa-notifications", "slack-webhook-url") },
  environments: {
    dev: { config: { NODE_ENV: "development" } },
    staging: { config: { NODE_ENV: "staging" } },
  },
});
