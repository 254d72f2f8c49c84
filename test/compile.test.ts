import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { compile, type CompileResult } from "../compiler/compile.ts";
import { canonicalQuantity } from "../compiler/quantity.ts";
import { REPO } from "./helpers/project.ts";
import type { Parsed } from "./helpers/parsed.ts";

const CA_FILE = "/etc/manifold/cross-region-ca/ca.crt";

let result: CompileResult;
beforeAll(async () => {
  result = await compile({ root: REPO });
});

function objectsOf(target: string, kind?: string): Parsed[] {
  const t = result.targets.find((x) => x.target.id === target);
  if (!t) throw new Error(`no target ${target}`);
  return t.objects.map((o) => o.object).filter((o) => !kind || o.kind === kind);
}

function get(target: string, kind: string, name: string): Parsed {
  const found = objectsOf(target, kind).find((o) => o.metadata.name === name);
  if (!found) throw new Error(`${kind}/${name} not in ${target}`);
  return found;
}

describe("the seed fleet compiles", () => {
  it("renders OSSA for all six targets: dev 1, staging 2, production 3", () => {
    const ids = result.targets
      .filter((t) => t.target.platform === "ossa")
      .map((t) => t.target.id)
      .sort();
    expect(ids).toEqual([
      "ossa/dev/us-west-2",
      "ossa/production/eu-west-1",
      "ossa/production/us-east-1",
      "ossa/production/us-west-2",
      "ossa/staging/us-east-1",
      "ossa/staging/us-west-2",
    ]);
    const folders = new Set(
      [...result.files.keys()].filter((p) => p.includes("/ossa/")).map((p) => p.split("/").slice(0, 3).join("/")),
    );
    expect([...folders].sort()).toEqual([
      "dev/us-west-2/ossa",
      "production/eu-west-1/ossa",
      "production/us-east-1/ossa",
      "production/us-west-2/ossa",
      "staging/us-east-1/ossa",
      "staging/us-west-2/ossa",
    ]);
  });

  it("writes one object per YAML file, parseable, with apiVersion, kind and metadata first", () => {
    for (const [path, text] of result.files) {
      if (!path.endsWith(".yaml")) continue;
      const doc = parse(text, { version: "1.1" });
      expect(Object.keys(doc).slice(0, 3), path).toEqual(["apiVersion", "kind", "metadata"]);
      expect(path.endsWith(`/${doc.kind.toLowerCase()}-${doc.metadata.name}.yaml`), path).toBe(true);
      expect(parse(text, { version: "1.2" })).toEqual(doc);
    }
  });

  it("is deterministic: two compiles give byte-identical files", async () => {
    const again = await compile({ root: REPO });
    expect([...again.files.keys()]).toEqual([...result.files.keys()]);
    for (const [path, text] of result.files) expect(again.files.get(path), path).toBe(text);
  });

  it("writes no timestamps, absolute paths or tracking metadata", () => {
    for (const [path, text] of result.files) {
      expect(text, path).not.toContain(REPO);
      expect(text, path).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
      expect(text, path).not.toContain("app.kubernetes.io/instance");
      expect(text, path).not.toContain("argocd.argoproj.io/tracking-id");
    }
  });
});

