import {
  ingressUrl,
  nats,
  platform,
  postgres,
  qdrant,
  secretRef,
  service,
  url,
  webFrontend,
} from "../compiler/index.ts";
import type { EnvValue, Resources, ServiceComponent } from "../compiler/index.ts";

// The Multi-Agent Platform (seed 002): seven services, a Next.js frontend,
// PostgreSQL, Qdrant and NATS. The seed's figures: ports 3000-3006, 2 replicas
// each, an HPA on every service (8 in all, the frontend included) from 2 to 10
// at CPU 70% / memory 80%, and the resource ranges below ("X-Y" in the seed is
// requests X, limits Y). Each service's URLs follow the seed's "connects" lists,
// and its dependsOn the same, so the NetworkPolicies allow exactly that traffic.
//
// Choices the seed leaves open:
// - Images are pinned to 1.0.0 (the seed builds them with Skaffold, tagged by commit).
// - NATS ("already existed, not modified") runs JetStream, 3 servers outside dev.
// - Qdrant's LoadBalancer Service is internal (VPC-only), limited to 10.0.0.0/8,
//   and Qdrant requires an API key: a public, unauthenticated vector store would
//   expose every embedding. Change `sourceRanges` to widen it.
// - Postgres's init scripts enable the extensions the services use.

const VERSION = "1.0.0";

const range = (cpu: [string, string], memory: [string, string]): Resources => ({
  requests: { cpu: cpu[0], memory: memory[0] },
  limits: { cpu: cpu[1], memory: memory[1] },
});

const AUTOSCALE = { min: 2, max: 10, cpu: 70, memory: 80 };

// What every service reads: its database and the message bus.
const DATA: Record<string, EnvValue> = {
  DATABASE_URL: url("postgres", "postgresql", { path: "/multi_agent" }),
  DB_USER: "multi_agent",
  DB_PASSWORD: secretRef("multi-agent-postgres", "password"),
  NATS_URL: url("nats", "nats"),
};
const AI_KEYS: Record<string, EnvValue> = {
  OPENAI_API_KEY: secretRef("multi-agent-openai", "api-key"),
  ANTHROPIC_API_KEY: secretRef("multi-agent-anthropic", "api-key"),
};

const microservice = (
  name: string,
  port: number,
  resources: Resources,
  connects: Record<string, EnvValue>,
  dependsOn: string[],
  extra: Partial<ServiceComponent> = {},
): ServiceComponent =>
  service({
    image: `docker.io/multi-agent/${name}-service:${VERSION}`,
    ports: { http: port },
    replicas: 2,
    autoscale: AUTOSCALE,
    resources,
    probes: {
      liveness: { path: "/health", initialDelaySeconds: 30 },
      readiness: { path: "/health", initialDelaySeconds: 5, periodSeconds: 5 },
    },
    env: { PORT: String(port), ...DATA, ...connects },
    dependsOn: [...dependsOn, "postgres", "nats"],
    ...extra,
  });

