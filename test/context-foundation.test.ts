/** The Context Foundation seed's (003) figures, in the rendered production output. */
import { describe, expect, it } from "vitest";
import { find, renderedObjects } from "./helpers/rendered.ts";
import description from "../platforms/context-foundation.ts";
import type { Parsed } from "./helpers/parsed.ts";
import type { IServicePort } from "kubernetes-models/v1/ServicePort";
import type { IContainerPort } from "kubernetes-models/v1/ContainerPort";

const prod = renderedObjects("production", "us-west-2", "context-foundation");
const ports = (svc: Parsed) => svc.spec.ports.map((p: IServicePort) => p.port);

describe("context-foundation (seed 003) in production", () => {
  it("runs the API on port 8000 from the pinned image, autoscaled up to 20 from the overlay's 5", () => {
    const api = find(prod, "Deployment", "context-api");
    const container = api.spec.template.spec.containers[0];
    expect(api.metadata.namespace).toBe("context-foundation");
    expect(container.image).toBe("ghcr.io/dpdpdpdp0987/context-api:v2.0.0");
    expect(container.ports.map((p: IContainerPort) => p.containerPort)).toEqual([8000]);
    expect(api.spec.replicas).toBeUndefined();
    expect(api.spec.strategy.rollingUpdate).toEqual({ maxSurge: 1, maxUnavailable: 0 });
    const hpa = find(prod, "HorizontalPodAutoscaler", "context-api");
    expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([5, 20]);
    expect(ports(find(prod, "Service", "context-api"))).toEqual([8000]);
  });

  it("keeps the seed's 3 to 20 range as the platform's own, and 1 and 2 replicas in dev and staging", () => {
    const api = description.components["context-api"];
    expect(api.type === "service" && api.autoscale).toMatchObject({ min: 3, max: 20 });
    expect(
      find(renderedObjects("dev", "us-west-2", "context-foundation"), "Deployment", "context-api").spec.replicas,
    ).toBe(1);
    const staging = find(
      renderedObjects("staging", "us-west-2", "context-foundation"),
      "HorizontalPodAutoscaler",
      "context-api",
    );
    expect([staging.spec.minReplicas, staging.spec.maxReplicas]).toEqual([2, 20]);
  });

  it.each([
    ["qdrant", [6333, 6334, 6335], []],
    ["neo4j", [7474, 7473, 7687], [5000, 6000, 7000]],
  ])(
    "runs %s as a 3-replica StatefulSet with ClusterIP and headless Services on its ports",
    (name, seedPorts, peerPorts) => {
      const set = find(prod, "StatefulSet", name as string);
      expect(set.spec.replicas).toBe(3);
      expect(set.spec.serviceName).toBe(`${name}-headless`);
      expect(set.spec.volumeClaimTemplates[0].spec.storageClassName).toBe("fast-ssd");
      const client = find(prod, "Service", name as string);
      const headless = find(prod, "Service", `${name}-headless`);
      expect(client.spec.type).toBe("ClusterIP");
      expect(ports(client)).toEqual(expect.arrayContaining(seedPorts as number[]));
      expect(headless.spec.clusterIP).toBe("None");
      expect(ports(headless)).toEqual(expect.arrayContaining([...(seedPorts as number[]), ...(peerPorts as number[])]));
    },
  );

  it("uses the cluster's fast-ssd, standard and archive StorageClasses (volume expansion on), and the backup claim", () => {
    // the classes are cluster-wide: the cluster layer renders them (addons/storage.ts), never the platform
    expect(prod.some((o) => o.kind === "StorageClass")).toBe(false);
    const classes = renderedObjects("clusters/production", "us-west-2", "storage");
    for (const name of ["fast-ssd", "standard", "archive"])
      expect(find(classes, "StorageClass", name).allowVolumeExpansion).toBe(true);
    const backup = find(prod, "PersistentVolumeClaim", "backup");
    expect(backup.spec.storageClassName).toBe("archive");
    // The claim is used: Neo4j's backup CronJob stages its backups on it (alone: it is ReadWriteOnce).
    const users = prod.filter((o) =>
      (o.spec?.jobTemplate?.spec?.template?.spec?.volumes ?? o.spec?.template?.spec?.volumes ?? []).some(
        (v: Parsed) => v.persistentVolumeClaim?.claimName === "backup",
      ),
    );
    expect(users.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(["CronJob/neo4j-backup"]);
    expect(find(classes, "StorageClass", "archive").volumeBindingMode).toBe("Immediate");
    // Production holds 1+ TB: three 100Gi volumes per store and the 500Gi backup (1100Gi), and the quota leaves room to
    // replace one volume of each (700Gi); dev stays within 100 GB.
    expect(find(prod, "ResourceQuota", "context-foundation").spec.hard).toMatchObject({
      "requests.storage": "1800Gi",
      persistentvolumeclaims: "10",
    });
    const dev = renderedObjects("dev", "us-west-2", "context-foundation");
    const devStorage = [
      find(dev, "PersistentVolumeClaim", "backup").spec.resources.requests.storage,
      ...dev
        .filter((o) => o.kind === "StatefulSet")
        .map((s) => s.spec.volumeClaimTemplates[0].spec.resources.requests.storage),
    ];
    // EBS limits: 16,000 IOPS need 32 GiB of gp3, and sc1 starts at 125 GiB.
    expect(devStorage).toEqual(["125Gi", "32Gi", "32Gi"]);
  });

  it("configures the API from the ConfigMap and the secret references, never values", () => {
    const cm = find(prod, "ConfigMap", "context-foundation-config");
    expect(cm.data).toMatchObject({
      ENVIRONMENT: "production",
      LOG_LEVEL: "INFO",
      QDRANT_HOST: "qdrant",
      QDRANT_PORT: "6333",
      NEO4J_URI: "neo4j://neo4j:7687",
    });
    const es = find(prod, "ExternalSecret", "context-secrets");
    expect(es.spec.data.map((d: { secretKey: string }) => d.secretKey).sort()).toEqual([
      "API_KEY",
      "JWT_SECRET",
      "NEO4J_AUTH",
      "NEO4J_PASSWORD",
      "NEO4J_USER",
    ]);
    expect(prod.filter((o) => o.kind === "Secret")).toEqual([]);
  });

  it("puts the namespace in an Istio mesh: TLS gateway, routes, circuit breaking, STRICT mTLS, authorization", () => {
    expect(find(prod, "Namespace", "context-foundation").metadata.labels["istio-injection"]).toBe("enabled");
    const gateway = find(prod, "Gateway", "context-foundation-gateway");
    expect(gateway.spec.servers.map((s: Parsed) => [s.port.number, s.port.protocol])).toEqual([
      [443, "HTTPS"],
      [80, "HTTP"],
    ]);
    expect(gateway.spec.servers[0].tls).toMatchObject({ mode: "SIMPLE", credentialName: "context-foundation-tls" });
    const vs = find(prod, "VirtualService", "context-foundation-gateway");
    expect(vs.spec.http[0].route[0].destination).toEqual({
      host: "context-api.context-foundation.svc.cluster.local",
      port: { number: 8000 },
    });
    expect(vs.spec.http[0].retries.attempts).toBe(3);
    for (const name of ["context-api", "qdrant", "neo4j"]) {
      const dr = find(prod, "DestinationRule", name);
      expect(dr.spec.trafficPolicy.outlierDetection.consecutive5xxErrors).toBe(5);
      expect(dr.spec.trafficPolicy.connectionPool.tcp.maxConnections).toBeGreaterThan(0);
    }
    expect(find(prod, "PeerAuthentication", "default").spec.mtls.mode).toBe("STRICT");
    expect(find(prod, "AuthorizationPolicy", "allow-nothing").spec).toEqual({});
    const neo4jPolicy = find(prod, "AuthorizationPolicy", "neo4j");
    expect(neo4jPolicy.spec.rules[0].from[0].source.principals).toEqual([
      "cluster.local/ns/context-foundation/sa/context-api",
    ]);
  });

  it("has a VPA for each of the three components, recommendation-only beside the HPA", () => {
    const vpas = prod.filter((o) => o.kind === "VerticalPodAutoscaler");
    expect(vpas.map((v) => `${v.spec.targetRef.kind}/${v.spec.targetRef.name}`).sort()).toEqual([
      "Deployment/context-api",
      "StatefulSet/neo4j",
      "StatefulSet/qdrant",
    ]);
    expect(find(prod, "VerticalPodAutoscaler", "context-api").spec.updatePolicy.updateMode).toBe("Off");
  });

  it("has one ServiceAccount per component, default-deny NetworkPolicies, and Istio traffic allowed", () => {
    expect(
      prod
        .filter((o) => o.kind === "ServiceAccount")
        .map((o) => o.metadata.name)
        .sort(),
    ).toEqual([
      "context-api",
      "context-foundation-secret-store",
      "neo4j",
      "neo4j-backup",
      "neo4j-restore",
      "qdrant",
      "qdrant-backup",
      "qdrant-restore",
    ]);
    expect(find(prod, "NetworkPolicy", "default-deny").spec.policyTypes).toEqual(["Ingress", "Egress"]);
    expect(find(prod, "NetworkPolicy", "allow-istio-control-plane").spec.egress[0].ports).toEqual([
      { protocol: "TCP", port: 15012 },
    ]);
    expect(find(prod, "NetworkPolicy", "context-api-from-mesh-gateway").spec.ingress[0].ports).toEqual([
      { protocol: "TCP", port: 8000 },
    ]);
  });

  it("admits Neo4j's backup on the backup port and its restore on Bolt, which its cypher-shell uses", () => {
    const rules = find(prod, "AuthorizationPolicy", "neo4j").spec.rules as Parsed[];
    const of = (sa: string) =>
      rules.find((r) => r.from?.[0].source.principals?.includes(`cluster.local/ns/context-foundation/sa/${sa}`));
    expect(of("neo4j-backup")?.to).toEqual([{ operation: { ports: ["6362"] } }]);
    expect(of("neo4j-restore")?.to).toEqual([{ operation: { ports: ["7687"] } }]);
    expect(
      find(prod, "CronJob", "neo4j-restore").spec.jobTemplate.spec.template.spec.containers[0].command[2],
    ).toContain("neo4j://neo4j.context-foundation.svc:7687");
  });

  it("monitors all three components and alerts on the seed's thresholds", () => {
    expect(
      prod
        .filter((o) => o.kind === "ServiceMonitor")
        .map((o) => o.metadata.name)
        .sort(),
    ).toEqual(["context-api", "neo4j", "qdrant"]);
    const rules = find(prod, "PrometheusRule", "context-foundation-rules").spec.groups.flatMap((g: Parsed) => g.rules);
    expect(rules.length).toBeGreaterThanOrEqual(12);
    const expr = (name: string) => rules.find((r: Parsed) => r.alert === name)?.expr as string;
    const thresholds: [string, RegExp][] = [
      ["ContextAPIHighErrorRate", /> 0\.05$/],
      ["ContextAPIHighLatency", /^histogram_quantile\(0\.95,.*> 2$/],
      ["ContextAPIPodDown", /< 2$/],
      ["ContextAPIMemoryPressure", /> 0\.9$/],
      ["QdrantPodDown", /replicas_ready.*< 2$/],
      ["QdrantHighDiskUsage", /> 0\.85$/],
      ["QdrantSearchLatencyHigh", /^histogram_quantile\(0\.95,.*> 1$/],
      ["Neo4jPodDown", /replicas_ready.*< 2$/],
      ["Neo4jHighDiskUsage", /> 0\.85$/],
      ["Neo4jClusterNotHealthy", /raft_is_leader.*< 1/],
      ["Neo4jHighQueryLatency", /quantile="0\.95".*> 5000$/],
    ];
    for (const [alert, threshold] of thresholds) expect(expr(alert), alert).toMatch(threshold);
  });

  it("ships the Grafana dashboard with 12 panels", () => {
    const cm = find(prod, "ConfigMap", "dashboard-context-foundation");
    expect(cm.metadata.labels.grafana_dashboard).toBe("1");
    expect(JSON.parse(cm.data["context-foundation.json"]).panels).toHaveLength(12);
  });
});
