/** Seed 002, the Multi-Agent Platform: its figures in the rendered production output. */
import { beforeAll, describe, expect, it } from "vitest";
import multiAgent from "../platforms/multi-agent.ts";
import type { CompileResult } from "../compiler/compile.ts";
import { compilePlatforms, objectIn, objectsOf } from "./helpers/memory.ts";
import type { Parsed } from "./helpers/parsed.ts";
import type { IEnvVar } from "kubernetes-models/v1/EnvVar";

let result: CompileResult;
beforeAll(async () => {
  result = await compilePlatforms([multiAgent]);
});

const REGIONS = ["us-west-2", "us-east-1", "eu-west-1"];
const DOMAIN: Record<string, string> = {
  "us-west-2": "us-west-2.example.com",
  "us-east-1": "us-east-1.example.com",
  "eu-west-1": "eu-west-1.example.com",
};

const get = (id: string, kind: string, name: string): Parsed => objectIn(result, id, kind, name);

function envOf(deployment: Parsed): Record<string, IEnvVar["value"] | IEnvVar["valueFrom"]> {
  return Object.fromEntries(
    deployment.spec.template.spec.containers[0].env.map((e: IEnvVar) => [e.name, e.value ?? e.valueFrom]),
  );
}

// name, port, requests cpu, limits cpu, requests memory, limits memory (the seed's "X-Y" ranges, canonical)
const SERVICES: [string, number, string, string, string, string][] = [
  ["gateway", 3000, "200m", "500m", "256Mi", "512Mi"],
  ["orchestration", 3001, "300m", "1", "512Mi", "1Gi"],
  ["agent", 3002, "300m", "2", "1Gi", "4Gi"],
  ["tool", 3003, "200m", "500m", "256Mi", "512Mi"],
  ["model", 3004, "500m", "2", "1Gi", "4Gi"],
  ["vector", 3005, "300m", "1", "512Mi", "2Gi"],
  ["execution", 3006, "200m", "1", "256Mi", "1Gi"],
  ["frontend", 3001, "200m", "500m", "256Mi", "512Mi"],
];

// The seed's "connects" lists, as env URLs.
const WIRING: Record<string, Record<string, string>> = {
  gateway: { ORCHESTRATION_SERVICE_URL: "http://orchestration:3001" },
  orchestration: {
    AGENT_SERVICE_URL: "http://agent:3002",
    TOOL_SERVICE_URL: "http://tool:3003",
    MODEL_SERVICE_URL: "http://model:3004",
    VECTOR_SERVICE_URL: "http://vector:3005",
    EXECUTION_SERVICE_URL: "http://execution:3006",
  },
  agent: { MODEL_SERVICE_URL: "http://model:3004", TOOL_SERVICE_URL: "http://tool:3003" },
  tool: {},
  model: {},
  vector: { QDRANT_URL: "http://qdrant:6333" },
  execution: {},
};
const AI = ["agent", "model", "vector"];

