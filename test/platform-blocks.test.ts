/** The platform-level building blocks: VPA, Neo4j, storage, Istio mesh, alert rules and the Prometheus stack. */
import { describe, expect, it } from "vitest";
import { neo4j, platform, service } from "../compiler/index.ts";
import type { PlatformDescription } from "../compiler/index.ts";
import { compilePlatforms, objectsOf } from "./helpers/memory.ts";
import { ManifoldError, errorLines } from "../compiler/errors.ts";
import type { IEnvVar } from "kubernetes-models/v1/EnvVar";
import type { INetworkPolicyPort } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort";
import type { IServicePort } from "kubernetes-models/v1/ServicePort";

/** The formatted lines of the error a compile fails with. */
async function failure(p: PlatformDescription): Promise<string> {
  try {
    await compilePlatforms([p]);
  } catch (e) {
    if (e instanceof ManifoldError) return errorLines(e).join("\n");
    throw e;
  }
  throw new Error("the compile succeeded");
}

const small = { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "200m", memory: "256Mi" } };
const api = (extra: object = {}) =>
  service({ image: "docker.io/demo/api:1.0.0", ports: { http: 8080 }, replicas: 2, resources: small, ...extra });
const demo = (extra: Partial<PlatformDescription>) =>
  platform({ name: "demo", namespace: "demo", components: { api: api() }, ...extra });

