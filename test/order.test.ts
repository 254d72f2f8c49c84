import { describe, expect, it } from "vitest";
import { platform, postgres, secretRef, service } from "../compiler/index.ts";
import type { PlatformDescription } from "../compiler/index.ts";
import { ManifoldError, errorLines } from "../compiler/errors.ts";
import { DependencyCycleError, layerComponents } from "../compiler/graph/dependency.ts";
import { compilePlatforms, objectsOf } from "./helpers/memory.ts";
import type { KubeObject } from "../compiler/model/object.ts";
import { WAVE_ANNOTATION } from "../compiler/sync/annotations.ts";

const small = { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "200m", memory: "256Mi" } };
const svc = (dependsOn: string[] = [], extra = {}) =>
  service({
    image: "docker.io/demo/app:1.0.0",
    ports: { http: 8080 },
    replicas: 2,
    resources: small,
    dependsOn,
    ...extra,
  });
const wave = (o: KubeObject) => Number(o.metadata.annotations?.[WAVE_ANNOTATION]);

async function compileError(p: PlatformDescription): Promise<string[]> {
  try {
    await compilePlatforms([p]);
  } catch (e) {
    if (e instanceof ManifoldError) return errorLines(e);
    throw e;
  }
  throw new Error("expected a compile error");
}

