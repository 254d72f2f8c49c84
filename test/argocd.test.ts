import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { compile, type CompileResult } from "../compiler/compile.ts";
import { ManifoldError } from "../compiler/errors.ts";
import { checkProject } from "../compiler/load.ts";
import { platform, service } from "../compiler/index.ts";
import { expandApplicationSets, selectorMatches, stepOf, type ClusterSecret } from "../compiler/argocd/expand.ts";
import { renderTemplate, TemplateError } from "../compiler/argocd/gotemplate.ts";
import { crossCheck } from "../compiler/argocd/crosscheck.ts";
import { kindProblem, permitProblems } from "../compiler/argocd/permits.ts";
import {
  APPLICATION_HEALTH_LUA,
  BACKUP_HEALTH_LUA,
  kindsNeedingHealthChecks,
  POLICY_OVERRIDE_KEY,
  PROGRESSIVE_SYNCS_KEY,
  TRACKING_KEY,
} from "../compiler/argocd/settings.ts";
import { clusterSecretOf, type ClusterExternalSecret } from "../compiler/argocd/clusters.ts";
import { validateLayer } from "../compiler/argocd/validate.ts";
import { compilePlatforms, repoArgoCd, repoProject } from "./helpers/memory.ts";
import { cleanProjects, edit, makeProject, REPO, runCli } from "./helpers/project.ts";
import type { Parsed } from "./helpers/parsed.ts";

afterAll(cleanProjects);

let result: CompileResult;
beforeAll(async () => {
  result = await compile({ root: REPO });
});

/** The objects of rendered/argocd/ (not of its clusters' folders), parsed back from the rendered YAML. */
function layerFiles(r: CompileResult, kind?: string): Parsed[] {
  return [...r.files]
    .filter(([path]) => /^argocd\/[^/]+\.yaml$/.test(path))
    .map(([, text]) => parse(text, { version: "1.1" }))
    .filter((o) => !kind || o.kind === kind);
}

/** Every folder of the rendered tree that holds manifests, other than argocd/. */
function targetFolders(r: CompileResult): string[] {
  const folders = new Set(
    [...r.files.keys()]
      // the cluster layer's folders are deployed by its own Applications, not by the ApplicationSets
      .filter((p) => !p.startsWith("argocd/") && !p.startsWith("clusters/") && p.endsWith(".yaml"))
      .map((p) => p.split("/").slice(0, 3).join("/")),
  );
  return [...folders].sort();
}

/**
 * The cluster Secrets Argo CD sees once every cluster's add-ons Application has run its last wave: the labels the
 * ExternalSecret templates, plus those its ready mark (a partial Secret, server-side applied) adds.
 */
function clustersFromYaml(r: CompileResult, marked = true): ClusterSecret[] {
  const marks = [...r.files]
    .filter(([path]) => /^argocd\/clusters\/.*\/secret-[^/]+\.yaml$/.test(path))
    .map(([, text]) => parse(text) as Parsed);
  return layerFiles(r, "ExternalSecret").map((es) => {
    const secret = clusterSecretOf(es as ClusterExternalSecret);
    const mark = marks.find((m) => m.metadata.name === es.spec.target.name);
    return marked && mark ? { ...secret, labels: { ...secret.labels, ...mark.metadata.labels } } : secret;
  });
}

/** The platforms' Applications (the cluster layer's ApplicationSet is checked on its own). */
function expandFromYaml(r: CompileResult, marked = true) {
  const sets = layerFiles(r, "ApplicationSet").filter((s) => s.metadata.name !== "cluster-layer");
  return expandApplicationSets(sets, clustersFromYaml(r, marked));
}

const small = { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "200m", memory: "256Mi" } };
const tiny = (name: string) =>
  platform({
    name,
    namespace: name.slice(0, 63),
    components: {
      api: service({ image: "docker.io/demo/api:1.0.0", ports: { http: 8080 }, replicas: 2, resources: small }),
    },
  });

