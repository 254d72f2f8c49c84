/**
 * The Argo CD layer: everything the management cluster's Argo CD needs,
 * rendered into `rendered/argocd/` from the same descriptions and the
 * compiled targets. Runs on an unfiltered compile after the targets are
 * rendered; expands its own ApplicationSets offline and cross-checks them
 * against the rendered tree before anything is written.
 */
import { ManifoldError, combineErrors } from "../errors.ts";
import type { KubeObject } from "../model/object.ts";
import type { CompiledTarget } from "../model/target.ts";
import type { Project } from "../model/project.ts";
import type { ArgoCdDescription } from "../describe/types.ts";
import { sortForSync } from "../sync/apply-order.ts";
import { objectFileName, targetFolder } from "../emit/files.ts";
import { toYaml } from "../yaml.ts";
import { apiGroup } from "../sync/health.ts";
import type { Finding } from "../model/finding.ts";
import { blocking } from "../validate/index.ts";
import { findingErrors } from "../validate/findings-error.ts";
import { addonSteps, buildClusterLayerAppSet, buildReadyMark, clusterAppsFolder } from "./addon-rollout.ts";
import { buildApplicationSet } from "./applicationset.ts";
import { buildBootstrapApplication, LAYER_FOLDER } from "./bootstrap.ts";
import {
  buildClusterSecret,
  clusterSecretOf,
  declaredClusters,
  type ClusterExternalSecret,
  type DeclaredCluster,
} from "./clusters.ts";
import { crossCheck } from "./crosscheck.ts";
import { expandApplicationSets, type GeneratedApplication } from "./expand.ts";
import { permitProblems } from "./permits.ts";
import { planApps, type AddonRollout, type AppsPlan, type PlannedAddon } from "./plan.ts";
import { dataDependencies } from "./rollout-order.ts";
import type { ClusterLayer } from "../cluster/index.ts";
import { unitFolder } from "../cluster/applications.ts";
import { buildBootstrapProject, buildDefaultProject, buildPlatformProject, clusterLayerPermits } from "./projects.ts";
import { bootstrapCommand, renderLayerReadme } from "./readme.ts";
import { buildSettings } from "./settings.ts";
import { LABEL_ADDONS_READY } from "./labels.ts";
import { validateLayer } from "./validate.ts";
import { clusterVersionProblems, versionProblems } from "./versions.ts";

export interface ArgoCdLayer {
  /** The layer's objects, in the bootstrap Application's sync order. */
  objects: KubeObject[];
  /** Each cluster's add-ons app-of-apps folder (`argocd/clusters/<env>/<region>`) and its objects, in sync order. */
  clusterFolders: Map<string, KubeObject[]>;
  /** File contents keyed by path relative to `rendered/` (all under `argocd/`). */
  files: Map<string, string>;
  clusters: DeclaredCluster[];
  /** The offline expansion of every ApplicationSet. */
  applications: GeneratedApplication[];
  plan: AppsPlan;
  findings: Finding[];
  /** The one command that starts everything. */
  bootstrap: string;
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const i of items) out.set(key(i), [...(out.get(key(i)) ?? []), i]);
  return out;
}

/** The layer's objects before any check: each kind kept apart for the checks, and all of them in sync order. */
interface LayerObjects {
  clusterSecrets: ClusterExternalSecret[];
  appSets: KubeObject[];
  platformProjects: KubeObject[];
  bootstrapProject: KubeObject;
  /** The bootstrap Application (the root of everything). */
  root: KubeObject;
  /** The ApplicationSet of the clusters' add-ons app-of-apps, with a cluster layer. */
  clusterLayerAppSet?: KubeObject;
  /** Each cluster's add-ons folder and its objects. */
  clusterFolders: Map<string, KubeObject[]>;
  /** Every object, in the bootstrap Application's sync order. */
  objects: KubeObject[];
}

/** The cluster Secrets Argo CD will see, marked ready where a cluster layer's last wave marks them. */
function visibleSecrets(built: LayerObjects): ReturnType<typeof clusterSecretOf>[] {
  return built.clusterSecrets
    .map(clusterSecretOf)
    .map((s) => (built.clusterLayerAppSet ? { ...s, labels: { ...s.labels, [LABEL_ADDONS_READY]: "true" } } : s));
}