describe("OSSA production carries the seed's numbers", () => {
  const seed: [string, number, number][] = [
    ["gateway", 5, 50],
    ["task-agents", 10, 200],
    ["communication-agents", 8, 100],
    ["mcp-agents", 6, 80],
    ["coordination", 3, 10],
    ["discovery", 5, 30],
    ["orchestration", 4, 40],
  ];
  for (const region of ["us-west-2", "us-east-1", "eu-west-1"]) {
    const id = `ossa/production/${region}`;
    it.each(seed)(
      `${region}: %s scales from %i to %i at CPU 70%% and memory 80%%, with no spec.replicas`,
      (name, min, max) => {
        const hpa = get(id, "HorizontalPodAutoscaler", `ossa-${name}`);
        expect(hpa.spec.minReplicas).toBe(min);
        expect(hpa.spec.maxReplicas).toBe(max);
        expect(hpa.spec.metrics).toEqual([
          { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } },
          { type: "Resource", resource: { name: "memory", target: { type: "Utilization", averageUtilization: 80 } } },
          {
            type: "Pods",
            pods: { metric: { name: "ossa_queue_depth" }, target: { type: "AverageValue", averageValue: "30" } },
          },
          {
            type: "Pods",
            pods: {
              metric: { name: "ossa_response_time_seconds" },
              target: { type: "AverageValue", averageValue: "500m" },
            },
          },
        ]);
        const deployment = get(id, "Deployment", `ossa-${name}`);
        expect(deployment.spec.replicas).toBeUndefined();
        const pod = deployment.spec.template.spec;
        expect(pod.containers[0].livenessProbe.httpGet.path).toBe("/health");
        expect(pod.containers[0].readinessProbe.httpGet.path).toBe("/ready");
        expect(pod.containers[0].startupProbe.httpGet.path).toBe("/health");
        expect(pod.securityContext).toMatchObject({
          runAsNonRoot: true,
          runAsUser: 1000,
          seccompProfile: { type: "RuntimeDefault" },
        });
        expect(pod.containers[0].securityContext).toEqual({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          runAsNonRoot: true,
          capabilities: { drop: ["ALL"] },
          seccompProfile: { type: "RuntimeDefault" },
        });
        expect(pod.automountServiceAccountToken).toBe(false);
        expect(get(id, "PodDisruptionBudget", `ossa-${name}`).spec.maxUnavailable).toBe(1);
      },
    );

    it(`${region}: postgres, redis and qdrant run 3 replicas each on persistent volumes`, () => {
      const sets = objectsOf(id, "StatefulSet");
      const pods = (prefix: string) =>
        sets.filter((s) => s.metadata.name.startsWith(prefix)).reduce((n, s) => n + s.spec.replicas, 0);
      const postgres = get(id, "Cluster", "ossa-postgresql");
      expect([postgres.spec.instances, postgres.spec.storage.size]).toEqual([3, "100Gi"]);
      // Redis's members; in the primary region three sentinels watch them too (failover).
      expect(pods("ossa-redis-primary") + pods("ossa-redis-replica")).toBe(3);
      expect(pods("ossa-redis-sentinel")).toBe(region === "us-west-2" ? 3 : 0);
      expect(pods("ossa-qdrant")).toBe(3);
      for (const s of sets.filter((x) => x.metadata.name !== "ossa-redis-sentinel"))
        expect(s.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toMatch(/Gi$/);
    });

    it(`${region}: the ConfigMap has the seed's keys and its own REGION`, () => {
      const data = get(id, "ConfigMap", "ossa-config").data;
      expect(data).toEqual({
        NODE_ENV: "production",
        OSSA_VERSION: "0.1.8",
        // Outside the primary region the stores are the primary's, reached across regions on their TLS ports.
        // Outside it, the clients verify the servers with the cross-region CA, mounted where the *_CA_FILE keys say.
        ...(region === "us-west-2"
          ? {
              POSTGRES_URL: "postgresql://ossa-postgresql:5432/ossa",
              REDIS_URL: "redis://ossa-redis:6379",
            }
          : {
              POSTGRES_URL: `postgresql://ossa-postgresql:5432/ossa?sslmode=verify-full&sslrootcert=${CA_FILE}`,
              POSTGRES_CA_FILE: CA_FILE,
              REDIS_URL: "rediss://ossa-redis:6380",
              REDIS_CA_FILE: CA_FILE,
            }),
        QDRANT_URL: "http://ossa-qdrant:6333",
        REGION: region,
      });
    });
  }

  it("the seven services and the data layer request the seed's cluster minimum: 50 cores and 100Gi, limits 100 cores and 200Gi", () => {
    const id = "ossa/production/us-west-2";
    let cpu = 0;
    let memory = 0;
    let cpuLimit = 0;
    let memoryLimit = 0;
    const gi = (q: string) => Number(canonicalQuantity(q).replace(/Gi$/, ""));
    // The seven autoscaled services (monitoring, Grafana, Jaeger and Redis's failover, its HAProxy and sentinels, are
    // outside the seed's minimum).
    for (const d of objectsOf(id, "Deployment").filter(
      (x) => !["ossa-monitoring", "ossa-grafana", "ossa-jaeger", "ossa-redis-haproxy"].includes(x.metadata.name),
    )) {
      const hpa = get(id, "HorizontalPodAutoscaler", d.metadata.name);
      const r = d.spec.template.spec.containers[0].resources;
      cpu += hpa.spec.minReplicas * Number(r.requests.cpu);
      memory += hpa.spec.minReplicas * gi(r.requests.memory);
      cpuLimit += hpa.spec.minReplicas * Number(r.limits.cpu);
      memoryLimit += hpa.spec.minReplicas * gi(r.limits.memory);
    }
    for (const s of objectsOf(id, "StatefulSet").filter((x) => x.metadata.name !== "ossa-redis-sentinel")) {
      const r = s.spec.template.spec.containers[0].resources;
      cpu += s.spec.replicas * Number(r.requests.cpu);
      memory += s.spec.replicas * gi(r.requests.memory);
      cpuLimit += s.spec.replicas * Number(r.limits.cpu);
      memoryLimit += s.spec.replicas * gi(r.limits.memory);
    }
    // PostgreSQL runs on CloudNativePG: its instances have the Cluster's resources.
    for (const c of objectsOf(id, "Cluster")) {
      const r = c.spec.resources;
      cpu += c.spec.instances * Number(r.requests.cpu);
      memory += c.spec.instances * gi(r.requests.memory);
      cpuLimit += c.spec.instances * Number(r.limits.cpu);
      memoryLimit += c.spec.instances * gi(r.limits.memory);
    }
    expect([cpu, memory, cpuLimit, memoryLimit]).toEqual([50, 100, 100, 200]);
  });

  it("exposes the gateway through an Ingress with TLS on the region's domain and the global one", () => {
    const ingress = get("ossa/production/us-west-2", "Ingress", "ossa-gateway");
    expect(ingress.spec.rules.map((r: Parsed) => r.host)).toEqual([
      "ossa-api.us-west-2.example.com",
      "ossa-api.example.com",
    ]);
    expect(ingress.spec.tls[0]).toEqual({
      hosts: ["ossa-api.us-west-2.example.com", "ossa-api.example.com"],
      secretName: "ossa-gateway-tls",
    });
    expect(ingress.spec.rules[0].http.paths[0].backend.service).toEqual({
      name: "ossa-gateway",
      port: { name: "http" },
    });
  });

  it("production gets default-deny NetworkPolicies plus allow rules from the dependency graph", () => {
    const id = "ossa/production/us-west-2";
    expect(get(id, "NetworkPolicy", "default-deny").spec).toEqual({
      podSelector: {},
      policyTypes: ["Ingress", "Egress"],
    });
    const postgres = get(id, "NetworkPolicy", "ossa-postgresql");
    const callers = postgres.spec.ingress[0].from.map(
      (f: Parsed) => f.podSelector.matchLabels["app.kubernetes.io/name"],
    );
    expect(callers.sort()).toEqual(["ossa-discovery", "ossa-migrate", "ossa-orchestration"]);
    const gateway = get(id, "NetworkPolicy", "ossa-gateway");
    expect(gateway.spec.ingress).toContainEqual({
      from: [
        {
          podSelector: {
            matchLabels: { "app.kubernetes.io/name": "ossa-smoke-test", "app.kubernetes.io/part-of": "ossa" },
          },
        },
      ],
      ports: [{ protocol: "TCP", port: 3000 }],
    });
    expect(gateway.spec.ingress).toContainEqual({
      from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } }],
      ports: [{ protocol: "TCP", port: 3000 }],
    });
  });

  it("secrets render as ExternalSecrets reading the platform's own store; no Secret carries data", () => {
    for (const t of result.targets) {
      expect(t.objects.filter((o) => o.object.kind === "Secret")).toEqual([]);
      if (t.target.platform !== "ossa") continue;
      const es = t.objects.find(
        (o) => o.object.kind === "ExternalSecret" && o.object.metadata.name === "ossa-postgresql",
      )!.object as Parsed;
      expect(es.apiVersion).toBe("external-secrets.io/v1");
      expect(es.spec.secretStoreRef).toEqual({ kind: "SecretStore", name: "ossa-secret-store" });
      // CloudNativePG replicates with its own certificates: no replication password.
      expect(es.spec.data.map((d: Parsed) => d.secretKey)).toEqual(["password"]);
      expect(es.spec.data[0].remoteRef).toEqual({
        key: `${t.target.environment}/ossa/ossa-postgresql`,
        property: "password",
      });
    }
  });
});