describe("cluster registration", () => {
  it("declares six clusters: dev 1, staging 2, production 3, each as an ExternalSecret templating a labelled cluster Secret", () => {
    const secrets = layerFiles(result, "ExternalSecret");
    const byEnv = (env: string) =>
      secrets.filter((s) => s.spec.target.template.metadata.labels["manifold.dev/environment"] === env).length;
    expect(secrets).toHaveLength(6);
    expect([byEnv("dev"), byEnv("staging"), byEnv("production")]).toEqual([1, 2, 3]);
    const prodWest = secrets.find((s) => s.metadata.name === "cluster-production-us-west-2");
    expect(prodWest.apiVersion).toBe("external-secrets.io/v1");
    expect(prodWest.spec.target.template.metadata.labels).toEqual({
      "argocd.argoproj.io/secret-type": "cluster",
      "manifold.dev/environment": "production",
      "manifold.dev/region": "us-west-2",
      "manifold.dev/role": "primary",
    });
    expect(prodWest.spec.target.template.data).toEqual({
      name: "production-us-west-2",
      server: "https://production.us-west-2.k8s.example.com",
      config: "{{ .config }}",
    });
    // The credentials come from the store: only the config key, read by reference.
    expect(prodWest.spec.data).toEqual([
      { secretKey: "config", remoteRef: { key: "argocd/clusters/production-us-west-2", property: "config" } },
    ]);
    expect(layerFiles(result, "Secret")).toEqual([]);
  });
});