/** Renders and checks the Argo CD layer. Throws one ManifoldError listing every problem. */
export function renderArgoCd(
  project: Project,
  targets: CompiledTarget[],
  files: Map<string, string>,
  cluster?: ClusterLayer,
): ArgoCdLayer {
  const { file, value: layer } = project.argocd!;
  const clusters = declaredClusters(project);
  const built = buildLayer(project, targets, clusters, cluster);
  const secrets = visibleSecrets(built);
  const { applications, problems } = expandApplicationSets(built.appSets, secrets);
  const findings = validateLayer([...built.objects, ...[...built.clusterFolders.values()].flat()], file);
  const errors: ManifoldError[] = [
    ...crossCheck({
      file,
      applications,
      problems,
      targets,
      clusters,
      projects: [...built.platformProjects, built.bootstrapProject],
      files,
    }),
    ...bootstrapProblems(built, layer, file),
    ...versionProblems(built.objects, layer.argocdVersion).map(
      (p) =>
        new ManifoldError(`${p.object} ${p.pointer}: ${p.message}`, { file, field: "argocdVersion", target: "argocd" }),
    ),
    ...contractProblems(built, applications, clusters, layer.argocdVersion),
    ...clusterLayerPermits(built.platformProjects).map(
      (p) =>
        new ManifoldError(`platform project ${p}: a platform project permits a kind the cluster layer owns`, {
          file,
          target: "argocd",
        }),
    ),
    ...findingErrors(blocking(findings)),
  ];
  if (errors.length) throw combineErrors(errors);
  const byFolder = new Map(targets.map((t) => [targetFolder(t.target), t]));
  const dependencies = dataDependencies(applications, byFolder);
  const plan = planApps(
    layer,
    clusters,
    applications,
    dependencies,
    plannedAddons(cluster),
    addonRollout(built, layer, clusters),
  );
  const bootstrap = bootstrapCommand(layer, built.bootstrapProject, built.root);
  const readme = renderLayerReadme(layer, built.objects, plan, bootstrap);
  const out = layerFiles(built.objects, built.clusterFolders, file, readme);
  return {
    objects: built.objects,
    clusterFolders: built.clusterFolders,
    files: out,
    clusters,
    applications,
    plan,
    findings,
    bootstrap,
  };
}

/** The cluster layer's rollout, expanded offline: its steps and the step of each cluster. */
function addonRollout(
  built: LayerObjects,
  layer: ArgoCdDescription,
  clusters: DeclaredCluster[],
): AddonRollout | undefined {
  if (!built.clusterLayerAppSet) return undefined;
  const { applications } = expandApplicationSets([built.clusterLayerAppSet], visibleSecrets(built));
  const steps = addonSteps(layer, clusters);
  return {
    applicationSet: built.clusterLayerAppSet.metadata.name,
    steps: steps.map((s, i) => ({ step: i + 1, environment: s.environment, roles: s.roles ?? [] })),
    stepOf: new Map(
      applications.map((a) => [a.cluster.server, { application: a.application.metadata.name, step: a.step }]),
    ),
  };
}

/** The cluster layer's Applications per cluster server, for `plan --apps`. */
function plannedAddons(cluster: ClusterLayer | undefined): Map<string, PlannedAddon[]> {
  const out = new Map<string, PlannedAddon[]>();
  for (const p of cluster?.clusters ?? [])
    out.set(
      p.cluster.cluster.server,
      p.units.map((u) => {
        const chart = u.addon.description.chart;
        const source =
          u.delivery === "helm-source" && chart
            ? `helm-source ${chart.repository} ${chart.chart}@${chart.version}`
            : u.delivery === "hydrated" && chart
              ? `hydrated ${chart.chart}@${chart.version} into ${unitFolder(p.cluster, u.name)}`
              : `folder ${unitFolder(p.cluster, u.name)}`;
        return { name: u.application, wave: u.wave, source };
      }),
    );
  return out;
}

/** Each cluster's add-ons folder: its add-on Applications wave by wave, then the ready mark in the last wave. */
function clusterFolders(
  layer: ArgoCdDescription,
  clusters: DeclaredCluster[],
  cluster: ClusterLayer | undefined,
): Map<string, KubeObject[]> {
  const out = new Map<string, KubeObject[]>();
  for (const p of cluster?.clusters ?? []) {
    const declared = clusters.find((c) => c.environment === p.cluster.environment && c.region === p.cluster.region)!;
    const objects = [...p.applications, buildReadyMark(declared, layer, p.lastWave)];
    out.set(
      clusterAppsFolder(declared),
      sortForSync(objects.map((object) => ({ object }))).map((o) => o.object),
    );
  }
  return out;
}