describe("platform building blocks", () => {
  it("a VPA that would fight a cpu/memory HPA is an error naming the field", async () => {
    const bad = demo({
      components: { api: api({ autoscale: { min: 2, max: 4, cpu: 70 }, verticalScaling: { mode: "Auto" } }) },
    });
    expect(await failure(bad)).toMatch(
      /platforms\/demo\.ts: components\.api\.verticalScaling\.mode: verticalScaling mode "Auto" would fight the HPA/,
    );
  });

  it("a VPA targets the workload's container and leaves limits alone", async () => {
    const result = await compilePlatforms([
      demo({ components: { api: api({ verticalScaling: { mode: "Auto", max: { cpu: "1000m", memory: "1Gi" } } }) } }),
    ]);
    const [vpa] = objectsOf(result, "demo/production/us-west-2", "VerticalPodAutoscaler");
    expect(vpa.spec).toEqual({
      targetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "api" },
      updatePolicy: { updateMode: "Auto" },
      resourcePolicy: {
        containerPolicies: [
          {
            containerName: "api",
            controlledResources: ["cpu", "memory"],
            controlledValues: "RequestsOnly",
            maxAllowed: { cpu: "1", memory: "1Gi" },
          },
        ],
      },
    });
    // The quota leaves room for the VPA's maximum requests, and for one rolling-update surge pod at that maximum.
    const [quota] = objectsOf(result, "demo/production/us-west-2", "ResourceQuota");
    expect(quota.spec.hard["requests.cpu"]).toBe("3");
  });

  it("Neo4j clusters over its peer ports with more than one replica, and runs alone with one", async () => {
    const result = await compilePlatforms([
      // A JVM's heap and page cache need more than `small` beside the headroom memory-settings asks for.
      demo({
        components: {
          graph: neo4j({ replicas: 3, storage: "1Gi", resources: { ...small, limits: { cpu: "1", memory: "2Gi" } } }),
        },
      }),
    ]);
    const env = (id: string) =>
      objectsOf(result, id, "StatefulSet")[0].spec.template.spec.containers[0].env.map((e: IEnvVar) => e.name);
    expect(env("demo/production/us-west-2")).toContain("NEO4J_dbms_cluster_discovery_endpoints");
    expect(env("demo/dev/us-west-2")).not.toContain("NEO4J_dbms_cluster_discovery_endpoints");
    // Heap and page cache from the memory limit, half each of what a fifth's headroom leaves.
    const memory = objectsOf(result, "demo/production/us-west-2", "StatefulSet")[0]
      .spec.template.spec.containers[0].env.filter((e: IEnvVar) => e.name.startsWith("NEO4J_server_memory_"))
      .map((e: IEnvVar) => `${e.name}=${e.value}`);
    expect(memory).toEqual([
      "NEO4J_server_memory_heap_initial__size=819m",
      "NEO4J_server_memory_heap_max__size=819m",
      "NEO4J_server_memory_pagecache_size=819m",
    ]);
    const policy = objectsOf(result, "demo/production/us-west-2", "NetworkPolicy").find(
      (p) => p.metadata.name === "graph",
    );
    // Its peers (the backup CronJob reads the backup port, 6362, too).
    const peers = policy.spec.ingress.find(
      (r: { from: { podSelector?: { matchLabels: Record<string, string> } }[] }) =>
        r.from[0].podSelector?.matchLabels["app.kubernetes.io/name"] === "graph",
    );
    expect(peers.ports.map((p: INetworkPolicyPort) => p.port)).toEqual([
      7474, 7473, 7687, 2004, 5000, 6000, 7000, 6362,
    ]);
    const client = objectsOf(result, "demo/production/us-west-2", "Service").find((s) => s.metadata.name === "graph");
    expect(client.spec.ports.map((p: IServicePort) => p.port)).toEqual([7474, 7473, 7687, 2004]);
  });

  it("StorageClasses belong to the cluster layer: a platform's own is refused, claims name the layer's and count in the quota", async () => {
    expect(
      await failure(
        demo({
          storageClasses: { fast: { provisioner: "ebs.csi.aws.com", allowVolumeExpansion: true } },
          volumes: { backup: { storage: "10Gi", storageClass: "fast" } },
        }),
      ),
    ).toMatch(
      /platforms\/demo\.ts: cluster-layer-kinds: StorageClass\/fast \/kind: StorageClass is owned by the cluster layer: every platform on the cluster shares it/,
    );
    // `fast-ssd` is a class of the cluster layer (addons/storage.ts): the platform renders none; its claim names it
    // (40Gi: the class's 16,000 IOPS need 32 GiB at EBS's 500 IOPS per GiB, which provider-limits checks).
    const result = await compilePlatforms([
      demo({ volumes: { backup: { storage: "40Gi", storageClass: "fast-ssd" } } }),
    ]);
    const id = "demo/production/us-west-2";
    expect(objectsOf(result, id, "StorageClass")).toEqual([]);
    expect(objectsOf(result, id, "PersistentVolumeClaim")[0].spec).toMatchObject({
      storageClassName: "fast-ssd",
      resources: { requests: { storage: "40Gi" } },
    });
    // The claim and a spare beside it, so the volume can be replaced while the old claim still counts.
    expect(objectsOf(result, id, "ResourceQuota")[0].spec.hard).toMatchObject({
      persistentvolumeclaims: "2",
      "requests.storage": "80Gi",
    });
  });

  it("a layer may resize a standalone volume, and naming an unknown one is an error", async () => {
    const volumes = { backup: { storage: "10Gi" } };
    const result = await compilePlatforms([
      demo({ volumes, environments: { dev: { volumes: { backup: { storage: "1Gi" } } } } }),
    ]);
    expect(objectsOf(result, "demo/dev/us-west-2", "PersistentVolumeClaim")[0].spec.resources.requests.storage).toBe(
      "1Gi",
    );
    expect(
      objectsOf(result, "demo/staging/us-west-2", "PersistentVolumeClaim")[0].spec.resources.requests.storage,
    ).toBe("10Gi");
    expect(
      await failure(demo({ volumes, environments: { dev: { volumes: { backups: { storage: "1Gi" } } } } })),
    ).toMatch(/platforms\/demo\.ts: volumes\.backups: names unknown volume "backups"/);
  });

  it("a mesh route to an unknown component is an error naming the field", async () => {
    const bad = demo({
      mesh: { mtls: "STRICT", gateway: { host: "demo", credentialName: "demo-tls", routes: [{ component: "nope" }] } },
    });
    expect(await failure(bad)).toMatch(
      /platforms\/demo\.ts: mesh\.gateway\.routes\[0\]\.component: names unknown component "nope"/,
    );
  });

  it("the mesh allows callers by identity, opens NGINX-exposed ports, and counts sidecars in the quota", async () => {
    const result = await compilePlatforms([
      demo({
        components: { api: api({ dependsOn: ["db"], expose: { host: "demo" } }), db: api({ ports: { pg: 5432 } }) },
        mesh: { mtls: "STRICT" },
      }),
    ]);
    const id = "demo/production/us-west-2";
    const db = objectsOf(result, id, "AuthorizationPolicy").find((p) => p.metadata.name === "db");
    expect(db.spec.rules).toEqual([
      {
        from: [{ source: { principals: ["cluster.local/ns/demo/sa/api"] } }],
        to: [{ operation: { ports: ["5432"] } }],
      },
    ]);
    const open = objectsOf(result, id, "PeerAuthentication").find((p) => p.metadata.name === "api");
    expect(open.spec.portLevelMtls).toEqual({ "8080": { mode: "PERMISSIVE" } });
    // 4 pods, each with Istio's 100m sidecar on top of 100m, the smoke-test hook's 50m (hooks run outside the mesh),
    // and each Deployment's rolling-update surge pod (25% of 2, rounded up) with its sidecar.
    expect(objectsOf(result, id, "ResourceQuota")[0].spec.hard["requests.cpu"]).toBe("1250m");
  });

  it("a service's files become a ConfigMap per directory, mounted read-only there", async () => {
    const result = await compilePlatforms([
      demo({ components: { api: api({ files: { "/etc/app/conf.d": { "b.yaml": "b: 2\n", "a.yaml": "a: 1\n" } } }) } }),
    ]);
    const id = "demo/dev/us-west-2";
    const cm = objectsOf(result, id, "ConfigMap").find((c) => c.metadata.name === "api-etc-app-conf-d");
    expect(Object.keys(cm.data)).toEqual(["a.yaml", "b.yaml"]);
    const pod = objectsOf(result, id, "Deployment")[0].spec.template.spec;
    expect(pod.containers[0].volumeMounts).toContainEqual({
      name: "files-etc-app-conf-d",
      mountPath: "/etc/app/conf.d",
      readOnly: true,
    });
    expect(pod.volumes).toContainEqual({ name: "files-etc-app-conf-d", configMap: { name: "api-etc-app-conf-d" } });
  });

  it("alerts and recording rules render as one PrometheusRule, labelled with what Alertmanager routes on", async () => {
    const result = await compilePlatforms([
      demo({
        recordingRules: { slo: [{ record: "demo:up", expr: "avg(up)" }] },
        alerts: {
          "slo-alerts": [{ alert: "DemoDown", expr: "demo:up < 1", for: "5m", severity: "critical", summary: "down" }],
        },
      }),
    ]);
    const [rule] = objectsOf(result, "demo/staging/us-east-1", "PrometheusRule");
    expect(rule.spec.groups).toEqual([
      { name: "slo", rules: [{ record: "demo:up", expr: "avg(up)" }] },
      {
        name: "slo-alerts",
        rules: [
          {
            alert: "DemoDown",
            expr: "demo:up < 1",
            for: "5m",
            labels: {
              severity: "critical",
              platform: "demo",
              namespace: "demo",
              environment: "staging",
              region: "us-east-1",
              scope: "symptom",
            },
            annotations: { summary: "down" },
          },
        ],
      },
    ]);
  });
});
