import { describe, expect, it } from "vitest";
import { ManifoldError } from "../compiler/errors.ts";
import { platform, postgres, redis, secretRef, service } from "../compiler/index.ts";
import { automatedPolicy } from "../compiler/argocd/applicationset.ts";
import { validateLayer } from "../compiler/argocd/validate.ts";
import { versionProblems } from "../compiler/argocd/versions.ts";
import { formatAppsPlan } from "../compiler/argocd/plan.ts";
import { compilePlatforms, repoArgoCd } from "./helpers/memory.ts";
import type { Parsed } from "./helpers/parsed.ts";

const resources = { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "200m", memory: "256Mi" } };
const probes = { liveness: { path: "/health" }, readiness: { path: "/ready" } };

/** A platform with a replicated database and cache, migrations, and a service that uses them. */
const shop = () =>
  platform({
    name: "shop",
    namespace: "shop",
    namePrefix: "shop-",
    components: {
      db: postgres({ replicas: 2, storage: "1Gi", password: secretRef("shop-db", "password"), resources }),
      cache: redis({ replicas: 2, storage: "1Gi", resources }),
      api: service({
        image: "docker.io/shop/api:1.0.0",
        ports: { http: 8080 },
        replicas: 2,
        resources,
        probes,
        dependsOn: ["db", "cache"],
      }),
    },
    migrations: { image: "docker.io/shop/api:1.0.0", command: ["/migrate"], dependsOn: ["db"], resources },
  });

async function layerOf(version?: string) {
  const layer = await repoArgoCd();
  if (version) layer.argocdVersion = version;
  const result = await compilePlatforms([shop()], { argocd: layer });
  return result.argocd!;
}

describe("the rollout model: the primary region first", () => {
  it("production and staging roll out primary first; the expansion puts every replica region after it", async () => {
    const layer = await layerOf();
    const steps = Object.fromEntries(layer.applications.map((a) => [a.application.metadata.name, a.step]));
    expect(steps).toEqual({
      "shop-dev-us-west-2": undefined,
      "shop-staging-us-west-2": 1,
      "shop-staging-us-east-1": 2,
      "shop-production-us-west-2": 1,
      "shop-production-us-east-1": 2,
      "shop-production-eu-west-1": 3,
    });
  });

  it("the migration Job renders in every region where its database is writable, and only there", async () => {
    const official = shop();
    (official.components as Record<string, unknown>).db = postgres({
      flavor: "official",
      replicas: 1,
      storage: "1Gi",
      password: secretRef("shop-db", "password"),
      resources,
      waive: { "min-replicas": "one standalone server per region" },
    });
    (official as Parsed).environments = { staging: { components: { db: { replicas: 1 } } } };
    const both = await Promise.all([compilePlatforms([shop()]), compilePlatforms([official])]);
    const migrating = (r: (typeof both)[number]) =>
      [...r.files.keys()].filter((f) => f.endsWith("/job-shop-migrate.yaml")).sort();
    expect(migrating(both[0])).toEqual([
      "dev/us-west-2/shop/job-shop-migrate.yaml",
      "production/us-west-2/shop/job-shop-migrate.yaml",
      "staging/us-west-2/shop/job-shop-migrate.yaml",
    ]);
    expect(migrating(both[1])).toEqual([
      "dev/us-west-2/shop/job-shop-migrate.yaml",
      "production/eu-west-1/shop/job-shop-migrate.yaml",
      "production/us-east-1/shop/job-shop-migrate.yaml",
      "production/us-west-2/shop/job-shop-migrate.yaml",
      "staging/us-east-1/shop/job-shop-migrate.yaml",
      "staging/us-west-2/shop/job-shop-migrate.yaml",
    ]);
  });

  it("plan --apps shows the model: primary first", async () => {
    const layer = await layerOf();
    const production = layer.plan.environments.find((e) => e.name === "production")!;
    expect(production.steps.map((s) => s.roles)).toEqual([["primary"], ["secondary"], ["tertiary"]]);
    const after = production.steps.flatMap((s) =>
      s.clusters.flatMap((c) => c.applications.map((a) => [s.step, a.name, a.after])),
    );
    expect(after).toEqual([
      [1, "shop-production-us-west-2", []],
      [
        2,
        "shop-production-us-east-1",
        [
          {
            application: "shop-production-us-west-2",
            reason: "its cache, db follow the primary there; its schema is migrated there",
          },
        ],
      ],
      [
        3,
        "shop-production-eu-west-1",
        [
          {
            application: "shop-production-us-west-2",
            reason: "its cache, db follow the primary there; its schema is migrated there",
          },
        ],
      ],
    ]);
    expect(formatAppsPlan(layer.plan)).toContain(
      "        after shop-production-us-west-2: its cache, db follow the primary there; its schema is migrated there\n",
    );
  });
});

