import {
  grafana,
  address,
  configRef,
  platform,
  postgres,
  pubsubEmulator,
  qdrant,
  redis,
  secretRef,
  service,
  url,
} from "../compiler/index.ts";
import type { EnvValue, ServiceComponent } from "../compiler/index.ts";

// The Alfred Agent Platform v2 (seed 004): agent-core behind api.<domain>, the
// chat UI behind ui.<domain>, agent services, an admin UI, PostgreSQL
// (supabase), Redis, a Qdrant vector DB and the Pub/Sub emulator.
//
// The seed's figures: agent-core on 8011 with /health probes (liveness 30s/10s,
// readiness 5s/5s), 500m/1 CPU and 512Mi/1Gi memory; in production an HPA from
// 3 to 10 at 75% CPU and memory, a PodDisruptionBudget of minAvailable 2, and
// rolling updates with maxSurge 1 / maxUnavailable 0; in development 100m/500m
// CPU and 256Mi/512Mi memory. The seed's plaintext `alfred-secrets` Secret is
// an ExternalSecret here: only its key names are in git.
//
// Choices the seed leaves open:
// - The seed's images say `latest`; they are pinned to 2.0.0 (Alfred v2).
// - Agents: financial-tax (9003), legal-compliance (9002) and social-intel
//   (9000), the seed's "financial, social, ..." agents; each calls OpenAI.
// - admin-ui (3007) is internal only (the seed's ingress publishes api and ui).
// - Redis gets a password (`redis-password`), which the seed's Secret lacks.
// - The seed's production `replicas: 5` for agent-core is left to its HPA
//   (an HPA-scaled Deployment carries no replicas).
// - Prometheus and Grafana themselves are the cluster's monitoring stack; this
//   platform ships their inputs: ServiceMonitors every 15s and a dashboard.

const VERSION = "2.0.0";
const PROJECT = "alfred-agent-platform";
const SECRETS = "alfred-secrets";

// The seed's resource block, used by every Alfred deployment.
const RESOURCES = { requests: { cpu: "500m", memory: "512Mi" }, limits: { cpu: "1000m", memory: "1Gi" } };
const ROLLOUT = { maxSurge: 1, maxUnavailable: 0 };
const METRICS = { path: "/metrics", interval: "15s" };
const HEALTH = {
  liveness: { path: "/health", initialDelaySeconds: 30, periodSeconds: 10 },
  readiness: { path: "/health", initialDelaySeconds: 5, periodSeconds: 5 },
};

// What agent-core and every agent read: the environment, the database, Redis and Pub/Sub.
const PLATFORM_ENV: Record<string, EnvValue> = {
  ALFRED_ENVIRONMENT: configRef("environment"),
  ALFRED_LOG_LEVEL: configRef("log-level"),
  ALFRED_DATABASE_URL: secretRef(SECRETS, "database-url"),
  ALFRED_REDIS_URL: url("redis", "redis"),
  ALFRED_REDIS_PASSWORD: secretRef(SECRETS, "redis-password"),
  ALFRED_PUBSUB_PROJECT: configRef("pubsub-project"),
  PUBSUB_EMULATOR_HOST: address("pubsub-emulator"),
};

const AGENTS: Record<string, { port: number; description: string }> = {
  "financial-tax": { port: 9003, description: "Financial and tax analysis agent" },
  "legal-compliance": { port: 9002, description: "Legal and compliance agent" },
  "social-intel": { port: 9000, description: "Social intelligence agent" },
};

// What agent-core and the agents share: the seed's sizes, rolling update and /health probes; config comes through env.
const alfredService = (
  spec: Omit<ServiceComponent, "type" | "resources" | "rollout" | "probes" | "useConfig">,
): ServiceComponent => service({ resources: RESOURCES, rollout: ROLLOUT, probes: HEALTH, useConfig: false, ...spec });

const agent = (name: string, port: number, description: string): ServiceComponent =>
  alfredService({
    description,
    image: `docker.io/alfred-platform/agent-${name}:${VERSION}`,
    ports: { http: port },
    replicas: 2,
    env: {
      ...PLATFORM_ENV,
      ALFRED_VECTOR_DB_URL: configRef("vector-db-url"),
      ALFRED_OPENAI_API_KEY: secretRef(SECRETS, "openai-api-key"),
    },
    egress: { https: true },
    metrics: METRICS,
    dependsOn: ["postgres", "redis", "vector-db", "pubsub-emulator"],
  });

