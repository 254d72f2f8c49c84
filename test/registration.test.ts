/** Cluster registration that cannot cascade, and the Argo CD version of each cluster's capability contract. */
import { beforeAll, describe, expect, it } from "vitest";
import { ManifoldError, errorLines } from "../compiler/errors.ts";
import { platform, service } from "../compiler/index.ts";
import type { CompileResult } from "../compiler/compile.ts";
import type { KubeObject } from "../compiler/model/object.ts";
import { syncWave } from "../compiler/sync/apply-order.ts";
import { POLICY_OVERRIDE_KEY } from "../compiler/argocd/settings.ts";
import { clusterVersionProblems } from "../compiler/argocd/versions.ts";
import { compareTrees } from "../compiler/diff/objects.ts";
import { risksOf } from "../compiler/diff/risks.ts";
import { compilePlatforms, repoArgoCd, repoProject } from "./helpers/memory.ts";
import { clusterSecretOf, type ClusterExternalSecret } from "../compiler/argocd/clusters.ts";
import { expandApplicationSets, type ClusterSecret } from "../compiler/argocd/expand.ts";
import { CLUSTER_LAYER_APPSET } from "../compiler/argocd/addon-rollout.ts";
import { LABEL_ADDONS_READY } from "../compiler/argocd/labels.ts";
import { formatAppsPlan } from "../compiler/argocd/plan.ts";
import type { Parsed } from "./helpers/parsed.ts";

const small = { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "100m", memory: "128Mi" } };
const demo = () =>
  platform({
    name: "demo",
    namespace: "demo",
    components: {
      api: service({ image: "docker.io/demo/api:1.0.0", ports: { http: 8080 }, replicas: 2, resources: small }),
    },
  });

let result: CompileResult;
beforeAll(async () => {
  result = await compilePlatforms([demo()], { argocd: await repoArgoCd() });
});

const layer = (kind?: string): KubeObject[] => result.argocd!.objects.filter((o) => !kind || o.kind === kind);
const registrations = () => layer("ExternalSecret");

describe("one missing credential does not fail the layer", () => {
  it("syncs the registrations, every ApplicationSet and the root in the root's last wave, where Argo CD waits on no health", () => {
    const settings = layer().filter((o) => o.kind === "ConfigMap" || o.kind === "AppProject");
    const root = layer("Application").find((o) => o.metadata.name === "manifold")!;
    expect(registrations()).toHaveLength(6);
    const last = Math.max(...layer().map(syncWave));
    expect(syncWave(root)).toBe(last);
    for (const o of [...registrations(), ...layer("ApplicationSet")]) expect(syncWave(o)).toBe(last);
    expect(Math.max(...settings.map(syncWave))).toBeLessThan(last);
    // The root deploys no add-on Application: each cluster's add-ons live in that cluster's own app-of-apps.
    expect(layer("Application").map((o) => o.metadata.name)).toEqual(["manifold"]);
  });

  it("skips the dry run of a registration, so a missing ExternalSecret CRD fails no other object", () => {
    for (const r of registrations())
      expect(r.metadata.annotations?.["argocd.argoproj.io/sync-options"]?.split(",")).toContain(
        "SkipDryRunOnMissingResource=true",
      );
  });

  it("an unregistered cluster gets no add-ons Application and is in no rollout step; the others keep theirs", () => {
    const set = layer("ApplicationSet").find((o) => o.metadata.name === CLUSTER_LAYER_APPSET)!;
    const all = registrations().map((r) => clusterSecretOf(r as ClusterExternalSecret));
    const stepsOf = (secrets: ClusterSecret[]) =>
      Object.fromEntries(
        expandApplicationSets([set], secrets).applications.map((a) => [a.application.metadata.name, a.step]),
      );
    const full = stepsOf(all);
    expect(full).toEqual({
      "addons-dev-us-west-2": 1,
      "addons-staging-us-west-2": 2,
      "addons-staging-us-east-1": 3,
      "addons-production-us-west-2": 4,
      "addons-production-us-east-1": 5,
      "addons-production-eu-west-1": 6,
    });
    // staging us-east-1's credential is missing: no cluster Secret, so no Application, and no step waits for it.
    const { "addons-staging-us-east-1": missing, ...rest } = full;
    expect(missing).toBe(3);
    expect(stepsOf(all.filter((c) => c.name !== "staging-us-east-1"))).toEqual(rest);
  });

  it("selects a cluster for the platforms only once its add-ons marked it ready", () => {
    const all = registrations().map((r) => clusterSecretOf(r as ClusterExternalSecret));
    const mark = (c: ClusterSecret) => ({ ...c, labels: { ...c.labels, [LABEL_ADDONS_READY]: "true" } });
    const platformSets = layer("ApplicationSet").filter((o) => o.metadata.name !== CLUSTER_LAYER_APPSET);
    const appsOn = (secrets: ClusterSecret[]) =>
      expandApplicationSets(platformSets, secrets).applications.map((a) => a.application.metadata.name);
    expect(appsOn(all)).toEqual([]);
    expect(appsOn(all.map((c) => (c.name === "production-us-west-2" ? mark(c) : c)))).toEqual([
      "demo-production-us-west-2",
    ]);
    expect(appsOn(all.map(mark))).toHaveLength(6);
  });
});