describe("RollingSync fails closed", () => {
  it("the template's automated policy is switched off (enabled: false), keeping prune and selfHeal as written", async () => {
    const layer = await layerOf();
    const set = layer.objects.find((o) => o.metadata.name === "shop-production") as Parsed;
    expect(set.spec.template.spec.syncPolicy.automated).toEqual({ enabled: false, prune: true, selfHeal: false });
    const dev = layer.objects.find((o) => o.metadata.name === "shop-dev") as Parsed;
    expect(dev.spec.template.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    expect(layer.findings).toEqual([]);
  });

  it("an Argo CD without automated.enabled gets no automated policy at all under RollingSync", () => {
    const policy = {
      automated: { prune: true, selfHeal: false },
      rollout: { type: "RollingSync" as const },
      preserveResourcesOnDeletion: true,
    };
    expect(automatedPolicy(policy, "3.2")).toEqual({});
    expect(automatedPolicy(policy, "3.3")).toEqual({ automated: { enabled: false, prune: true, selfHeal: false } });
    expect(automatedPolicy({ ...policy, rollout: { type: "AllAtOnce" } }, "3.0")).toEqual({
      automated: { prune: true, selfHeal: false },
    });
  });

  it("automated.enabled needs Argo CD 3.3: an older declared version is never given it, and rendering it is an error", async () => {
    const layer = await repoArgoCd();
    layer.argocdVersion = "3.2";
    const error = await compilePlatforms([shop()], { argocd: layer }).catch((e) => e);
    // 3.2 fails on the layer's named whitelist entries, and on every cluster whose contract declares 3.3 (a
    // layer older than its clusters' contracts), never on automated.enabled: it is not rendered.
    const lines = [error, ...error.others].map((e: ManifoldError) => e.format());
    expect(lines.some((l: string) => l.includes("clusterResourceWhitelist"))).toBe(true);
    expect(
      lines.every(
        (l: string) =>
          l.includes("clusterResourceWhitelist") ||
          l.includes("its contract declares Argo CD 3.3, but the layer's Argo CD 3.2 syncs it"),
      ),
    ).toBe(true);
    expect(lines.filter((l: string) => l.includes("automated"))).toEqual([]);
    const set = (await layerOf()).objects.find((o) => o.metadata.name === "shop-production")!;
    expect(versionProblems([set], "3.2")).toEqual([
      {
        object: "ApplicationSet/shop-production",
        pointer: "/spec/template/spec/syncPolicy/automated/enabled",
        message:
          "an automated sync policy that is switched off (syncPolicy.automated.enabled) needs Argo CD 3.3 or later; the layer declares 3.2",
      },
    ]);
  });

  it("an OCI source (repoURL oci://, Argo CD's native OCI support) needs Argo CD 3.1", () => {
    const app = {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "Application",
      metadata: { name: "addon" },
      spec: { source: { repoURL: "oci://registry.example.com/charts/addon", path: ".", targetRevision: "1.0.0" } },
    };
    expect(versionProblems([app], "3.0")).toEqual([
      {
        object: "Application/addon",
        pointer: "/spec/source/repoURL",
        message: "an OCI source (repoURL oci://) needs Argo CD 3.1 or later; the layer declares 3.0",
      },
    ]);
    expect(versionProblems([app], "3.1")).toEqual([]);
    const plain = { ...app, spec: { source: { ...app.spec.source, repoURL: "https://charts.example.com" } } };
    expect(versionProblems([plain], "3.0")).toEqual([]);
  });

  it("the layer check reports an enabled automated policy in a RollingSync template, with its exact message", async () => {
    const layer = await layerOf();
    const set = structuredClone(layer.objects.find((o) => o.metadata.name === "shop-production")) as Parsed;
    delete set.spec.template.spec.syncPolicy.automated.enabled;
    const findings = validateLayer([set], "argocd/layer.ts").filter((f) => f.rule === "rolling-sync-fail-closed");
    expect(findings.map((f) => `${f.object} ${f.pointer}: ${f.message} (fix: ${f.fix})`)).toEqual([
      "ApplicationSet/shop-production /spec/template/spec/syncPolicy/automated: RollingSync generates Applications with automated sync on: until the ApplicationSet controller runs with progressive syncs, every region syncs and prunes at once (fix: set automated.enabled: false (Argo CD 3.3 or later) or drop automated from the template; the rollout triggers the syncs)",
    ]);
  });
});

describe("server-side apply goes with server-side diff", () => {
  it("every Application and ApplicationSet template that applies server-side diffs server-side", async () => {
    const layer = await layerOf();
    const apps = layer.objects.filter((o) => o.kind === "Application" || o.kind === "ApplicationSet") as Parsed[];
    expect(apps.length).toBeGreaterThan(1);
    for (const a of apps) {
      const annotations = a.kind === "Application" ? a.metadata.annotations : a.spec.template.metadata.annotations;
      expect(annotations["argocd.argoproj.io/compare-options"]).toBe("ServerSideDiff=true");
    }
  });

  it("the layer check reports SSA without server-side diff, unless argocd-cmd-params-cm turns it on for all", async () => {
    const layer = await layerOf();
    const root = structuredClone(
      layer.objects.find((o) => o.kind === "Application" && o.metadata.name === "manifold"),
    ) as Parsed;
    delete root.metadata.annotations["argocd.argoproj.io/compare-options"];
    const lines = (objects: Parsed[]) =>
      validateLayer(objects, "argocd/layer.ts")
        .filter((f) => f.rule === "server-side-diff")
        .map((f) => `${f.object} ${f.pointer}: ${f.message} (fix: ${f.fix})`);
    expect(lines([root])).toEqual([
      'Application/manifold /metadata/annotations: syncs with ServerSideApply=true but diffs client-side: defaulted fields keep StatefulSets and custom resources OutOfSync, and RollingSync waits for Synced (fix: annotate it argocd.argoproj.io/compare-options: ServerSideDiff=true (or set controller.diff.server.side: "true" in argocd-cmd-params-cm))',
    ]);
    const params = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "argocd-cmd-params-cm", namespace: "argocd" },
      data: { "controller.diff.server.side": "true" },
    };
    expect(lines([root, params])).toEqual([]);
    root.metadata.annotations["argocd.argoproj.io/compare-options"] = "ServerSideDiff=false";
    expect(lines([root, params])).toHaveLength(1);
  });
});