export default platform({
  name: "multi-agent",
  namespace: "multi-agent",
  description: `Multi-Agent Platform ${VERSION}: seven services, a Next.js frontend, PostgreSQL, Qdrant and NATS. Images pinned to ${VERSION}.`,
  config: { NODE_ENV: "production", LOG_LEVEL: "info" },
  components: {
    postgres: postgres({
      description: "PostgreSQL, the services' shared database",
      replicas: 2,
      storage: "10Gi",
      database: "multi_agent",
      user: "multi_agent",
      password: secretRef("multi-agent-postgres", "password"),
      resources: range(["250m", "1000m"], ["256Mi", "1Gi"]),
      initScripts: {
        "01-extensions.sql": 'CREATE EXTENSION IF NOT EXISTS "uuid-ossp";\nCREATE EXTENSION IF NOT EXISTS pgcrypto;',
      },
    }),
    qdrant: qdrant({
      description: "Qdrant vector database, also reachable from the VPC through an internal load balancer",
      replicas: 3,
      storage: "10Gi",
      password: secretRef("multi-agent-qdrant", "api-key"),
      resources: range(["500m", "2000m"], ["512Mi", "2Gi"]),
      loadBalancer: { port: "http", internal: true, sourceRanges: ["10.0.0.0/8"] },
    }),
    nats: nats({
      description: "NATS messaging with JetStream",
      replicas: 3,
      storage: "5Gi",
      resources: range(["100m", "500m"], ["128Mi", "512Mi"]),
    }),
    gateway: microservice(
      "gateway",
      3000,
      range(["200m", "500m"], ["256Mi", "512Mi"]),
      {
        ORCHESTRATION_SERVICE_URL: url("orchestration", "http"),
        JWT_SECRET: secretRef("multi-agent-jwt", "secret"),
      },
      ["orchestration"],
      { description: "API gateway: authentication and routing" },
    ),
    orchestration: microservice(
      "orchestration",
      3001,
      range(["300m", "1000m"], ["512Mi", "1Gi"]),
      {
        AGENT_SERVICE_URL: url("agent", "http"),
        TOOL_SERVICE_URL: url("tool", "http"),
        MODEL_SERVICE_URL: url("model", "http"),
        VECTOR_SERVICE_URL: url("vector", "http"),
        EXECUTION_SERVICE_URL: url("execution", "http"),
      },
      ["agent", "tool", "model", "vector", "execution"],
      { description: "Workflow orchestration across every service" },
    ),
    agent: microservice(
      "agent",
      3002,
      range(["300m", "2000m"], ["1Gi", "4Gi"]),
      {
        MODEL_SERVICE_URL: url("model", "http"),
        TOOL_SERVICE_URL: url("tool", "http"),
        ...AI_KEYS,
      },
      ["model", "tool"],
      { description: "Agent runtime (LLM operations)", egress: { https: true } },
    ),
    tool: microservice("tool", 3003, range(["200m", "500m"], ["256Mi", "512Mi"]), {}, [], {
      description: "Tool registry and invocation",
    }),
    model: microservice("model", 3004, range(["500m", "2000m"], ["1Gi", "4Gi"]), { ...AI_KEYS }, [], {
      description: "Model gateway to OpenAI and Anthropic",
      egress: { https: true },
    }),
    vector: microservice(
      "vector",
      3005,
      range(["300m", "1000m"], ["512Mi", "2Gi"]),
      {
        QDRANT_URL: url("qdrant", "http"),
        QDRANT_API_KEY: secretRef("multi-agent-qdrant", "api-key"),
        OPENAI_API_KEY: secretRef("multi-agent-openai", "api-key"),
      },
      ["qdrant"],
      { description: "Embeddings and vector search", egress: { https: true } },
    ),
    execution: microservice("execution", 3006, range(["200m", "1000m"], ["256Mi", "1Gi"]), {}, [], {
      description: "Sandboxed task execution",
    }),
    frontend: webFrontend({
      description: "Next.js web frontend",
      image: `docker.io/multi-agent/frontend:${VERSION}`,
      port: 3001,
      replicas: 2,
      autoscale: AUTOSCALE,
      resources: range(["200m", "500m"], ["256Mi", "512Mi"]),
      publicEnv: {
        NEXT_PUBLIC_APP_URL: ingressUrl("multi-agent"),
        NEXT_PUBLIC_API_URL: ingressUrl("api.multi-agent"),
        API_URL: url("gateway", "http"),
      },
      dependsOn: ["gateway"],
    }),
  },
  // The seed names "database migration jobs" but no tool: the orchestration image carries the schema.
  migrations: {
    image: `docker.io/multi-agent/orchestration-service:${VERSION}`,
    command: ["npm", "run", "migrate"],
    // The schema only: the database, not the message bus (its policies admit only the database).
    env: { DATABASE_URL: DATA.DATABASE_URL, DB_USER: DATA.DB_USER, DB_PASSWORD: DATA.DB_PASSWORD },
    dependsOn: ["postgres"],
  },
  // NGINX path routing: the frontend at multi-agent.<domain>, the API at
  // api.multi-agent.<domain> and under /api on the frontend's host.
  ingresses: {
    "multi-agent": {
      rules: [
        {
          host: "multi-agent",
          paths: [
            { path: "/api", component: "gateway" },
            { path: "/", component: "frontend" },
          ],
        },
      ],
      tlsSecret: "multi-agent-tls",
    },
    "multi-agent-api": {
      rules: [{ host: "api.multi-agent", paths: [{ path: "/", component: "gateway" }] }],
      tlsSecret: "multi-agent-api-tls",
    },
  },
  alerting: {
    receivers: {
      email: {
        to: "multi-agent-oncall@example.com",
        from: "alertmanager@example.com",
        smarthost: "smtp.example.com:587",
        username: "alertmanager@example.com",
        password: secretRef("multi-agent-alerting", "smtp-password"),
      },
      slack: { channel: "#multi-agent-alerts", webhook: secretRef("multi-agent-alerting", "slack-webhook-url") },
      pagerduty: { routingKey: secretRef("multi-agent-alerting", "pagerduty-routing-key") },
    },
    runbooks: "https://runbooks.example.com/multi-agent",
  },
  environments: {
    dev: { config: { NODE_ENV: "development", LOG_LEVEL: "debug" } },
    // Staging raises every replica count to 2: NATS keeps its 3-server quorum, Qdrant stays one node.
    staging: {
      config: { NODE_ENV: "production", LOG_LEVEL: "info" },
      components: { nats: { replicas: 3 }, qdrant: { replicas: 3 } },
    },
  },
});