describe("each cluster's add-ons Application", () => {
  const folder = (env: string, region: string) =>
    result.argocd!.clusterFolders.get(`argocd/clusters/${env}/${region}`)!;

  it("syncs the cluster's add-on Applications wave by wave, then marks the cluster Secret ready in its last wave", () => {
    expect([...result.argocd!.clusterFolders.keys()]).toHaveLength(6);
    const objects = folder("production", "eu-west-1");
    const apps = objects.filter((o) => o.kind === "Application");
    const [mark] = objects.filter((o) => o.kind === "Secret");
    expect(apps.length).toBeGreaterThan(3);
    expect(
      apps.every((a) => (a.spec as Parsed).destination.server === "https://production.eu-west-1.k8s.example.com"),
    ).toBe(true);
    expect(syncWave(mark)).toBe(Math.max(...apps.map(syncWave)) + 1);
    expect(new Set(apps.map(syncWave)).size).toBeGreaterThan(1);
    // A partial Secret: only the label, applied server-side; pruning or deleting it would delete the registration.
    expect(mark).toEqual({
      apiVersion: "v1",
      kind: "Secret",
      metadata: {
        name: "cluster-production-eu-west-1",
        namespace: "argocd",
        labels: { [LABEL_ADDONS_READY]: "true" },
        annotations: {
          "argocd.argoproj.io/sync-wave": String(syncWave(mark)),
          "argocd.argoproj.io/sync-options": "ServerSideApply=true,Prune=false,Delete=false",
        },
      },
    });
    // Waves of Applications are waited on only with Argo CD's Application health check restored.
    const cm = layer("ConfigMap").find((c) => c.metadata.name === "argocd-cm") as Parsed;
    expect(Object.keys(cm.data)).toContain("resource.customizations.health.argoproj.io_Application");
  });

  it("is generated per registered cluster, rolled out with progressive syncs, never deleted and never cascading", () => {
    const set = layer("ApplicationSet").find((o) => o.metadata.name === CLUSTER_LAYER_APPSET) as Parsed;
    expect(set.spec.generators[0].clusters.selector.matchExpressions).toEqual([
      { key: "manifold.dev/environment", operator: "In", values: ["dev", "staging", "production"] },
    ]);
    expect(set.spec.syncPolicy).toEqual({ applicationsSync: "create-update", preserveResourcesOnDeletion: true });
    expect(set.spec.strategy.type).toBe("RollingSync");
    expect(set.spec.template.spec.syncPolicy.automated).toEqual({ enabled: false, prune: true, selfHeal: true });
    expect(set.spec.template.spec.source.path).toBe(
      'argocd/clusters/{{index .metadata.labels "manifold.dev/environment"}}/{{index .metadata.labels "manifold.dev/region"}}',
    );
    expect(set.spec.template.spec.destination).toEqual({
      server: "https://kubernetes.default.svc",
      namespace: "argocd",
    });
    const params = layer("ConfigMap").find((c) => c.metadata.name === "argocd-cmd-params-cm") as Parsed;
    expect(params.data["applicationsetcontroller.enable.progressive.syncs"]).toBe("true");
    // The root's folder is not recursive: it never deploys the clusters' folders itself.
    const root = layer("Application").find((o) => o.metadata.name === "manifold") as Parsed;
    expect(root.spec.source.directory).toEqual({ recurse: false });
  });

  it("manifold plan --apps shows the add-on rollout steps and each cluster's step before its platforms", () => {
    const text = formatAppsPlan(result.argocd!.plan);
    expect(text).toContain(
      "Add-ons roll out cluster by cluster (ApplicationSet cluster-layer, RollingSync; each step Healthy before the next):",
    );
    expect(text).toContain("  step 4: production primary");
    expect(text).toMatch(
      /production-eu-west-1 \(eu-west-1, tertiary\)[^\n]*\n\s+add-ons first \(addons-production-eu-west-1, add-on step 6\)/,
    );
    const west = text.indexOf("addons-production-us-west-2, add-on step 4");
    expect(west).toBeGreaterThan(0);
    expect(text.indexOf("demo-production-us-west-2", west)).toBeGreaterThan(text.indexOf("then the platforms", west));
  });
});

