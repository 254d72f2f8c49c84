import { platform, postgres, qdrant, redis, secretRef, service, url } from "../compiler/index.ts";
import type { ServiceComponent } from "../compiler/index.ts";

// OSSA v0.1.8 (seeds 000 and 001): seven agent services behind a gateway, a
// monitoring service, and PostgreSQL, Redis and Qdrant. The production numbers
// are the seed's: replicas, autoscaling ranges, CPU 70% / memory 80% targets.
// At minimum replicas the seven services and the data layer request 50 cores
// and 100Gi (limits 100 cores, 200Gi), the seed's cluster minimum, and the
// data volumes add up to its 500 GB of persistent storage.

const VERSION = "0.1.8";

// Every OSSA service shares its size and probes; each passes its own image, range and dependencies.
const agentService = (name: string, min: number, max: number, dependsOn: string[], extra: Partial<ServiceComponent> = {}): ServiceComponent =>
  service({
    description: extra.description,
    image: `ossa/${name}:${VERSION}`,
    ports: { http: 3000 },
    replicas: min,
    autoscale: { min, max, cpu: 70, memory: 80 },
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
    ...extra,
  });

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
    }),
    qdrant: qdrant({
      description: "Vector database for AI operations",
      replicas: 3,
      storage: "50Gi",
      resources: { requests: { cpu: "1", memory: "2Gi" }, limits: { cpu: "2", memory: "4Gi" } },
    }),
    discovery: agentService("discovery", 5, 30, ["postgresql", "redis"], { description: "Agent discovery and registry" }),
    coordination: agentService("coordination", 3, 10, ["redis", "discovery"], { description: "Inter-agent coordination" }),
    orchestration: agentService("orchestration", 4, 40, ["postgresql", "redis", "coordination"], { description: "Workflow orchestration" }),
    "task-agents": agentService("task-agent", 10, 200, ["orchestration", "qdrant"], { description: "AI task execution agents" }),
    "communication-agents": agentService("communication-agent", 8, 100, ["redis", "coordination"], { description: "Message routing and protocol bridging" }),
    "mcp-agents": agentService("mcp-bridge-agent", 6, 80, ["discovery"], { description: "Model Context Protocol bridge agents" }),
    gateway: agentService("gateway", 5, 50, ["orchestration", "discovery"], {
      description: "Main API gateway",
      expose: { host: "ossa-api", path: "/" },
      env: {
        DB_PASSWORD: secretRef("ossa-postgresql", "password"),
        REDIS_PASSWORD: secretRef("ossa-redis", "password"),
        JWT_SECRET: secretRef("ossa-api", "jwt-secret"),
      },
    }),
    monitoring: service({
      description: "System monitoring and health checks",
      image: `ossa/monitoring:${VERSION}`,
      ports: { http: 3000 },
      replicas: 2,
      resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "500m", memory: "1Gi" } },
      probes: { liveness: { path: "/health" }, readiness: { path: "/ready" } },
    }),
  },
  migrations: {
    image: `ossa/orchestration:${VERSION}`,
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