describe("layering: dev and staging", () => {
  it("dev runs one small replica of everything, with no HPA, PDB or NetworkPolicy", () => {
    const id = "ossa/dev/us-west-2";
    expect(objectsOf(id, "HorizontalPodAutoscaler")).toEqual([]);
    expect(objectsOf(id, "PodDisruptionBudget")).toEqual([]);
    expect(objectsOf(id, "NetworkPolicy")).toEqual([]);
    for (const d of objectsOf(id, "Deployment")) {
      expect(d.spec.replicas).toBe(1);
      expect(d.spec.template.spec.containers[0].resources).toEqual({
        requests: { cpu: "100m", memory: "128Mi" },
        limits: { cpu: "500m", memory: "512Mi" },
      });
    }
    expect(objectsOf(id, "StatefulSet").map((s) => [s.metadata.name, s.spec.replicas])).toEqual([
      ["ossa-qdrant", 1],
      ["ossa-redis-primary", 1],
    ]);
    expect(get(id, "Cluster", "ossa-postgresql").spec.instances).toBe(1);
    expect(get(id, "ConfigMap", "ossa-config").data.NODE_ENV).toBe("development");
  });

  it("staging autoscales from 2 and keeps the seed's maximum", () => {
    const hpa = get("ossa/staging/us-east-1", "HorizontalPodAutoscaler", "ossa-task-agents");
    expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([2, 200]);
    expect(get("ossa/staging/us-east-1", "ConfigMap", "ossa-config").data.NODE_ENV).toBe("staging");
  });

  it("records which layer set each field", () => {
    const t = result.targets.find((x) => x.target.id === "ossa/dev/us-west-2")!.target;
    expect(t.provenance["components.gateway.replicas"].file).toBe("environments/dev.ts");
    // the platform's own fields are not listed: the platform file is sources[0]
    expect(t.provenance["components.gateway.image"]).toBeUndefined();
    expect(t.provenance["config.NODE_ENV"].rank).toBeGreaterThan(0);
    expect(t.sources[0]).toBe("platforms/ossa.ts");
    expect(t.provenance["config.REGION"].file).toBe("regions/us-west-2.ts");
    expect(t.provenance["config.NODE_ENV"].layer).toBe("platform environments.dev");
  });
});