const ui = (name: string, port: number, probe: string, description: string): ServiceComponent =>
  service({
    description,
    image: `docker.io/alfred-platform/${name}:${VERSION}`,
    ports: { http: port },
    replicas: 2,
    resources: RESOURCES,
    rollout: ROLLOUT,
    probes: {
      liveness: { path: probe, initialDelaySeconds: 30, periodSeconds: 10 },
      readiness: { path: probe, initialDelaySeconds: 5, periodSeconds: 5 },
    },
    useConfig: false,
    env: { ALFRED_ENVIRONMENT: configRef("environment"), ALFRED_API_URL: url("agent-core", "http") },
    dependsOn: ["agent-core"],
  });

const agents: Record<string, ServiceComponent> = {};
for (const [name, a] of Object.entries(AGENTS)) agents[`agent-${name}`] = agent(name, a.port, a.description);

// The platform dashboard, loaded into alfred's own Grafana.
const DASHBOARD = {
  title: "Alfred Agent Platform",
  uid: "alfred-platform",
  tags: ["alfred"],
  timezone: "utc",
  schemaVersion: 39,
  refresh: "30s",
  panels: [
    {
      id: 1,
      type: "timeseries",
      title: "Requests per second",
      gridPos: { x: 0, y: 0, w: 12, h: 8 },
      targets: [
        {
          expr: 'sum by (service) (rate(http_requests_total{namespace="alfred-platform"}[5m]))',
          legendFormat: "{{service}}",
        },
      ],
    },
    {
      id: 2,
      type: "timeseries",
      title: "Error rate (5xx)",
      gridPos: { x: 12, y: 0, w: 12, h: 8 },
      targets: [
        {
          expr: 'sum by (service) (rate(http_requests_total{namespace="alfred-platform",status=~"5.."}[5m])) / sum by (service) (rate(http_requests_total{namespace="alfred-platform"}[5m]))',
          legendFormat: "{{service}}",
        },
      ],
    },
    {
      id: 3,
      type: "timeseries",
      title: "p95 latency",
      gridPos: { x: 0, y: 8, w: 12, h: 8 },
      targets: [
        {
          expr: 'histogram_quantile(0.95, sum by (le, service) (rate(http_request_duration_seconds_bucket{namespace="alfred-platform"}[5m])))',
          legendFormat: "{{service}}",
        },
      ],
    },
    {
      id: 4,
      type: "timeseries",
      title: "CPU by pod",
      gridPos: { x: 12, y: 8, w: 12, h: 8 },
      targets: [
        {
          expr: 'sum by (pod) (rate(container_cpu_usage_seconds_total{namespace="alfred-platform",container!=""}[5m]))',
          legendFormat: "{{pod}}",
        },
      ],
    },
    {
      id: 5,
      type: "timeseries",
      title: "Memory by pod",
      gridPos: { x: 0, y: 16, w: 12, h: 8 },
      targets: [
        {
          expr: 'sum by (pod) (container_memory_working_set_bytes{namespace="alfred-platform",container!=""})',
          legendFormat: "{{pod}}",
        },
      ],
    },
    {
      id: 6,
      type: "stat",
      title: "agent-core replicas",
      gridPos: { x: 12, y: 16, w: 12, h: 8 },
      targets: [
        { expr: 'kube_deployment_status_replicas_available{namespace="alfred-platform",deployment="agent-core"}' },
      ],
    },
  ],
};