describe("longest-path layering", () => {
  it.each<[Record<string, { dependsOn?: string[] }>, Record<string, number>]>([
    [
      { a: {}, b: { dependsOn: ["a"] }, c: { dependsOn: ["b"] } },
      { a: 0, b: 1, c: 2 },
    ],
    [
      { a: {}, b: {}, c: { dependsOn: ["a", "b"] } },
      { a: 0, b: 0, c: 1 },
    ],
    [
      { db: {}, api: { dependsOn: ["db"] }, web: { dependsOn: ["api", "db"] } },
      { db: 0, api: 1, web: 2 },
    ],
    [
      { x: { dependsOn: ["y"] }, y: { dependsOn: ["z"] }, z: {}, w: { dependsOn: ["z"] } },
      { x: 2, y: 1, z: 0, w: 1 },
    ],
  ])("layers %j", (graph, expected) => {
    expect(Object.fromEntries(layerComponents(graph))).toEqual(expected);
  });

  it("names the whole cycle and the file", async () => {
    const lines = await compileError(
      platform({
        name: "demo",
        namespace: "demo",
        components: { gateway: svc(["orchestration"]), orchestration: svc(["worker"]), worker: svc(["gateway"]) },
      }),
    );
    expect(lines).toEqual([
      "platforms/demo.ts: components.gateway.dependsOn: dependency cycle: gateway -> orchestration -> worker -> gateway [target demo]",
    ]);
  });

  it("a cycle is a DependencyCycleError carrying its members, first repeated last", () => {
    const graph = { a: { dependsOn: ["b"] }, b: { dependsOn: ["c"] }, c: { dependsOn: ["a"] }, d: {} };
    let caught: unknown;
    try {
      layerComponents(graph, { file: "platforms/x.ts", target: "x" });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(DependencyCycleError);
    const e = caught as DependencyCycleError;
    expect(e.members).toEqual(["a", "b", "c", "a"]);
    expect([e.message, e.file, e.field, e.target]).toEqual([
      "dependency cycle: a -> b -> c -> a",
      "platforms/x.ts",
      "components.a.dependsOn",
      "x",
    ]);
  });

  it("rejects a dependency on an unknown component", async () => {
    const lines = await compileError(
      platform({ name: "demo", namespace: "demo", components: { gateway: svc(["nope"]) } }),
    );
    expect(lines[0]).toBe(
      'platforms/demo.ts: components.gateway.dependsOn[0]: depends on unknown component "nope"; known: gateway [target demo]',
    );
  });
});

describe("waves", () => {
  const demo = platform({
    name: "demo",
    namespace: "demo",
    components: {
      db: postgres({ replicas: 2, storage: "1Gi", password: secretRef("demo-db", "password"), resources: small }),
      api: svc(["db"], {
        env: { DB_PASSWORD: secretRef("demo-db", "password") },
        autoscale: { min: 2, max: 4, cpu: 70 },
        expose: { host: "api" },
      }),
      worker: svc(["api"]),
      standalone: svc(),
    },
    migrations: { image: "docker.io/demo/app:1.0.0", command: ["migrate"], dependsOn: ["db"] },
    notify: { webhook: secretRef("demo-alerts", "webhook") },
  });

  it("puts the ExternalSecrets in a wave of their own, strictly before every workload, and workloads after what they depend on", async () => {
    const result = await compilePlatforms([demo]);
    const objects = objectsOf(result, "demo/production/us-west-2");
    const byName = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
    expect(wave(byName("SecretStore", "demo-secret-store"))).toBe(0);
    expect(wave(byName("ExternalSecret", "demo-db"))).toBe(1);
    expect(
      wave(
        byName("ConfigMap", "demo-config") ?? { metadata: { annotations: { "argocd.argoproj.io/sync-wave": "0" } } },
      ),
    ).toBe(0);
    expect(wave(byName("Cluster", "db"))).toBe(2);
    expect(wave(byName("Deployment", "standalone"))).toBe(2);
    expect(wave(byName("Job", "migrate"))).toBe(3);
    expect(wave(byName("Deployment", "api"))).toBe(4);
    expect(wave(byName("Service", "api"))).toBe(4);
    expect(wave(byName("Deployment", "worker"))).toBe(5);
    expect(wave(byName("HorizontalPodAutoscaler", "api"))).toBe(6);
    expect(wave(byName("Ingress", "api"))).toBe(7);
    expect(byName("ExternalSecret", "demo-db").metadata.annotations["argocd.argoproj.io/sync-options"]).toBe(
      "SkipDryRunOnMissingResource=true",
    );
  });

  it("the migration is a Sync hook with a delete policy, retries and a deadline, only in the primary region", async () => {
    const result = await compilePlatforms([demo]);
    const job = objectsOf(result, "demo/production/us-west-2", "Job").find((o) => o.metadata.name === "migrate");
    expect(job.metadata.annotations).toMatchObject({
      "argocd.argoproj.io/hook": "Sync",
      "argocd.argoproj.io/hook-delete-policy": "BeforeHookCreation,HookSucceeded",
    });
    expect(job.spec).toMatchObject({ backoffLimit: 2, activeDeadlineSeconds: 600 });
    expect(job.spec.template.spec.restartPolicy).toBe("Never");
    expect(
      objectsOf(result, "demo/production/us-east-1", "Job")
        .map((j) => j.metadata.name)
        .sort(),
    ).toEqual(["notify-failure", "smoke-test"]);
    // The secondary keeps the migration's (empty) wave, so every region has the same waves.
    const api = objectsOf(result, "demo/production/us-east-1", "Deployment").find((o) => o.metadata.name === "api");
    expect(wave(api)).toBe(4);
  });

  it("the smoke test calls each exposed service's health endpoint after the sync; the failure notice posts to the webhook", async () => {
    const result = await compilePlatforms([demo]);
    const jobs = objectsOf(result, "demo/dev/us-west-2", "Job");
    const smoke = jobs.find((j) => j.metadata.name === "smoke-test");
    expect(smoke.metadata.annotations["argocd.argoproj.io/hook"]).toBe("PostSync");
    expect(smoke.spec.template.spec.containers[0].args[0]).toContain("http://api:8080/health");
    const notify = jobs.find((j) => j.metadata.name === "notify-failure");
    expect(notify.metadata.annotations["argocd.argoproj.io/hook"]).toBe("SyncFail");
    expect(notify.spec.template.spec.containers[0].env).toEqual([
      { name: "WEBHOOK_URL", valueFrom: { secretKeyRef: { name: "demo-alerts", key: "webhook" } } },
    ]);
    const policy = objectsOf(result, "demo/production/us-west-2", "NetworkPolicy").find(
      (p) => p.metadata.name === "smoke-test",
    );
    expect(policy.spec.egress[0].to[0].podSelector.matchLabels["app.kubernetes.io/name"]).toBe("api");
  });

  it("needs no separate foundation wave when the foundation has no custom resources", async () => {
    const result = await compilePlatforms([
      platform({ name: "plain", namespace: "plain", smokeTest: false, components: { a: svc(), b: svc(["a"]) } }),
    ]);
    const objects = objectsOf(result, "plain/dev/us-west-2");
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}=${wave(o)}`)).toEqual([
      "Namespace/plain=0",
      "ServiceAccount/a=0",
      "ServiceAccount/b=0",
      "ConfigMap/plain-config=0",
      "Service/a=0",
      "Deployment/a=0",
      "Service/b=1",
      "Deployment/b=1",
    ]);
  });
});