describe("offline expansion", () => {
  it("agrees with the rendered tree: every target folder is deployed by exactly one Application, no orphans, no doubles", () => {
    const { applications, problems } = expandFromYaml(result);
    expect(problems).toEqual([]);
    const paths = applications.map((a) => a.application.spec.source.path).sort();
    expect(paths).toEqual(targetFolders(result));
    expect(new Set(paths).size).toBe(paths.length);
    expect(
      applications
        .map((a) => a.application.metadata.name)
        .filter((n) => n.startsWith("ossa-"))
        .sort(),
    ).toEqual([
      "ossa-dev-us-west-2",
      "ossa-production-eu-west-1",
      "ossa-production-us-east-1",
      "ossa-production-us-west-2",
      "ossa-staging-us-east-1",
      "ossa-staging-us-west-2",
    ]);
    expect(applications.length).toBe(result.targets.length);
  });

  it("sends each Application to the cluster its folder was rendered for, with labels for platform, environment, region and role", () => {
    for (const g of expandFromYaml(result).applications) {
      const app = g.application;
      const [env, region, platformName] = app.spec.source.path.split("/");
      const target = result.targets.find((t) => t.target.id === `${platformName}/${env}/${region}`)!;
      expect(app.spec.destination).toEqual({
        server: target.target.cluster.server,
        namespace: target.target.namespace,
      });
      expect(app.metadata.labels).toMatchObject({
        "manifold.dev/platform": platformName,
        "manifold.dev/environment": env,
        "manifold.dev/region": region,
        "manifold.dev/role": target.target.role,
      });
      expect(app.spec.project).toBe(platformName);
      expect(app.spec.source).toMatchObject({
        repoURL: "https://git.example.com/platform/manifold.git",
        targetRevision: "rendered-manifests",
      });
      expect(app.metadata.annotations!["argocd.argoproj.io/manifest-generate-paths"]).toBe(".");
      if (platformName === "ossa") {
        const ingressHost = target.objects.find(
          (o) => o.object.kind === "Ingress" && o.object.metadata.name === "ossa-gateway",
        )!.object as Parsed;
        expect(app.metadata.annotations!["link.argocd.argoproj.io/ossa-api"]).toBe(
          `https://${ingressHost.spec.rules[0].host}/`,
        );
      }
      expect((app.spec as Parsed).info.map((i: Parsed) => i.name)).toEqual([
        "Source repository",
        "Rendered folder",
        "Rendered by",
        "Provenance",
        "Sync",
      ]);
    }
  });

  it("rolls production out primary, then secondary, then tertiary; deletes in reverse; preserves resources", () => {
    const prod = layerFiles(result, "ApplicationSet").find((s) => s.metadata.name === "ossa-production");
    expect(prod.spec.strategy.type).toBe("RollingSync");
    expect(prod.spec.strategy.deletionOrder).toBe("Reverse");
    expect(prod.spec.syncPolicy.preserveResourcesOnDeletion).toBe(true);
    const steps = Object.fromEntries(
      expandFromYaml(result)
        .applications.filter((a) => a.rolling && a.application.metadata.name.startsWith("ossa-"))
        .map((a) => [a.application.metadata.name, a.step]),
    );
    expect(steps).toEqual({
      "ossa-production-us-west-2": 1,
      "ossa-production-us-east-1": 2,
      "ossa-production-eu-west-1": 3,
      "ossa-staging-us-west-2": 1,
      "ossa-staging-us-east-1": 2,
    });
    const order = result
      .argocd!.plan.environments.find((e) => e.name === "production")!
      .steps.map((s) => s.clusters.map((c) => c.name));
    expect(order).toEqual([["production-us-west-2"], ["production-us-east-1"], ["production-eu-west-1"]]);
  });

  it("syncs dev automatically with prune and self-heal; staging and production only through the rollout (automated switched off); every Application uses server-side apply with server-side diff, prune-last and retry", () => {
    const sets = layerFiles(result, "ApplicationSet");
    const dev = sets.find((s) => s.metadata.name === "ossa-dev");
    expect(dev.spec.strategy).toBeUndefined();
    expect(dev.spec.template.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    expect(dev.spec.syncPolicy.preserveResourcesOnDeletion).toBe(false);
    for (const [env, selfHeal] of [
      ["staging", true],
      ["production", false],
    ] as const) {
      const set = sets.find((s) => s.metadata.name === `ossa-${env}`);
      expect(set.spec.strategy.type).toBe("RollingSync");
      expect(set.spec.template.spec.syncPolicy.automated).toEqual({ enabled: false, prune: true, selfHeal });
    }
    for (const set of sets) {
      expect(set.spec.goTemplate).toBe(true);
      expect(set.spec.goTemplateOptions).toEqual(["missingkey=error"]);
      expect(set.spec.template.spec.project).not.toContain("{{");
      expect(set.spec.template.spec.syncPolicy.syncOptions).toEqual(["ServerSideApply=true", "PruneLast=true"]);
      expect(set.spec.template.metadata.annotations["argocd.argoproj.io/compare-options"]).toBe("ServerSideDiff=true");
      expect(set.spec.template.spec.syncPolicy.retry).toEqual({
        limit: 5,
        backoff: { duration: "10s", factor: 2, maxDuration: "5m" },
      });
    }
  });

  it("an unmatched production Application is a compile error naming the rollout steps", async () => {
    const layer = await repoArgoCd();
    layer.environments.production.rollout.steps = [{ roles: ["tertiary"] }, { roles: ["secondary"] }];
    const error = await compilePlatforms([tiny("demo")], { argocd: layer }).catch((e) => e);
    expect(error).toBeInstanceOf(ManifoldError);
    const all = [error, ...error.others].map((e: ManifoldError) => e.format());
    expect(all).toContainEqual(
      expect.stringMatching(
        /^argocd\/layer\.ts: environments\.production\.rollout\.steps: Application demo-production-us-west-2 .*no RollingSync step selects it.*\[target demo\/production\/us-west-2\]$/,
      ),
    );
    expect(all).toHaveLength(1);
  });

  it("an Application name over 63 characters is a compile error", async () => {
    const name = "a-platform-with-a-very-long-name-for-names-sake";
    const error = await compilePlatforms([tiny(name)], { argocd: await repoArgoCd() }).catch((e) => e);
    expect(error).toBeInstanceOf(ManifoldError);
    const lines = [error, ...error.others].map((e: ManifoldError) => e.message);
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(`Application ${name}-production-eu-west-1 .*: the name is 68 characters; Argo CD allows at most 63`),
      ),
    );
    expect(lines).toHaveLength(5);
    // The short ones pass: dev names fit.
    expect(lines.some((l) => l.includes(`${name}-dev-us-west-2 `))).toBe(false);
  });

  it("a project without argocd/ still compiles, and renders no layer", async () => {
    const r = await compilePlatforms([tiny("demo")]);
    expect(r.argocd).toBeUndefined();
    expect([...r.files.keys()].filter((p) => p.startsWith("argocd/"))).toEqual([]);
  });

  it("an orphan folder and a double deployment are both caught", async () => {
    const r = await compilePlatforms([tiny("demo")], { argocd: await repoArgoCd() });
    const layer = r.argocd!;
    const [first, ...rest] = layer.applications;
    const projects = layer.objects.filter((o) => o.kind === "AppProject");
    const input = {
      file: "argocd/layer.ts",
      problems: [],
      targets: r.targets,
      clusters: layer.clusters,
      projects,
      files: r.files,
    };
    expect(crossCheck({ ...input, applications: layer.applications })).toEqual([]);
    const orphan = crossCheck({ ...input, applications: rest }).map((e) => e.message);
    expect(orphan).toEqual([
      `rendered folder ${first.application.spec.source.path} is deployed by no Application (an orphan): no ApplicationSet selects cluster ${first.cluster.name}`,
    ]);
    const copy = {
      ...first,
      application: { ...first.application, metadata: { ...first.application.metadata, name: "demo-copy" } },
    };
    const doubles = crossCheck({ ...input, applications: [...layer.applications, copy] }).map((e) => e.message);
    expect(doubles).toContainEqual(
      `rendered folder ${first.application.spec.source.path} is deployed by 2 Applications: ${first.application.metadata.name}, demo-copy`,
    );
  });

  it("a destination outside the declared clusters and a path outside the tree are caught", async () => {
    const r = await compilePlatforms([tiny("demo")], { argocd: await repoArgoCd() });
    const layer = r.argocd!;
    const projects = layer.objects.filter((o) => o.kind === "AppProject");
    const [first, ...rest] = layer.applications;
    const moved = structuredClone(first);
    moved.application.spec.destination.server = "https://elsewhere.example.com";
    moved.application.spec.source.path = "production/nowhere/demo";
    const messages = crossCheck({
      file: "argocd/layer.ts",
      problems: [],
      targets: r.targets,
      clusters: layer.clusters,
      projects,
      files: r.files,
      applications: [moved, ...rest],
    }).map((e) => e.message);
    expect(messages).toContainEqual(
      expect.stringContaining("destination https://elsewhere.example.com is not a declared cluster"),
    );
    expect(messages).toContainEqual(
      expect.stringContaining("path production/nowhere/demo is not a rendered target folder holding manifests"),
    );
  });
});