describe("rollout order against data dependencies", () => {
  it("a step order with the primary last is a compile error naming both Applications, the stores and the migration", async () => {
    const layer = await repoArgoCd();
    layer.environments.production.rollout.steps = [{ roles: ["secondary", "tertiary"] }, { roles: ["primary"] }];
    const error = await compilePlatforms([shop()], { argocd: layer }).catch((e) => e);
    expect(error).toBeInstanceOf(ManifoldError);
    const lines = [error, ...error.others].map((e: ManifoldError) => e.format());
    expect(lines).toEqual([
      "argocd/layer.ts: environments.production.rollout.steps: Application shop-production-us-east-1 (step 1): rollout order: its cache, db follow the primary in Application shop-production-us-west-2 (step 2), which is not Healthy before it: on empty clusters its replicas wait for a primary that does not exist yet; roll primary out in an earlier step than secondary [target shop/production/us-east-1]",
      "argocd/layer.ts: environments.production.rollout.steps: Application shop-production-us-east-1 (step 1): rollout order: runs new code on the schema that the migration Job of Application shop-production-us-west-2 (step 2) changes, before that Job has run; roll primary out in an earlier step than secondary [target shop/production/us-east-1]",
      "argocd/layer.ts: environments.production.rollout.steps: Application shop-production-eu-west-1 (step 1): rollout order: its cache, db follow the primary in Application shop-production-us-west-2 (step 2), which is not Healthy before it: on empty clusters its replicas wait for a primary that does not exist yet; roll primary out in an earlier step than tertiary [target shop/production/eu-west-1]",
      "argocd/layer.ts: environments.production.rollout.steps: Application shop-production-eu-west-1 (step 1): rollout order: runs new code on the schema that the migration Job of Application shop-production-us-west-2 (step 2) changes, before that Job has run; roll primary out in an earlier step than tertiary [target shop/production/eu-west-1]",
    ]);
  });

  it("a platform whose stores are all in-region may roll out in any order", async () => {
    const layer = await repoArgoCd();
    layer.environments.production.rollout.steps = [
      { roles: ["tertiary"] },
      { roles: ["secondary"] },
      { roles: ["primary"] },
    ];
    layer.environments.staging.rollout = { type: "AllAtOnce" };
    const local = platform({
      name: "local",
      namespace: "local",
      components: {
        api: service({ image: "docker.io/local/api:1.0.0", ports: { http: 8080 }, replicas: 2, resources, probes }),
      },
    });
    await expect(compilePlatforms([local], { argocd: layer })).resolves.toBeTruthy();
  });
});
