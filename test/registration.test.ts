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
  it("registers each cluster in wave 1 with the first add-ons, after every project and setting; the root Application syncs last", () => {
    const settings = layer().filter((o) => o.kind === "ConfigMap" || o.kind === "AppProject");
    const addons = layer("Application").filter((o) => o.metadata.name.startsWith("addon-"));
    expect(registrations()).toHaveLength(6);
    expect(addons.length).toBeGreaterThan(0);
    // A cluster's add-ons need its registration: it syncs in the first add-ons' wave, after the projects and settings.
    for (const r of registrations()) {
      expect(syncWave(r)).toBe(1);
      expect(syncWave(r)).toBeGreaterThan(Math.max(...settings.map(syncWave)));
      expect(syncWave(r)).toBe(Math.min(...addons.map(syncWave)));
    }
    // The root Application syncs in the layer's last wave (5), with the ApplicationSets: it never waits on its own
    // health. The add-ons' Applications span waves 1-4, so each wave waits on the last one's health: Argo CD needs the
    // Application health check back for that.
    const root = layer("Application").find((o) => o.metadata.name === "manifold")!;
    expect(syncWave(root)).toBe(5);
    expect(syncWave(root)).toBe(Math.max(...layer().map(syncWave)));
    for (const set of layer("ApplicationSet")) expect(syncWave(set)).toBe(syncWave(root));
    const cm = layer("ConfigMap").find((c) => c.metadata.name === "argocd-cm") as Parsed;
    expect(Object.keys(cm.data)).toContain("resource.customizations.health.argoproj.io_Application");
  });

  it("skips the dry run of a registration, so a missing ExternalSecret CRD fails no other object", () => {
    for (const r of registrations())
      expect(r.metadata.annotations?.["argocd.argoproj.io/sync-options"]?.split(",")).toContain(
        "SkipDryRunOnMissingResource=true",
      );
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