describe("links", () => {
  it("link the cluster's Grafana for a platform that ships metrics, templated on the cluster's ingress domain", async () => {
    const withMetrics = platform({
      name: "demo",
      namespace: "demo",
      components: {
        api: service({
          image: "docker.io/demo/api:1.0.0",
          ports: { http: 8080, metrics: 9090 },
          replicas: 2,
          resources: small,
          metrics: { port: "metrics" },
        }),
      },
    });
    const r = await compilePlatforms([withMetrics], { argocd: await repoArgoCd() });
    const app = r.argocd!.applications.find(
      (a) => a.application.metadata.name === "demo-production-eu-west-1",
    )!.application;
    expect(app.metadata.annotations!["link.argocd.argoproj.io/grafana"]).toBe(
      "https://grafana.eu-west-1.example.com/dashboards",
    );
    const plainApp = (await compilePlatforms([tiny("demo")], { argocd: await repoArgoCd() })).argocd!.applications[0]
      .application;
    expect(Object.keys(plainApp.metadata.annotations!)).toEqual([
      "argocd.argoproj.io/manifest-generate-paths",
      "argocd.argoproj.io/compare-options",
    ]);
  });
});

describe("projects", () => {
  it("give each platform exactly its repo, clusters, namespaces and cluster-scoped objects, with a read-only and a CI sync role", () => {
    const project = layerFiles(result, "AppProject").find((p) => p.metadata.name === "ossa");
    expect(project.spec.sourceRepos).toEqual(["https://git.example.com/platform/manifold.git"]);
    const ossa = result.targets.filter((t) => t.target.platform === "ossa");
    const servers = ossa.map((t) => t.target.cluster.server).sort();
    // Its namespace, and Velero's, where the platform's volume-snapshot Schedule lives.
    expect(project.spec.destinations).toEqual(
      servers.flatMap((server) => [
        { server, namespace: "ossa-platform" },
        { server, namespace: "velero" },
      ]),
    );
    const clusterScoped = ossa.flatMap((t) =>
      t.objects.filter((o) => !o.object.metadata.namespace).map((o) => `${o.object.kind}/${o.object.metadata.name}`),
    );
    expect(new Set(clusterScoped)).toEqual(new Set(["Namespace/ossa-platform"]));
    expect(project.spec.clusterResourceWhitelist).toEqual([{ group: "", kind: "Namespace", name: "ossa-platform" }]);
    expect(project.spec.roles.map((r: Parsed) => [r.name, r.policies])).toEqual([
      ["read-only", ["p, proj:ossa:read-only, applications, get, ossa/*, allow"]],
      [
        "ci-sync",
        [
          "p, proj:ossa:ci-sync, applications, get, ossa/*, allow",
          "p, proj:ossa:ci-sync, applications, sync, ossa/*, allow",
        ],
      ],
    ]);
    expect(JSON.stringify(project.spec)).not.toContain('"*"');
  });

  it("lock down default and never use it", () => {
    const locked = layerFiles(result, "AppProject").find((p) => p.metadata.name === "default");
    expect(locked.spec).toMatchObject({
      sourceRepos: [],
      destinations: [],
      clusterResourceWhitelist: [],
      namespaceResourceBlacklist: [{ group: "*", kind: "*" }],
    });
    expect(locked.metadata.annotations["argocd.argoproj.io/sync-options"]).toBe("Prune=false,Delete=false");
    const templates = layerFiles(result, "ApplicationSet").map((s) => s.spec.template.spec.project);
    const apps = layerFiles(result, "Application").map((a) => a.spec.project);
    expect([...templates, ...apps]).not.toContain("default");
  });

  it("refuse what they do not list: another repo, cluster, namespace or cluster-scoped kind", () => {
    const project = layerFiles(result, "AppProject").find((p) => p.metadata.name === "ossa");
    const ok = {
      repoURL: "https://git.example.com/platform/manifold.git",
      server: "https://production.us-west-2.k8s.example.com",
      namespace: "ossa-platform",
    };
    expect(permitProblems(project, ok, [])).toEqual([]);
    expect(permitProblems(project, { ...ok, repoURL: "https://git.example.com/other.git" }, [])).toEqual([
      "project ossa does not permit source repository https://git.example.com/other.git",
    ]);
    expect(permitProblems(project, { ...ok, server: "https://kubernetes.default.svc" }, [])).toHaveLength(1);
    expect(permitProblems(project, { ...ok, namespace: "kube-system" }, [])).toHaveLength(1);
    const role = { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "admin" } };
    expect(kindProblem(project, role)).toBe(
      "project ossa does not whitelist the cluster-scoped rbac.authorization.k8s.io/ClusterRole admin",
    );
    expect(kindProblem(project, { apiVersion: "v1", kind: "Namespace", metadata: { name: "kube-system" } })).toMatch(
      /does not whitelist/,
    );
  });

  it("the bootstrap project lets the root Application sync only the layer's own kinds into Argo CD's namespace", () => {
    const bootstrap = layerFiles(result, "AppProject").find((p) => p.metadata.name === "manifold");
    expect(bootstrap.spec.destinations).toEqual([{ server: "https://kubernetes.default.svc", namespace: "argocd" }]);
    expect(bootstrap.spec.namespaceResourceWhitelist.map((k: Parsed) => `${k.group}/${k.kind}`)).toEqual([
      "/ConfigMap",
      // the ready marks of the clusters' add-ons Applications (bootstrap project too)
      "/Secret",
      "argoproj.io/AppProject",
      "argoproj.io/Application",
      "argoproj.io/ApplicationSet",
      "external-secrets.io/ExternalSecret",
    ]);
    const root = layerFiles(result, "Application").find((a) => a.metadata.name === "manifold");
    expect(root.spec.source).toEqual({
      repoURL: "https://git.example.com/platform/manifold.git",
      targetRevision: "rendered-manifests",
      path: "argocd",
      directory: { recurse: false },
    });
    expect(root.spec.project).toBe("manifold");
    expect(result.argocd!.bootstrap).toBe(
      "kubectl apply -n argocd -f argocd/appproject-manifold.yaml -f argocd/application-manifold.yaml",
    );
    expect(result.files.get("argocd/README.md")).toContain(result.argocd!.bootstrap);
  });
});

