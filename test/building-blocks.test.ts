import { describe, expect, it } from "vitest";
import { platform, postgres, secretRef, service } from "../compiler/index.ts";
import { compilePlatforms, objectsOf } from "./helpers/memory.ts";

const small = { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "200m", memory: "256Mi" } };

describe("building blocks", () => {
  it("metrics render a ServiceMonitor, and production lets Prometheus scrape the port", async () => {
    const result = await compilePlatforms([
      platform({
        name: "demo",
        namespace: "demo",
        components: {
          api: service({
            image: "docker.io/demo/api:1.0.0",
            ports: { http: 8080, metrics: 9090 },
            replicas: 2,
            resources: small,
            metrics: { port: "metrics", interval: "15s" },
          }),
        },
      }),
    ]);
    const [monitor] = objectsOf(result, "demo/production/us-west-2", "ServiceMonitor");
    expect(monitor.spec).toEqual({
      selector: {
        matchLabels: { "app.kubernetes.io/name": "api", "app.kubernetes.io/part-of": "demo" },
        matchExpressions: [{ key: "manifold.dev/headless", operator: "DoesNotExist" }],
      },
      namespaceSelector: { matchNames: ["demo"] },
      endpoints: [{ port: "metrics", path: "/metrics", interval: "15s" }],
    });
    const policy = objectsOf(result, "demo/production/us-west-2", "NetworkPolicy").find(
      (p) => p.metadata.name === "api",
    );
    expect(policy.spec.ingress).toContainEqual({
      from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } }],
      ports: [{ protocol: "TCP", port: 9090 }],
    });
  });

  it("access renders a Role and RoleBinding and mounts the token", async () => {
    const result = await compilePlatforms([
      platform({
        name: "demo",
        namespace: "demo",
        components: {
          core: service({
            image: "docker.io/demo/core:1.0.0",
            ports: { http: 8011 },
            replicas: 2,
            resources: small,
            access: [{ apiGroups: [""], resources: ["configmaps", "secrets"], verbs: ["get", "list"] }],
          }),
        },
      }),
    ]);
    const id = "demo/dev/us-west-2";
    expect(objectsOf(result, id, "Role")[0].rules).toEqual([
      { apiGroups: [""], resources: ["configmaps", "secrets"], verbs: ["get", "list"] },
    ]);
    expect(objectsOf(result, id, "RoleBinding")[0].subjects).toEqual([
      { kind: "ServiceAccount", name: "core", namespace: "demo" },
    ]);
    expect(objectsOf(result, id, "ServiceAccount")[0].automountServiceAccountToken).toBe(true);
  });

  it("dashboards render as ConfigMaps labelled grafana_dashboard", async () => {
    const result = await compilePlatforms([
      platform({
        name: "demo",
        namespace: "demo",
        components: {
          api: service({ image: "docker.io/demo/api:1.0.0", ports: { http: 8080 }, replicas: 2, resources: small }),
        },
        dashboards: { overview: { title: "Demo", panels: [] } },
      }),
    ]);
    const cm = objectsOf(result, "demo/dev/us-west-2", "ConfigMap").find(
      (c) => c.metadata.name === "dashboard-overview",
    );
    expect(cm.metadata.labels.grafana_dashboard).toBe("1");
    expect(JSON.parse(cm.data["overview.json"])).toEqual({ title: "Demo", panels: [] });
  });

  it("a platform with a relational database must declare its migrations", async () => {
    await expect(
      compilePlatforms([
        platform({
          name: "demo",
          namespace: "demo",
          components: { db: postgres({ replicas: 1, storage: "1Gi", resources: small }) },
        }),
      ]),
    ).rejects.toThrow(/declares a relational database \(db\) but no migrations/);
  });

  it("a store's password becomes an ExternalSecret, and the primary region gets the writable cluster", async () => {
    const result = await compilePlatforms([
      platform({
        name: "demo",
        namespace: "demo",
        components: {
          db: postgres({ replicas: 2, storage: "1Gi", password: secretRef("demo-db", "password"), resources: small }),
        },
        migrations: { image: "docker.io/demo/migrate:1.0.0", command: ["migrate"], dependsOn: ["db"] },
      }),
    ]);
    expect(objectsOf(result, "demo/staging/us-west-2", "StatefulSet")).toEqual([]);
    expect(objectsOf(result, "demo/staging/us-west-2", "Cluster")[0].spec.replica.primary).toBe("db-us-west-2");
    expect(objectsOf(result, "demo/staging/us-east-1", "Cluster")[0].spec.replica.primary).toBe("db-us-west-2");
    // The owner's basic-auth Secret for initdb (primary region only) reads the same remote key as the apps.
    const app = objectsOf(result, "demo/staging/us-west-2", "ExternalSecret").find((e) => e.metadata.name === "db-app");
    expect(app.spec.data).toEqual([
      { secretKey: "password", remoteRef: { key: "staging/demo/demo-db", property: "password" } },
    ]);
    expect(app.spec.target.template.type).toBe("kubernetes.io/basic-auth");
    expect(
      objectsOf(result, "demo/staging/us-east-1", "ExternalSecret")
        .find((e) => e.metadata.name === "demo-db")
        .spec.data.map((d: { secretKey: string }) => d.secretKey),
    ).toEqual(["password"]);
  });
});
