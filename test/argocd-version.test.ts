// The Argo CD layer declares the Argo CD version the management cluster runs; a rendered field that
// needs a newer one (deletionOrder: 3.2, named clusterResourceWhitelist entries: 3.3) is a compile
// error naming the file, the field and the target. The Argo CD objects pass the models' own (3.x) validators.
import { describe, expect, it } from "vitest";
import { platform, service } from "../compiler/index.ts";
import { ManifoldError } from "../compiler/errors.ts";
import { checkProject } from "../compiler/load.ts";
import { validateLayer } from "../compiler/argocd/validate.ts";
import { compareVersions } from "../compiler/argocd/versions.ts";
import type { KubeObject } from "../compiler/model/object.ts";
import type { RegionDescription } from "../compiler/describe/types.ts";
import { compilePlatforms, repoArgoCd, repoProject } from "./helpers/memory.ts";

const small = { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "200m", memory: "256Mi" } };
const demo = platform({
  name: "demo",
  namespace: "demo",
  components: {
    api: service({ image: "docker.io/demo/api:1.0.0", ports: { http: 8080 }, replicas: 2, resources: small }),
  },
});

async function linesFor(version: string): Promise<string[]> {
  const layer = await repoArgoCd();
  layer.argocdVersion = version;
  // Every cluster's contract names the Argo CD that syncs it: the layer's.
  const regions = (await repoProject()).regions.map((r) => structuredClone(r.value) as RegionDescription);
  for (const r of regions) for (const c of Object.values(r.clusters)) c.capabilities.argocdVersion = version;
  const error = await compilePlatforms([demo], { argocd: layer, regions }).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error === undefined) return [];
  expect(error).toBeInstanceOf(ManifoldError);
  const e = error as ManifoldError & { others: ManifoldError[] };
  return [e, ...e.others].map((x) => x.format());
}

describe("the Argo CD version the layer declares", () => {
  it("3.3 renders deletionOrder and named clusterResourceWhitelist entries, and compiles", async () => {
    const layer = await repoArgoCd();
    expect(layer.argocdVersion).toBe("3.3");
    const result = await compilePlatforms([demo], { argocd: layer });
    const objects = result.argocd!.objects;
    const appSet = objects.find((o) => o.kind === "ApplicationSet" && o.metadata.name.includes("production"));
    expect((appSet?.spec as { strategy: { deletionOrder: string } }).strategy.deletionOrder).toBe("Reverse");
    const project = objects.find((o) => o.kind === "AppProject" && o.metadata.name === "demo");
    expect((project?.spec as { clusterResourceWhitelist: unknown[] }).clusterResourceWhitelist).toEqual([
      { group: "", kind: "Namespace", name: "demo" },
    ]);
  });

  it("3.2: the named clusterResourceWhitelist entry is an error naming file, field and target", async () => {
    expect(await linesFor("3.2")).toEqual([
      "argocd/layer.ts: argocdVersion: AppProject/demo /spec/clusterResourceWhitelist/0/name: a named " +
        "clusterResourceWhitelist entry needs Argo CD 3.3 or later; the layer declares 3.2 [target argocd]",
    ]);
  });

  it("3.1: the RollingSync ApplicationSets' deletionOrder is an error too (staging and production)", async () => {
    const lines = await linesFor("3.1");
    expect(lines).toHaveLength(3);
    for (const env of ["staging", "production"])
      expect(lines).toContainEqual(
        `argocd/layer.ts: argocdVersion: ApplicationSet/demo-${env} /spec/strategy/deletionOrder: an ApplicationSet deletion order (strategy.deletionOrder) needs Argo CD 3.2 or later; the layer declares 3.1 [target argocd]`,
      );
  });

  it("a version that is not an Argo CD 3.x major.minor is rejected where it is declared", async () => {
    const repo = await repoProject();
    for (const bad of ["2.14", "v3.3", "3.3.1", "3"]) {
      const layer = await repoArgoCd();
      layer.argocdVersion = bad;
      let error: unknown;
      try {
        checkProject({ ...repo, argocd: [{ file: "argocd/layer.ts", value: layer }] });
      } catch (e) {
        error = e;
      }
      expect(error, bad).toBeInstanceOf(ManifoldError);
      expect((error as ManifoldError).format(), bad).toMatch(/^argocd\/layer\.ts: argocdVersion: .*major\.minor/);
    }
  });

  it("compares versions by number, not as text", () => {
    expect(compareVersions("3.10", "3.3")).toBeGreaterThan(0);
    expect(compareVersions("3.2", "3.2")).toBe(0);
    expect(compareVersions("3.1", "3.2")).toBeLessThan(0);
  });
});

describe("the models' own validators check the Argo CD objects", () => {
  it("the rendered layer passes; a wrongly typed Application, ApplicationSet or AppProject field does not", async () => {
    const result = await compilePlatforms([demo], { argocd: await repoArgoCd() });
    const objects: KubeObject[] = structuredClone(result.argocd!.objects);
    expect(validateLayer(objects, "argocd/layer.ts").filter((f) => f.rule === "schema")).toEqual([]);
    const find = (kind: string) => objects.find((o) => o.kind === kind && o.metadata.name !== "default")!;
    type Loose = Record<string, Record<string, unknown>>;
    ((find("ApplicationSet").spec as Loose).strategy ??= {}).deletionOrder = 5;
    (find("Application").spec as Loose).destination.server = 443;
    (find("AppProject").spec as Loose).clusterResourceWhitelist = { kind: "Namespace" };
    const schema = validateLayer(objects, "argocd/layer.ts")
      .filter((f) => f.rule === "schema")
      .map((f) => `${f.object.split("/")[0]} ${f.pointer}: ${f.message}`);
    expect(schema).toEqual(
      expect.arrayContaining([
        "ApplicationSet /spec/strategy/deletionOrder: must be string",
        "Application /spec/destination/server: must be string",
        "AppProject /spec/clusterResourceWhitelist: must be array",
      ]),
    );
    expect(schema).toHaveLength(3);
  });
});