describe("validation of the layer", () => {
  it("runs the schema rules over rendered/argocd/: the layer is clean, a broken Application or an unknown kind is reported", () => {
    expect(result.argocd!.findings).toEqual([]);
    const root = result.argocd!.objects.find((o) => o.kind === "Application" && o.metadata.name === "manifold")!;
    const broken = structuredClone(root) as Parsed;
    delete broken.spec.destination;
    broken.spec.syncPolicy.retry.limit = "five";
    const unknown = { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w", namespace: "argocd" } };
    const findings = validateLayer([broken, unknown], "argocd/layer.ts");
    expect(findings.filter((f) => f.rule === "schema").map((f) => `${f.object} ${f.pointer}`)).toEqual(
      expect.arrayContaining([
        "Application/manifold /spec",
        "Application/manifold /spec/syncPolicy/retry/limit",
        "Widget/w /apiVersion",
      ]),
    );
    expect(findings.every((f) => f.target === "argocd" && f.file === "argocd/layer.ts")).toBe(true);
  });
});

describe("settings", () => {
  it("switch progressive syncs on and pin annotation tracking, as ConfigMaps holding only Manifold's keys", () => {
    const maps = Object.fromEntries(layerFiles(result, "ConfigMap").map((c) => [c.metadata.name, c]));
    expect(maps["argocd-cmd-params-cm"].data).toEqual({
      [PROGRESSIVE_SYNCS_KEY]: "true",
      [POLICY_OVERRIDE_KEY]: "true",
    });
    // No custom resource sits in a waited-on wave without a health check: no Lua for them. The cluster layer's
    // Applications do sit in waited-on waves (add-ons before the ApplicationSets), so Application health is restored.
    // The primary regions' base backups, which replica clusters bootstrap from, get their own check.
    expect(maps["argocd-cm"].data).toEqual({
      [TRACKING_KEY]: "annotation",
      "resource.customizations.health.argoproj.io_Application": APPLICATION_HEALTH_LUA,
      "resource.customizations.health.postgresql.cnpg.io_Backup": BACKUP_HEALTH_LUA,
    });
    for (const m of Object.values(maps) as Parsed[])
      expect(m.metadata.annotations["argocd.argoproj.io/sync-options"]).toBe(
        "Prune=false,Delete=false,ServerSideApply=true",
      );
  });

  it("ask for a Lua health check only for custom resources whose output a later wave reads and that Argo CD cannot assess", () => {
    const object = (kind: string, apiVersion: string, wave: string, spec: unknown = {}) => ({
      band: "foundation" as const,
      object: {
        apiVersion,
        kind,
        metadata: { name: kind.toLowerCase(), annotations: { "argocd.argoproj.io/sync-wave": wave } },
        spec,
      },
    });
    const reader = (wave: string) =>
      object("Deployment", "apps/v1", wave, {
        template: {
          spec: {
            containers: [
              {
                name: "c",
                image: "docker.io/library/i:1",
                env: [{ name: "X", valueFrom: { secretKeyRef: { name: "made", key: "k" } } }],
              },
            ],
          },
        },
      });
    expect(
      kindsNeedingHealthChecks([[object("Widget", "example.com/v1", "0", { target: { name: "made" } }), reader("1")]]),
    ).toEqual(["example.com/Widget"]);
    expect(
      kindsNeedingHealthChecks([[object("Widget", "example.com/v1", "0", { target: { name: "other" } }), reader("1")]]),
    ).toEqual([]);
    expect(
      kindsNeedingHealthChecks([[object("VerticalPodAutoscaler", "autoscaling.k8s.io/v1", "0"), reader("1")]]),
    ).toEqual([]);
    expect(
      kindsNeedingHealthChecks([
        [object("ExternalSecret", "external-secrets.io/v1", "0", { target: { name: "made" } }), reader("1")],
      ]),
    ).toEqual([]);
  });
});

describe("the Go-template subset", () => {
  const params = {
    name: "prod-a",
    server: "https://a",
    metadata: { labels: { "manifold.dev/region": "eu-west-1", env: "production" }, annotations: {} },
  };
  it.each([
    ["{{.name}}", "prod-a"],
    ["{{ .server }}/x", "https://a/x"],
    ['{{index .metadata.labels "manifold.dev/region"}}', "eu-west-1"],
    ["{{.metadata.labels.env}}-{{.name}}", "production-prod-a"],
    ['{{index .metadata.labels "absent"}}', ""],
    ["a {{- .name -}} b", "aprod-ab"],
  ])("%s renders %s", (template, expected) => {
    expect(renderTemplate(template, params)).toBe(expected);
  });

  it.each([["{{.metadata.labels.absent}}"], ["{{.nope}}"], ["{{.nope.deeper}}"], ["{{upper .name}}"], ["{{.name"]])(
    "%s fails as missingkey=error (or unsupported) would",
    (template) => {
      expect(() => renderTemplate(template, params)).toThrow(TemplateError);
    },
  );

  it("selectors and steps follow Kubernetes and RollingSync semantics", () => {
    const labels = { env: "production", role: "primary" };
    expect(
      selectorMatches({ matchExpressions: [{ key: "env", operator: "In", values: ["production"] }] }, labels),
    ).toBe(true);
    expect(
      selectorMatches({ matchExpressions: [{ key: "role", operator: "NotIn", values: ["primary"] }] }, labels),
    ).toBe(false);
    expect(
      selectorMatches(
        { matchExpressions: [{ key: "zone", operator: "DoesNotExist" }], matchLabels: { env: "production" } },
        labels,
      ),
    ).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: "zone", operator: "Exists" }] }, labels)).toBe(false);
    const steps = [
      { matchExpressions: [{ key: "role", operator: "In", values: ["tertiary"] }] },
      { matchExpressions: [{ key: "role", operator: "NotIn", values: ["tertiary"] }] },
    ];
    expect(stepOf(steps, labels)).toBe(2);
    expect(stepOf(steps, { role: "tertiary" })).toBe(1);
    expect(stepOf([{ matchExpressions: [{ key: "role", operator: "In", values: ["x"] }] }], {})).toBeUndefined();
  });

  it("the cluster generator skips Secrets without the cluster type label", () => {
    const set = layerFiles(result, "ApplicationSet").find((s) => s.metadata.name === "ossa-dev");
    const cluster: ClusterSecret = {
      name: "dev-us-west-2",
      server: "https://dev",
      labels: {
        "manifold.dev/environment": "dev",
        "manifold.dev/region": "us-west-2",
        "manifold.dev/role": "primary",
        "manifold.dev/addons-ready": "true",
      },
      annotations: { "manifold.dev/ingress-domain": "d" },
    };
    expect(expandApplicationSets([set], [cluster]).applications).toEqual([]);
    const typed = { ...cluster, labels: { ...cluster.labels, "argocd.argoproj.io/secret-type": "cluster" } };
    expect(expandApplicationSets([set], [typed]).applications.map((a) => a.application.metadata.name)).toEqual([
      "ossa-dev-us-west-2",
    ]);
  });
});