describe("Multi-Agent Platform: production carries seed 002's figures", () => {
  it("renders every target its environments declare", () => {
    expect(result.targets.map((t) => t.target.id).sort()).toEqual([
      "multi-agent/dev/us-west-2",
      "multi-agent/production/eu-west-1",
      "multi-agent/production/us-east-1",
      "multi-agent/production/us-west-2",
      "multi-agent/staging/us-east-1",
      "multi-agent/staging/us-west-2",
    ]);
    for (const t of result.targets) expect(t.target.namespace).toBe("multi-agent");
  });

  for (const region of REGIONS) {
    const id = `multi-agent/production/${region}`;

    it.each(SERVICES)(
      `${region}: %s listens on %i with requests %s/%s…, probes, and an HPA 2-10 at CPU 70%% / memory 80%%`,
      (name, port, reqCpu, limCpu, reqMem, limMem) => {
        const deployment = get(id, "Deployment", name);
        const container = deployment.spec.template.spec.containers[0];
        expect(container.ports).toEqual([{ name: "http", containerPort: port, protocol: "TCP" }]);
        expect(container.resources).toEqual({
          requests: { cpu: reqCpu, memory: reqMem },
          limits: { cpu: limCpu, memory: limMem },
        });
        expect(container.livenessProbe.httpGet.port).toBe("http");
        expect(container.readinessProbe.httpGet.port).toBe("http");
        expect(container.image).toMatch(/:1\.0\.0$/);
        expect(deployment.spec.replicas).toBeUndefined();
        expect(get(id, "Service", name).spec).toMatchObject({
          type: "ClusterIP",
          ports: [{ port, targetPort: "http" }],
        });
        const hpa = get(id, "HorizontalPodAutoscaler", name);
        expect(hpa.spec.minReplicas).toBe(2);
        expect(hpa.spec.maxReplicas).toBe(10);
        expect(hpa.spec.metrics).toEqual([
          { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } },
          { type: "Resource", resource: { name: "memory", target: { type: "Utilization", averageUtilization: 80 } } },
        ]);
      },
    );

    it(`${region}: eight HPAs, 2 replicas everywhere outside autoscaling`, () => {
      expect(objectsOf(result, id, "HorizontalPodAutoscaler")).toHaveLength(8);
      expect(objectsOf(result, id, "Deployment")).toHaveLength(8);
    });

    it(`${region}: Postgres and Qdrant are StatefulSets with 10Gi volumes and the seed's resources; NATS listens on 4222 with JetStream`, () => {
      const pg = get(id, "Cluster", "postgres");
      expect(pg.spec.storage.size).toBe("10Gi");
      expect(pg.spec.resources).toEqual({
        requests: { cpu: "250m", memory: "256Mi" },
        limits: { cpu: "1", memory: "1Gi" },
      });
      const qdrant = get(id, "StatefulSet", "qdrant");
      expect(qdrant.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe("10Gi");
      expect(qdrant.spec.template.spec.containers[0].resources).toEqual({
        requests: { cpu: "500m", memory: "512Mi" },
        limits: { cpu: "2", memory: "2Gi" },
      });
      const nats = get(id, "StatefulSet", "nats");
      expect(nats.spec.template.spec.containers[0].args).toContain("--jetstream");
      expect(get(id, "Service", "nats").spec.ports.find((p: Parsed) => p.name === "client").port).toBe(4222);
    });

    it(`${region}: NATS's exporter runs beside every server, the cluster scrapes it, the lag alert reads it`, () => {
      const pod = get(id, "StatefulSet", "nats").spec.template.spec;
      const exporter = pod.containers.find((c: Parsed) => c.name === "nats-exporter");
      expect(exporter.image).toBe("docker.io/natsio/prometheus-nats-exporter:0.17.3");
      expect(exporter.args).toEqual(["-port=7777", "-varz", "-jsz=all", "http://localhost:8222"]);
      expect(exporter.ports).toEqual([{ name: "metrics", containerPort: 7777, protocol: "TCP" }]);
      expect(exporter.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
      const monitor = get(id, "PodMonitor", "nats");
      expect(monitor.spec.podMetricsEndpoints).toEqual([{ port: "metrics", path: "/metrics", interval: "30s" }]);
      expect(get(id, "StatefulSet", "nats").spec.template.metadata.labels).toMatchObject(
        monitor.spec.selector.matchLabels,
      );
      expect(monitor.metadata.labels["monitoring.manifold.io/prometheus"]).toBeUndefined();
      const scrape = get(id, "NetworkPolicy", "nats").spec.ingress.find((r: Parsed) => r.ports[0].port === 7777);
      expect(scrape.from).toEqual([
        { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } },
      ]);
      const rules = get(id, "PrometheusRule", "multi-agent-rules").spec.groups.flatMap((g: Parsed) => g.rules);
      expect(rules.find((r: Parsed) => r.alert === "MultiAgentNatsConsumerLag").expr).toBe(
        'max by (stream_name, consumer_name) (jetstream_consumer_num_pending{namespace="multi-agent"}) > 1000',
      );
    });

    it(`${region}: Postgres runs its init scripts after initdb in the primary region; replicas recover instead`, () => {
      const pg = get(id, "Cluster", "postgres");
      if (region !== "us-west-2") {
        expect(pg.spec.bootstrap).toEqual({ recovery: { source: "postgres-us-west-2" } });
        expect(objectsOf(result, id, "ConfigMap").map((c) => c.metadata.name)).not.toContain("postgres-init");
        return;
      }
      const init = get(id, "ConfigMap", "postgres-init");
      expect(init.data["01-extensions.sql"]).toContain("CREATE EXTENSION");
      expect(pg.spec.bootstrap.initdb.postInitApplicationSQLRefs).toEqual({
        configMapRefs: [{ name: "postgres-init", key: "01-extensions.sql" }],
      });
    });

    it(`${region}: Qdrant's LoadBalancer is internal, limited to the VPC, and Qdrant requires an API key`, () => {
      const lb = get(id, "Service", "qdrant-external");
      expect(lb.spec.type).toBe("LoadBalancer");
      expect(lb.spec.loadBalancerSourceRanges).toEqual(["10.0.0.0/8"]);
      expect(lb.metadata.annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"]).toBe("internal");
      const env = get(id, "StatefulSet", "qdrant").spec.template.spec.containers[0].env;
      expect(env).toContainEqual({
        name: "QDRANT__SERVICE__API_KEY",
        valueFrom: { secretKeyRef: { name: "multi-agent-qdrant", key: "api-key" } },
      });
      const policy = get(id, "NetworkPolicy", "qdrant");
      expect(policy.spec.ingress).toContainEqual({
        from: [{ ipBlock: { cidr: "10.0.0.0/8" } }],
        ports: [{ protocol: "TCP", port: 6333 }],
      });
    });

    it(`${region}: the frontend's ConfigMap holds its Next.js variables, with public URLs on the region's domain`, () => {
      const cm = get(id, "ConfigMap", "frontend-env");
      expect(cm.data).toMatchObject({
        NEXT_PUBLIC_API_URL: `https://api.multi-agent.${DOMAIN[region]}`,
        NEXT_PUBLIC_APP_URL: `https://multi-agent.${DOMAIN[region]}`,
        API_URL: "http://gateway:3000",
        PORT: "3001",
      });
      const envFrom = get(id, "Deployment", "frontend").spec.template.spec.containers[0].envFrom;
      expect(envFrom).toContainEqual({ configMapRef: { name: "frontend-env" } });
    });

    it(`${region}: NGINX ingress routes multi-agent.<domain> to the frontend (and /api to the gateway), api.multi-agent.<domain> to the gateway`, () => {
      const web = get(id, "Ingress", "multi-agent");
      expect(web.spec.ingressClassName).toBe("nginx");
      const paths = [
        { path: "/api", pathType: "Prefix", backend: { service: { name: "gateway", port: { name: "http" } } } },
        { path: "/", pathType: "Prefix", backend: { service: { name: "frontend", port: { name: "http" } } } },
      ];
      // The region's name, and the global name routed to the nearest healthy region.
      expect(web.spec.rules).toEqual([
        { host: `multi-agent.${DOMAIN[region]}`, http: { paths } },
        { host: "multi-agent.example.com", http: { paths } },
      ]);
      const api = get(id, "Ingress", "multi-agent-api");
      expect(api.spec.rules[0].host).toBe(`api.multi-agent.${DOMAIN[region]}`);
      expect(api.spec.tls).toEqual([
        {
          hosts: [`api.multi-agent.${DOMAIN[region]}`, "api.multi-agent.example.com"],
          secretName: "multi-agent-api-tls",
        },
      ]);
      // external-dns publishes the region's name only; the global name is a health-checked latency record.
      expect(api.metadata.annotations).toMatchObject({
        "external-dns.alpha.kubernetes.io/ingress-hostname-source": "annotation-only",
        "external-dns.alpha.kubernetes.io/hostname": `api.multi-agent.${DOMAIN[region]}`,
      });
      expect(get(id, "RecordSet", "global-api-multi-agent").spec.resourceRecords).toEqual([
        { value: `api.multi-agent.${DOMAIN[region]}` },
      ]);
    });

    it(`${region}: secrets JWT, DB, OpenAI and Anthropic are ExternalSecrets; no value is rendered`, () => {
      expect(objectsOf(result, id, "Secret")).toEqual([]);
      const names = objectsOf(result, id, "ExternalSecret").map((e) => e.metadata.name);
      expect(names).toEqual(
        expect.arrayContaining([
          "multi-agent-jwt",
          "multi-agent-postgres",
          "multi-agent-openai",
          "multi-agent-anthropic",
        ]),
      );
      expect(envOf(get(id, "Deployment", "gateway")).JWT_SECRET).toEqual({
        secretKeyRef: { name: "multi-agent-jwt", key: "secret" },
      });
    });

    it.each(Object.keys(WIRING))(
      `${region}: %s gets the URLs of what it connects to, and postgres and nats`,
      (name) => {
        const env = envOf(get(id, "Deployment", name));
        // Outside the primary region the database is the primary's, reached across regions with TLS verified by the
        // cross-region CA, which the pod mounts where the URL and DATABASE_CA_FILE say.
        const ca = "/etc/manifold/cross-region-ca/ca.crt";
        const tls = region === "us-west-2" ? "" : `?sslmode=verify-full&sslrootcert=${ca}`;
        expect(env).toMatchObject({
          ...WIRING[name],
          NATS_URL: "nats://nats:4222",
          DATABASE_URL: `postgresql://postgres:5432/multi_agent${tls}`,
          ...(region === "us-west-2" ? {} : { DATABASE_CA_FILE: ca }),
        });
        const keys = Object.keys(env).filter((k) => k.endsWith("_API_KEY") && k !== "QDRANT_API_KEY");
        if (name === "vector") expect(keys).toEqual(["OPENAI_API_KEY"]);
        else if (AI.includes(name)) expect(keys.sort()).toEqual(["ANTHROPIC_API_KEY", "OPENAI_API_KEY"]);
        else expect(keys).toEqual([]);
      },
    );

    it(`${region}: default-deny, DNS, service-to-service, database access, and HTTPS egress for the AI services only`, () => {
      const policies = objectsOf(result, id, "NetworkPolicy");
      expect(policies.find((p) => p.metadata.name === "default-deny").spec).toEqual({
        podSelector: {},
        policyTypes: ["Ingress", "Egress"],
      });
      expect(policies.find((p) => p.metadata.name === "allow-dns")).toBeDefined();
      const https = (name: string) =>
        policies
          .find((p) => p.metadata.name === name)
          .spec.egress.some((r: Parsed) => r.ports?.[0]?.port === 443 && r.to?.[0]?.ipBlock?.cidr === "0.0.0.0/0");
      for (const [name] of SERVICES) expect(https(name), name).toBe(AI.includes(name));
      const agentEgress = policies
        .find((p) => p.metadata.name === "agent")
        .spec.egress.find((r: Parsed) => r.ports?.[0]?.port === 443);
      expect(agentEgress.to[0].ipBlock.except).toEqual(
        expect.arrayContaining(["10.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16"]),
      );
      const db = policies.find((p) => p.metadata.name === "postgres").spec;
      if (region === "us-west-2") {
        // The migration runs only where the database is writable: the primary region.
        const dbCallers = db.ingress[0].from.map((f: Parsed) => f.podSelector.matchLabels["app.kubernetes.io/name"]);
        expect(dbCallers.sort()).toEqual([
          "agent",
          "execution",
          "gateway",
          "migrate",
          "model",
          "orchestration",
          "tool",
          "vector",
        ]);
        // The other regions' networks reach the primary on its TLS port.
        expect(db.ingress).toContainEqual({
          from: [{ ipBlock: { cidr: "10.31.0.0/16" } }, { ipBlock: { cidr: "10.32.0.0/16" } }],
          ports: [{ protocol: "TCP", port: 5432 }],
        });
      } else {
        // Callers here write to the primary region; no pod of the platform calls the local replica cluster, which
        // follows the primary through the object store: only its own instances (a standby streams from the
        // designated primary), CloudNativePG's operator (5432, its instance manager on 8000) and the metrics scrape
        // reach it.
        const self = {
          podSelector: {
            matchLabels: { "app.kubernetes.io/name": "postgres", "app.kubernetes.io/part-of": "multi-agent" },
          },
        };
        expect(db.ingress).toEqual([
          { from: [self], ports: [{ protocol: "TCP", port: 5432 }] },
          {
            from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "cnpg-system" } } }],
            ports: [
              { protocol: "TCP", port: 5432 },
              { protocol: "TCP", port: 8000 },
            ],
          },
          {
            from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } }],
            ports: [{ protocol: "TCP", port: 9187 }],
          },
        ]);
        // It streams from its designated primary in the region, never across regions (the object store carries that).
        expect(db.egress).toContainEqual({ to: [self], ports: [{ protocol: "TCP", port: 5432 }] });
        expect(JSON.stringify(db.egress)).not.toContain("10.30.0.0/16");
      }
      const gatewayIn = policies.find((p) => p.metadata.name === "gateway").spec.ingress;
      expect(gatewayIn).toContainEqual({
        from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } }],
        ports: [{ protocol: "TCP", port: 3000 }],
      });
    });

    it(`${region}: waves follow the wiring: data, then leaf services, then orchestration, gateway and frontend`, () => {
      const wave = (kind: string, name: string) =>
        Number(get(id, kind, name).metadata.annotations["argocd.argoproj.io/sync-wave"]);
      expect(wave("StatefulSet", "nats")).toBeLessThan(wave("Deployment", "tool"));
      expect(wave("Deployment", "tool")).toBeLessThan(wave("Deployment", "agent"));
      expect(wave("Deployment", "agent")).toBeLessThan(wave("Deployment", "orchestration"));
      expect(wave("Deployment", "orchestration")).toBeLessThan(wave("Deployment", "gateway"));
      expect(wave("Deployment", "gateway")).toBeLessThan(wave("Deployment", "frontend"));
    });
  }

  it("every image is pinned, nowhere latest", () => {
    for (const t of result.targets) {
      for (const o of t.objects) {
        for (const c of (o.object as Parsed).spec?.template?.spec?.containers ?? [])
          expect(c.image, `${t.target.id} ${o.object.metadata.name}`).toMatch(/:[^:]+$/);
      }
    }
    expect([...result.files.values()].join("\n")).not.toMatch(/image: \S+:latest/);
  });
});