describe("regions differ where their role and region demand it, and nowhere else", () => {
  function files(region: string): Map<string, string> {
    const prefix = `production/${region}/ossa/`;
    return new Map(
      [...result.files]
        .filter(([p]) => p.startsWith(prefix) && p.endsWith(".yaml"))
        .map(([p, t]) => [p.slice(prefix.length), t]),
    );
  }
  function differing(a: Map<string, string>, b: Map<string, string>): string[] {
    const names = new Set([...a.keys(), ...b.keys()]);
    return [...names].filter((n) => a.get(n) !== b.get(n)).sort();
  }

  it("the primary runs the writable databases; the others run replicas that follow it", () => {
    const primary = objectsOf("ossa/production/us-west-2", "StatefulSet").map((s) => [
      s.metadata.name,
      s.spec.replicas,
    ]);
    expect(primary).toEqual([
      ["ossa-qdrant", 3],
      ["ossa-redis-primary", 1],
      ["ossa-redis-replica", 2],
      ["ossa-redis-sentinel", 3],
    ]);
    const writable = get("ossa/production/us-west-2", "Cluster", "ossa-postgresql");
    expect(writable.spec.replica).toEqual({
      self: "ossa-postgresql-us-west-2",
      primary: "ossa-postgresql-us-west-2",
      source: "ossa-postgresql-us-east-1",
    });
    expect(writable.spec.bootstrap.initdb).toMatchObject({ database: "ossa", owner: "ossa" });
    expect(get("ossa/production/us-west-2", "Service", "ossa-postgresql").spec.externalName).toBe(
      "ossa-postgresql-rw.ossa-platform.svc.cluster.local",
    );
    for (const region of ["us-east-1", "eu-west-1"]) {
      const id = `ossa/production/${region}`;
      expect(objectsOf(id, "StatefulSet").map((s) => [s.metadata.name, s.spec.replicas])).toEqual([
        ["ossa-qdrant", 3],
        ["ossa-redis-replica", 3],
      ]);
      const cluster = get(id, "Cluster", "ossa-postgresql");
      expect(cluster.spec.instances).toBe(3);
      expect(cluster.spec.replica).toEqual({
        self: `ossa-postgresql-${region}`,
        primary: "ossa-postgresql-us-west-2",
        source: "ossa-postgresql-us-west-2",
      });
      expect(cluster.spec.bootstrap).toEqual({ recovery: { source: "ossa-postgresql-us-west-2" } });
      const args = get(id, "StatefulSet", "ossa-redis-replica").spec.template.spec.containers[0].args;
      // Across regions the replicas follow the primary over TLS, on its TLS port.
      expect(args.slice(args.indexOf("--replicaof"))).toEqual([
        "--replicaof",
        "ossa-redis.ossa-platform.production.us-west-2.svc.example.internal",
        "6380",
      ]);
      expect(args.slice(args.indexOf("--tls-replication"), args.indexOf("--tls-replication") + 2)).toEqual([
        "--tls-replication",
        "yes",
      ]);
      expect(get(id, "Service", "ossa-postgresql").spec).toMatchObject({
        type: "ExternalName",
        externalName: "ossa-postgresql.ossa-platform.production.us-west-2.svc.example.internal",
      });
    }
  });

  it("the secondary and tertiary regions differ only in REGION, ingress hosts and what names the region", () => {
    // Prometheus labels its series, the rules their alerts, and the failure notice its message with the region; the
    // SecretStore reads the region's AWS Secrets Manager. CloudNativePG names each region's cluster, and each region
    // backs up to its own bucket. Each region checks its own name and has its own latency record of the global one.
    expect(differing(files("us-east-1"), files("eu-west-1"))).toEqual([
      "cluster-ossa-postgresql.yaml",
      "configmap-ossa-config.yaml",
      "cronjob-ossa-qdrant-backup.yaml",
      "cronjob-ossa-qdrant-restore.yaml",
      "cronjob-ossa-redis-backup.yaml",
      "healthcheck-global-ossa-api.yaml",
      "healthcheck-global-ossa-monitoring.yaml",
      "ingress-ossa-gateway.yaml",
      "ingress-ossa-grafana.yaml",
      "job-ossa-notify-failure.yaml",
      "prometheus-ossa-prometheus.yaml",
      "prometheusrule-ossa-cluster-rules.yaml",
      "prometheusrule-ossa-rules.yaml",
      "recordset-global-ossa-api.yaml",
      "recordset-global-ossa-monitoring.yaml",
      "secretstore-ossa-secret-store.yaml",
    ]);
  });

  it("the primary differs from a secondary only in REGION, ingress host and the data layer's shape", () => {
    const diff = differing(files("us-west-2"), files("us-east-1"));
    const allowed =
      /^(configmap-ossa-config|ingress-ossa-(gateway|grafana)|(healthcheck|recordset)-global-ossa-(api|monitoring)|job-ossa-notify-failure|resourcequota-ossa|certificate-ossa-(postgresql|redis)-tls|prometheus-ossa-prometheus|prometheusrule-ossa-(cluster-)?rules|secretstore-ossa-secret-store|.*-ossa-migrate|.*-ossa-(postgresql|redis)(-primary|-replica|-app|-init|-cross-region|-sentinel|-haproxy|-restore|-base)?(-headless)?|networkpolicy-ossa-.*|cronjob-ossa-.*-(backup|restore))\.yaml$/;
    // Outside the primary region the readers of the stores' URLs trust the cross-region CA: its Certificate, and a
    // volume and mount in their Deployments, which otherwise are identical.
    const trust = (text: string | undefined): Parsed => {
      const d = parse(text ?? "{}");
      const spec = d.spec.template.spec;
      spec.volumes = spec.volumes.filter((v: Parsed) => v.name !== "cross-region-ca");
      for (const c of spec.containers)
        c.volumeMounts = (c.volumeMounts ?? []).filter((m: Parsed) => m.name !== "cross-region-ca");
      return d;
    };
    for (const name of diff) {
      if (name === "certificate-cross-region-ca.yaml") continue;
      if (name.startsWith("deployment-ossa-") && !allowed.test(name)) {
        expect(trust(files("us-east-1").get(name))).toEqual(parse(files("us-west-2").get(name)!));
        continue;
      }
      expect(name).toMatch(allowed);
    }
    expect(diff).toContain("cluster-ossa-postgresql.yaml");
    expect(diff).toContain("certificate-cross-region-ca.yaml");
    // Services that are not data stores and talk to no replicated store are identical.
    expect(diff).not.toContain("networkpolicy-ossa-gateway.yaml");
  });
});