describe("the argocd/ description", () => {
  it("must give every environment a policy; errors name the file and the field", async () => {
    const repo = await repoProject();
    const layer = await repoArgoCd();
    delete layer.environments.staging;
    layer.environments.qa = layer.environments.dev;
    let error: Parsed;
    try {
      checkProject({ ...repo, argocd: [{ file: "argocd/layer.ts", value: layer }] });
    } catch (e) {
      error = e;
    }
    const lines = [error, ...error.others].map((e: ManifoldError) => e.format());
    expect(lines).toEqual([
      'argocd/layer.ts: environments.staging: has no sync policy for environment "staging"',
      'argocd/layer.ts: environments.qa: unknown environment "qa"; known: dev, production, staging',
    ]);
  });

  it("rejects unknown fields and bad rollout steps", async () => {
    const repo = await repoProject();
    const layer = await repoArgoCd();
    layer.environments.production.rollout.steps[0].roles = ["quaternary"];
    layer.branchh = "x";
    const error: Parsed = (() => {
      try {
        checkProject({ ...repo, argocd: [{ file: "argocd/layer.ts", value: layer }] });
      } catch (e) {
        return e;
      }
    })();
    const lines = [error, ...error.others].map((e: ManifoldError) => e.format());
    expect(lines).toContainEqual(
      expect.stringMatching(/^argocd\/layer\.ts: branchh: unknown field \(did you mean "branch"\?\)/),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^argocd\/layer\.ts: environments\.production\.rollout\.steps\[0\]\.roles\[0\]: must be one of "primary", "secondary", "tertiary"/,
      ),
    );
  });
});