describe("a dropped or renamed cluster cascades to nothing", () => {
  it("never prunes or deletes a registration (its Secret is owned by it)", () => {
    for (const r of registrations()) {
      expect(r.metadata.annotations?.["argocd.argoproj.io/sync-options"]?.split(",")).toEqual(
        expect.arrayContaining(["Prune=false", "Delete=false"]),
      );
      expect((r.spec as Parsed).target.creationPolicy).toBe("Owner");
    }
  });

  it("ApplicationSets create and update Applications but never delete one, with the controller's policy override on", () => {
    for (const a of layer("ApplicationSet"))
      expect((a.spec as Parsed).syncPolicy.applicationsSync).toBe("create-update");
    const params = layer("ConfigMap").find((c) => c.metadata.name === "argocd-cmd-params-cm")!;
    // Without the override the controller's --policy (default sync) wins and the field is ignored.
    expect((params as Parsed).data[POLICY_OVERRIDE_KEY]).toBe("true");
  });

  it("manifold diff flags a dropped cluster registration as the first, highest risk", () => {
    const files = new Map([...result.files].filter(([p]) => p.startsWith("argocd/")));
    const head = new Map([...files].filter(([p]) => !p.includes("cluster-production-eu-west-1")));
    const changes = compareTrees(files, head);
    const removed = changes.find((c) => c.name === "cluster-production-eu-west-1")!;
    expect(risksOf(removed)[0]).toEqual({
      rule: "cluster-removal",
      message:
        "cluster production-eu-west-1 (https://production.eu-west-1.k8s.example.com) is no longer registered: every Application on it goes once the old registration is deleted, and with their finalizers its workloads and volumes; Manifold's registrations are never pruned (Prune=false), so deleting the old one is a person's decision",
    });
  });

  it("manifold diff flags a registration whose labels change (the generators may stop selecting it)", () => {
    const path = "argocd/externalsecret-cluster-production-eu-west-1.yaml";
    const files = new Map([...result.files].filter(([p]) => p === path));
    const head = new Map([
      [path, files.get(path)!.replaceAll("manifold.dev/role: tertiary", "manifold.dev/role: secondary")],
    ]);
    const [change] = compareTrees(files, head);
    expect(risksOf(change).map((r) => r.rule)).toContain("cluster-removal");
    expect(risksOf(change)[0].message).toContain("changes its labels");
  });

  it("an ExternalSecret that registers no cluster is not a cluster removal", () => {
    const es = {
      apiVersion: "external-secrets.io/v1",
      kind: "ExternalSecret",
      metadata: { name: "x", namespace: "demo" },
    };
    const changes = compareTrees(new Map([["dev/us-west-2/demo/x.yaml", JSON.stringify(es)]]), new Map());
    expect(risksOf(changes[0]).map((r) => r.rule)).toEqual(["secret-reference"]);
  });
});

describe("the Argo CD version of a cluster's contract", () => {
  it("refuses a named clusterResourceWhitelist entry that reaches a cluster whose contract declares Argo CD 3.2", () => {
    const project: KubeObject = {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "AppProject",
      metadata: { name: "demo" },
      spec: { clusterResourceWhitelist: [{ group: "", kind: "Namespace", name: "demo" }] },
    };
    const cluster = { name: "prod-1", server: "https://prod-1", environment: "production", argocdVersion: "3.2" };
    const other = { ...cluster, name: "prod-2", server: "https://prod-2" };
    const reaching = [{ object: project, servers: ["https://prod-1"] }];
    // A contract that agrees with the layer is covered by the layer's own check.
    expect(clusterVersionProblems([{ ...cluster, argocdVersion: "3.3" }], reaching, "3.3")).toEqual([]);
    expect(clusterVersionProblems([cluster, { ...other, argocdVersion: "3.3" }], reaching, "3.3")).toEqual([
      {
        cluster,
        object: "cluster prod-1",
        pointer: "",
        message: "its contract declares Argo CD 3.2, but the layer's Argo CD 3.3 syncs it",
      },
      {
        cluster,
        object: "AppProject/demo",
        pointer: "/spec/clusterResourceWhitelist/0/name",
        message: "a named clusterResourceWhitelist entry needs Argo CD 3.3 or later; cluster prod-1 declares 3.2",
      },
    ]);
  });

  it("a contract that claims another Argo CD than the layer's is an error naming the region file, field and cluster", async () => {
    const repo = await repoProject();
    const regions = repo.regions.map((r) => structuredClone(r.value) as Parsed);
    regions.find((r) => r.name === "eu-west-1").clusters.production.capabilities.argocdVersion = "3.2";
    const error = await compilePlatforms([demo()], { regions, argocd: await repoArgoCd() }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ManifoldError);
    expect(errorLines(error as ManifoldError)).toEqual([
      "regions/eu-west-1.ts: clusters.production.capabilities.argocdVersion: cluster production-eu-west-1: its contract declares Argo CD 3.2, but the layer's Argo CD 3.3 syncs it [target production-eu-west-1]",
      "regions/eu-west-1.ts: clusters.production.capabilities.argocdVersion: ApplicationSet/demo-production /spec/template/spec/syncPolicy/automated/enabled: an automated sync policy that is switched off (syncPolicy.automated.enabled) needs Argo CD 3.3 or later; cluster production-eu-west-1 declares 3.2 [target production-eu-west-1]",
      "regions/eu-west-1.ts: clusters.production.capabilities.argocdVersion: AppProject/demo /spec/clusterResourceWhitelist/0/name: a named clusterResourceWhitelist entry needs Argo CD 3.3 or later; cluster production-eu-west-1 declares 3.2 [target production-eu-west-1]",
    ]);
  });
});
