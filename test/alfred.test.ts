/** Seed 004, the Alfred Agent Platform v2: its figures in the rendered output. */
import { beforeAll, describe, expect, it } from "vitest";
import alfred from "../platforms/alfred.ts";
import type { CompileResult } from "../compiler/compile.ts";
import { compilePlatforms, objectIn, objectsOf } from "./helpers/memory.ts";
import type { Parsed } from "./helpers/parsed.ts";
import type { IEnvVar } from "kubernetes-models/v1/EnvVar";

let result: CompileResult;
beforeAll(async () => {
  result = await compilePlatforms([alfred]);
});

const REGIONS = ["us-west-2", "us-east-1", "eu-west-1"];
const DOMAIN: Record<string, string> = {
  "us-west-2": "us-west-2.example.com",
  "us-east-1": "us-east-1.example.com",
  "eu-west-1": "eu-west-1.example.com",
};

const get = (id: string, kind: string, name: string): Parsed => objectIn(result, id, kind, name);

function container(id: string, kind: string, name: string): Parsed {
  return get(id, kind, name).spec.template.spec.containers[0];
}

describe("Alfred: production carries seed 004's figures", () => {
  it("renders every target its environments declare, in namespace alfred-platform", () => {
    expect(result.targets.map((t) => t.target.id).sort()).toEqual([
      "alfred/dev/us-west-2",
      "alfred/production/eu-west-1",
      "alfred/production/us-east-1",
      "alfred/production/us-west-2",
      "alfred/staging/us-east-1",
      "alfred/staging/us-west-2",
    ]);
    for (const t of result.targets)
      expect(objectsOf(result, t.target.id, "Namespace")[0].metadata.name).toBe("alfred-platform");
  });

  for (const region of REGIONS) {
    const id = `alfred/production/${region}`;

    it(`${region}: agent-core listens on 8011 with the seed's /health probes, resources and env`, () => {
      const c = container(id, "Deployment", "agent-core");
      expect(c.ports).toEqual([{ name: "http", containerPort: 8011, protocol: "TCP" }]);
      expect(c.livenessProbe).toMatchObject({
        httpGet: { path: "/health", port: "http" },
        initialDelaySeconds: 30,
        periodSeconds: 10,
      });
      expect(c.readinessProbe).toMatchObject({
        httpGet: { path: "/health", port: "http" },
        initialDelaySeconds: 5,
        periodSeconds: 5,
      });
      expect(c.resources).toEqual({ requests: { cpu: "500m", memory: "512Mi" }, limits: { cpu: "1", memory: "1Gi" } });
      expect(c.env).toContainEqual({
        name: "ALFRED_ENVIRONMENT",
        valueFrom: { configMapKeyRef: { name: "alfred-config", key: "environment" } },
      });
      expect(c.env).toContainEqual({
        name: "ALFRED_DATABASE_URL",
        valueFrom: { secretKeyRef: { name: "alfred-secrets", key: "database-url" } },
      });
      expect(c.env).toContainEqual({ name: "PUBSUB_EMULATOR_HOST", value: "pubsub-emulator:8085" });
      expect(c.image).toBe("docker.io/alfred-platform/agent-core:2.0.0");
      expect(get(id, "Service", "agent-core").spec.ports).toEqual([
        { name: "http", port: 8011, targetPort: "http", protocol: "TCP" },
      ]);
    });

    it(`${region}: agent-core scales 3 to 10 at 75% CPU and memory, keeps 2 available, and sets no replicas`, () => {
      const hpa = get(id, "HorizontalPodAutoscaler", "agent-core");
      expect(hpa.spec).toMatchObject({ minReplicas: 3, maxReplicas: 10 });
      expect(hpa.spec.metrics.map((m: Parsed) => [m.resource.name, m.resource.target.averageUtilization])).toEqual([
        ["cpu", 75],
        ["memory", 75],
      ]);
      expect(get(id, "PodDisruptionBudget", "agent-core").spec.minAvailable).toBe(2);
      expect(get(id, "Deployment", "agent-core").spec.replicas).toBeUndefined();
    });

    it(`${region}: every Deployment rolls with maxSurge 1 / maxUnavailable 0`, () => {
      const deployments = objectsOf(result, id, "Deployment").filter((d) => d.metadata.name !== "pubsub-emulator");
      // agent-core, three agents, two UIs and Grafana; in the primary region Redis's HAProxy too (failover).
      expect(deployments.length).toBe(region === "us-west-2" ? 8 : 7);
      for (const d of deployments)
        expect(d.spec.strategy, d.metadata.name).toEqual({
          type: "RollingUpdate",
          rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
        });
    });

    it(`${region}: the agents, ui-chat on 8501 and admin-ui`, () => {
      for (const [name, port] of [
        ["agent-financial-tax", 9003],
        ["agent-legal-compliance", 9002],
        ["agent-social-intel", 9000],
        ["ui-chat", 8501],
        ["admin-ui", 3007],
      ] as const) {
        expect(container(id, "Deployment", name).ports[0].containerPort, name).toBe(port);
      }
      for (const agent of ["agent-financial-tax", "agent-legal-compliance", "agent-social-intel"]) {
        const env = container(id, "Deployment", agent).env;
        expect(env).toContainEqual({
          name: "ALFRED_VECTOR_DB_URL",
          valueFrom: { configMapKeyRef: { name: "alfred-config", key: "vector-db-url" } },
        });
        expect(env).toContainEqual({
          name: "ALFRED_OPENAI_API_KEY",
          valueFrom: { secretKeyRef: { name: "alfred-secrets", key: "openai-api-key" } },
        });
      }
      expect(container(id, "Deployment", "ui-chat").env).toContainEqual({
        name: "ALFRED_API_URL",
        value: "http://agent-core:8011",
      });
    });

    it(`${region}: Postgres is docker.io/supabase/postgres:15.1.0.117 with the official env contract, 10Gi on standard`, () => {
      const pg = get(id, "StatefulSet", "postgres");
      const c = pg.spec.template.spec.containers[0];
      expect(c.image).toBe("docker.io/supabase/postgres:15.1.0.117");
      const names = c.env.map((e: IEnvVar) => e.name);
      expect(names).toEqual(expect.arrayContaining(["POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB"]));
      expect(names.filter((n: string) => n.startsWith("POSTGRESQL_"))).toEqual([]);
      expect(c.env).toContainEqual({
        name: "POSTGRES_USER",
        valueFrom: { secretKeyRef: { name: "alfred-secrets", key: "db-user" } },
      });
      expect(c.env).toContainEqual({
        name: "POSTGRES_PASSWORD",
        valueFrom: { secretKeyRef: { name: "alfred-secrets", key: "db-password" } },
      });
      // The volume sits above the data directory the image's postgresql.conf pins (and PGDATA names).
      expect(c.volumeMounts).toContainEqual({ name: "data", mountPath: "/var/lib/postgresql" });
      expect(c.env).toContainEqual({ name: "PGDATA", value: "/var/lib/postgresql/data" });
      expect(pg.spec.replicas).toBe(1);
      expect(pg.spec.volumeClaimTemplates[0].spec).toMatchObject({
        storageClassName: "standard",
        resources: { requests: { storage: "10Gi" } },
      });
    });

    it(`${region}: Redis, the vector DB on 6333 and the Pub/Sub emulator for alfred-agent-platform`, () => {
      expect(objectsOf(result, id, "StatefulSet").some((s) => s.metadata.name.startsWith("redis"))).toBe(true);
      expect(get(id, "Service", "vector-db").spec.ports[0]).toMatchObject({ name: "http", port: 6333 });
      expect(get(id, "StatefulSet", "vector-db").spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe(
        "10Gi",
      );
      const emulator = get(id, "Deployment", "pubsub-emulator");
      expect(emulator.spec.replicas).toBe(1);
      expect(emulator.spec.template.spec.containers[0].command).toContain("--project=alfred-agent-platform");
      expect(emulator.spec.template.spec.containers[0].ports[0].containerPort).toBe(8085);
    });

    it(`${region}: one Ingress for api. and ui. (region and global names) with cert-manager TLS`, () => {
      const ingress = get(id, "Ingress", "alfred-platform");
      expect(ingress.metadata.annotations["cert-manager.io/cluster-issuer"]).toBe("letsencrypt-prod");
      expect(ingress.metadata.annotations["external-dns.alpha.kubernetes.io/hostname"]).toBe(
        `api.alfred-platform.${DOMAIN[region]},ui.alfred-platform.${DOMAIN[region]}`,
      );
      expect(ingress.spec.tls).toEqual([
        {
          hosts: [
            `api.alfred-platform.${DOMAIN[region]}`,
            "api.alfred-platform.example.com",
            `ui.alfred-platform.${DOMAIN[region]}`,
            "ui.alfred-platform.example.com",
          ],
          secretName: "alfred-platform-tls",
        },
      ]);
      expect(
        ingress.spec.rules.map((r: Parsed) => [
          r.host,
          r.http.paths[0].backend.service.name,
          r.http.paths[0].backend.service.port.name,
        ]),
      ).toEqual([
        [`api.alfred-platform.${DOMAIN[region]}`, "agent-core", "http"],
        ["api.alfred-platform.example.com", "agent-core", "http"],
        [`ui.alfred-platform.${DOMAIN[region]}`, "ui-chat", "http"],
        ["ui.alfred-platform.example.com", "ui-chat", "http"],
      ]);
    });

    it(`${region}: RBAC get/list on configmaps and secrets, ServiceMonitors at /metrics every 15s, its dashboard in its own Grafana`, () => {
      expect(get(id, "Role", "agent-core").rules).toEqual([
        { apiGroups: [""], resources: ["configmaps", "secrets"], verbs: ["get", "list"] },
      ]);
      expect(get(id, "RoleBinding", "agent-core").subjects).toEqual([
        { kind: "ServiceAccount", name: "agent-core", namespace: "alfred-platform" },
      ]);
      const monitors = objectsOf(result, id, "ServiceMonitor");
      expect(monitors.map((m) => m.metadata.name).sort()).toEqual([
        "agent-core",
        "agent-financial-tax",
        "agent-legal-compliance",
        "agent-social-intel",
      ]);
      for (const m of monitors) expect(m.spec.endpoints).toEqual([{ port: "http", path: "/metrics", interval: "15s" }]);
      // Redis's exporter sidecars, on the members that run one (alfred's mesh is not STRICT: a PodMonitor).
      const redis = get(id, "PodMonitor", "redis").spec;
      expect(redis.selector.matchLabels["manifold.dev/exporter"]).toBe("true");
      expect(redis.podMetricsEndpoints).toEqual([{ port: "metrics", path: "/metrics", interval: "30s" }]);
      // The dashboard loads into alfred's Grafana from files (a file provider), not into the cluster's shared one.
      const files = get(id, "ConfigMap", "grafana-var-lib-grafana-dashboards");
      expect(JSON.parse(files.data["alfred-platform.json"]).panels.length).toBeGreaterThan(0);
      expect(get(id, "ConfigMap", "grafana-etc-grafana-provisioning-dashboards").data["dashboards.yaml"]).toContain(
        "path: /var/lib/grafana/dashboards",
      );
      const labelled = objectsOf(result, id, "ConfigMap").filter((c) => c.metadata.labels?.grafana_dashboard === "1");
      expect(labelled).toEqual([]);
    });

    it(`${region}: the seed's monitoring: Prometheus (operator-run) scraping every 15s, and Grafana behind the ingress reading it`, () => {
      expect(get(id, "Prometheus", "prometheus").spec.scrapeInterval).toBe("15s");
      const datasources = get(id, "ConfigMap", "grafana-etc-grafana-provisioning-datasources").data["datasources.yaml"];
      expect(datasources).toContain("url: http://prometheus-operated.alfred-platform.svc:9090");
      expect(get(id, "Ingress", "grafana").spec.rules[0].host).toBe(`alfred-grafana.${region}.example.com`);
      expect(container(id, "Deployment", "grafana").env).toContainEqual({
        name: "GF_SECURITY_ADMIN_PASSWORD",
        valueFrom: { secretKeyRef: { name: "alfred-secrets", key: "grafana-admin-password" } },
      });
    });

    it(`${region}: alfred-config has the seed's keys; the seed's Secret is an ExternalSecret of references`, () => {
      expect(get(id, "ConfigMap", "alfred-config").data).toEqual({
        environment: "production",
        "log-level": "info",
        "db-name": "postgres",
        "redis-host": "redis",
        "pubsub-project": "alfred-agent-platform",
        "vector-db-url": "http://vector-db:6333",
        REGION: region,
      });
      expect(objectsOf(result, id, "Secret")).toEqual([]);
      const es = get(id, "ExternalSecret", "alfred-secrets");
      expect(es.spec.data.map((d: { secretKey: string }) => d.secretKey)).toEqual([
        "database-url",
        "db-password",
        "db-user",
        "grafana-admin-password",
        "jwt-secret",
        "openai-api-key",
        "redis-password",
      ]);
    });
  }

  it("dev: 100m/500m CPU and 256Mi/512Mi memory, no HPA, development config", () => {
    const id = "alfred/dev/us-west-2";
    expect(container(id, "Deployment", "agent-core").resources).toEqual({
      requests: { cpu: "100m", memory: "256Mi" },
      limits: { cpu: "500m", memory: "512Mi" },
    });
    expect(objectsOf(result, id, "HorizontalPodAutoscaler")).toEqual([]);
    expect(get(id, "ConfigMap", "alfred-config").data).toMatchObject({
      environment: "development",
      "log-level": "debug",
    });
  });

  it("no image is latest; the Pub/Sub emulator stays a single replica in every target", () => {
    expect([...result.files.values()].join("\n")).not.toMatch(/image: \S+:latest/);
    for (const t of result.targets)
      expect(get(t.target.id, "Deployment", "pubsub-emulator").spec.replicas, t.target.id).toBe(1);
  });
});