/** Builds every object of the layer: cluster Secrets, one project per platform, its ApplicationSets, settings. */
function buildLayer(
  project: Project,
  targets: CompiledTarget[],
  clusters: DeclaredCluster[],
  cluster?: ClusterLayer,
): LayerObjects {
  const layer = project.argocd!.value;
  const clusterSecrets = clusters.map((c) => buildClusterSecret(c, layer));
  const envOrder = Object.keys(layer.environments);
  const ordered = [...targets].sort(
    (a, b) => envOrder.indexOf(a.target.environment) - envOrder.indexOf(b.target.environment),
  );
  const appSets: KubeObject[] = [];
  const platformProjects: KubeObject[] = [];
  for (const p of project.platforms) {
    const own = ordered.filter((t) => t.target.platform === p.value.name);
    if (own.length === 0) continue;
    platformProjects.push(buildPlatformProject(p.value.name, p.value.description, own, layer));
    for (const envTargets of groupBy(own, (t) => t.target.environment).values())
      appSets.push(buildApplicationSet(envTargets, layer, cluster !== undefined));
  }
  // Nothing in the root waits on a cluster: registrations, ApplicationSets and the root itself sync in its last waves.
  const root = buildBootstrapApplication(layer);
  const clusterLayerAppSet = cluster ? buildClusterLayerAppSet(layer, clusters) : undefined;
  const folders = clusterFolders(layer, clusters, cluster);
  const withoutSettings: KubeObject[] = [
    buildDefaultProject(layer),
    ...platformProjects,
    ...clusterSecrets,
    ...appSets,
    ...(cluster ? [cluster.project, clusterLayerAppSet!] : []),
    root,
  ];
  const managed = [...withoutSettings, ...buildSettings(layer, targets, withoutSettings, [...folders.values()])];
  const kinds = [...managed, ...[...folders.values()].flat()]
    .map((o) => ({ group: apiGroup(o), kind: o.kind }))
    .concat([{ group: "argoproj.io", kind: "AppProject" }]);
  const bootstrapProject = buildBootstrapProject(layer, kinds);
  const objects = sortForSync([...managed, bootstrapProject].map((object) => ({ object }))).map((o) => o.object);
  return {
    clusterSecrets,
    appSets,
    platformProjects,
    bootstrapProject,
    root,
    clusterLayerAppSet,
    clusterFolders: folders,
    objects,
  };
}

/** The Argo CD fields that reach a cluster and that the Argo CD version of its capability contract lacks. */
function contractProblems(
  built: LayerObjects,
  applications: GeneratedApplication[],
  clusters: DeclaredCluster[],
  layerVersion: string,
): ManifoldError[] {
  const reaching = [
    ...built.appSets.map((object) => ({
      object,
      servers: applications
        .filter((a) => a.applicationSet === object.metadata.name)
        .map((a) => a.application.spec.destination.server ?? ""),
    })),
    ...built.platformProjects.map((object) => ({
      object,
      servers: ((object.spec as { destinations?: { server?: string }[] }).destinations ?? []).map(
        (d) => d.server ?? "",
      ),
    })),
  ];
  const versioned = clusters.map((c) => ({ ...c, argocdVersion: c.capabilities.argocdVersion }));
  return clusterVersionProblems(versioned, reaching, layerVersion).map((p) => {
    const c = clusters.find((d) => d.name === p.cluster.name)!;
    return new ManifoldError(`${p.object}${p.pointer ? ` ${p.pointer}` : ""}: ${p.message}`, {
      file: c.file,
      field: `clusters.${c.environment}.capabilities.argocdVersion`,
      target: c.name,
    });
  });
}

/** What the bootstrap project does not permit the root Application to sync. */
function bootstrapProblems(built: LayerObjects, layer: ArgoCdDescription, file: string): ManifoldError[] {
  const { root, bootstrapProject, objects } = built;
  const server = (root.spec as { destination: { server: string } }).destination.server;
  return permitProblems(bootstrapProject, { repoURL: layer.repoURL, server, namespace: layer.namespace }, objects).map(
    (p) => new ManifoldError(`bootstrap Application ${root.metadata.name}: ${p}`, { file, field: "bootstrap.project" }),
  );
}

/** The layer's files: one per object, each cluster's add-ons folder, then its README. No two objects share a file. */
function layerFiles(
  objects: KubeObject[],
  folders: Map<string, KubeObject[]>,
  file: string,
  readme: string,
): Map<string, string> {
  const out = new Map<string, string>();
  const entries = [
    ...objects.map((o) => ({ folder: LAYER_FOLDER, o })),
    ...[...folders].flatMap(([folder, os]) => os.map((o) => ({ folder, o }))),
  ];
  for (const { folder, o } of entries) {
    const path = `${folder}/${objectFileName(o)}`;
    if (out.has(path))
      throw new ManifoldError(`two objects of the Argo CD layer would both be written to ${path}`, { file });
    out.set(path, toYaml(o));
  }
  out.set(`${LAYER_FOLDER}/README.md`, readme);
  return out;
}