export default platform({
  name: "alfred",
  namespace: "alfred-platform",
  description: `Alfred Agent Platform v2: agent-core, agents, chat and admin UIs, supabase PostgreSQL, Redis, Qdrant and the Pub/Sub emulator. The seed's latest images are pinned to ${VERSION}.`,
  // The seed's alfred-config ConfigMap (rendered as alfred-config), read key by key.
  config: {
    environment: "production",
    "log-level": "info",
    "db-name": "postgres",
    "redis-host": "redis",
    "pubsub-project": PROJECT,
    "vector-db-url": url("vector-db", "http"),
  },
  components: {
    "agent-core": alfredService({
      description: "Core API: routes requests to the agents",
      image: `docker.io/alfred-platform/agent-core:${VERSION}`,
      ports: { http: 8011 },
      replicas: 3,
      env: {
        ...PLATFORM_ENV,
        ALFRED_JWT_SECRET: secretRef(SECRETS, "jwt-secret"),
        ...Object.fromEntries(
          Object.keys(AGENTS).map((name) => [
            `ALFRED_AGENT_${name.toUpperCase().replace(/-/g, "_")}_URL`,
            url(`agent-${name}`, "http"),
          ]),
        ),
      },
      // The seed's Role: read configmaps and secrets in the namespace.
      access: [{ apiGroups: [""], resources: ["configmaps", "secrets"], verbs: ["get", "list"] }],
      metrics: METRICS,
      dependsOn: ["postgres", "redis", "pubsub-emulator", ...Object.keys(agents)],
    }),
    ...agents,
    "ui-chat": ui("ui-chat", 8501, "/_stcore/health", "Chat UI (Streamlit)"),
    "admin-ui": ui("admin-ui", 3007, "/health", "Admin UI, internal only"),
    postgres: postgres({
      description: "Supabase PostgreSQL",
      image: "docker.io/supabase/postgres:15.1.0.117",
      flavor: "official",
      replicas: 1,
      waive: {
        "min-replicas":
          "the official (supabase) image runs one standalone server per region; volume backups protect it, not replicas",
      },
      storage: "10Gi",
      storageClass: "standard",
      database: "postgres",
      password: secretRef(SECRETS, "db-password"),
      env: { POSTGRES_USER: secretRef(SECRETS, "db-user") },
      resources: RESOURCES,
    }),
    redis: redis({
      description: "Cache and agent state",
      replicas: 2,
      storage: "5Gi",
      storageClass: "standard",
      password: secretRef(SECRETS, "redis-password"),
      resources: RESOURCES,
    }),
    "vector-db": qdrant({
      description: "Qdrant vector database",
      replicas: 3,
      storage: "10Gi",
      storageClass: "standard",
      resources: RESOURCES,
    }),
    "pubsub-emulator": pubsubEmulator({ project: PROJECT }),
    // The seed's monitoring: Prometheus (below, run by the prometheus-operator) and Grafana behind the ingress.
    grafana: grafana({
      description: "Grafana dashboards, at https://alfred-grafana.<region domain>/",
      adminPassword: secretRef(SECRETS, "grafana-admin-password"),
      dashboards: { "alfred-platform": DASHBOARD },
      datasources: { Prometheus: { type: "prometheus", url: "http://prometheus-operated.alfred-platform.svc:9090" } },
      expose: { host: "alfred-grafana", path: "/" },
      rollout: { maxSurge: 1, maxUnavailable: 0 },
    }),
  },
  prometheusStack: {
    prometheus: {
      version: "v2.55.1",
      replicas: 2,
      retention: "15d",
      storage: "20Gi",
      scrapeInterval: "15s",
      resources: { requests: { cpu: "250m", memory: "1Gi" }, limits: { cpu: "1", memory: "2Gi" } },
    },
    alertmanager: {
      version: "v0.27.0",
      replicas: 2,
      storage: "1Gi",
      resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "100m", memory: "128Mi" } },
    },
    queriedBy: ["grafana"],
  },
  // Schema migrations run from agent-core's image before agent-core and the agents start.
  migrations: {
    image: `docker.io/alfred-platform/agent-core:${VERSION}`,
    command: ["python", "-m", "alfred.migrate"],
    env: { ALFRED_DATABASE_URL: secretRef(SECRETS, "database-url") },
    dependsOn: ["postgres"],
  },
  ingresses: {
    "alfred-platform": {
      issuer: "letsencrypt-prod",
      tlsSecret: "alfred-platform-tls",
      rules: [
        { host: "api.alfred-platform", paths: [{ path: "/", component: "agent-core" }] },
        { host: "ui.alfred-platform", paths: [{ path: "/", component: "ui-chat" }] },
      ],
    },
  },
  alerting: {
    receivers: {
      email: {
        to: "alfred-oncall@example.com",
        from: "alertmanager@example.com",
        smarthost: "smtp.example.com:587",
        username: "alertmanager@example.com",
        password: secretRef("alfred-alerting", "smtp-password"),
      },
      slack: { channel: "#alfred-alerts", webhook: secretRef("alfred-alerting", "slack-webhook-url") },
      pagerduty: { routingKey: secretRef("alfred-alerting", "pagerduty-routing-key") },
    },
    runbooks: "https://runbooks.example.com/alfred",
  },
  environments: {
    dev: {
      config: { environment: "development", "log-level": "debug" },
      defaults: { resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "500m", memory: "512Mi" } } },
    },
    // Staging raises every replica count to 2; the singletons stay at 1, and agent-core keeps 3 replicas.
    staging: {
      config: { environment: "staging" },
      components: {
        postgres: { replicas: 1 },
        "vector-db": { replicas: 3 },
        "pubsub-emulator": { replicas: 1 },
        "agent-core": { replicas: 3 },
      },
    },
    production: {
      components: {
        "agent-core": {
          replicas: 5,
          autoscale: { min: 3, max: 10, cpu: 75, memory: 75 },
          disruption: { minAvailable: 2 },
        },
      },
    },
  },
});