describe("manifold plan --apps", () => {
  it("prints the Applications each cluster gets, production in rollout order, and keeps plan <platform> <env> <region>", () => {
    const run = runCli(REPO, ["plan", "--apps"]);
    expect(run.status).toBe(0);
    const out = run.stdout;
    expect(out).toContain("24 Applications from 12 ApplicationSets on 6 clusters");
    const at = (s: string) => out.indexOf(s);
    expect(at("ossa-production-us-west-2")).toBeGreaterThan(0);
    expect(at("ossa-production-us-west-2")).toBeLessThan(at("ossa-production-us-east-1"));
    expect(at("ossa-production-us-east-1")).toBeLessThan(at("ossa-production-eu-west-1"));
    expect(out).toContain(
      "after ossa-production-us-west-2: its postgresql, redis follow the primary there; its schema is migrated there",
    );
    expect(runCli(REPO, ["plan", "--apps", "ossa"]).status).toBe(2);
  });

  it("compile exits 1 on a production Application no step selects, naming the file and field, and writes nothing", () => {
    const root = makeProject({ rendered: true });
    edit(root, "argocd/layer.ts", '{ roles: ["tertiary"], maxUpdate: 1 },', "");
    const before = readFileSync(join(root, "rendered/argocd/applicationset-ossa-production.yaml"), "utf8");
    const run = runCli(root, ["compile"]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /error: argocd\/layer\.ts: environments\.production\.rollout\.steps: Application ossa-production-eu-west-1 .*no RollingSync step selects it/,
    );
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(join(root, "rendered/argocd/applicationset-ossa-production.yaml"), "utf8")).toBe(before);
  });
});
