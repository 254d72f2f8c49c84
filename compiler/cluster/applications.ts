/**
 * The cluster layer's Argo CD objects, synced by the bootstrap Application from `rendered/argocd/`: one Application
 * per add-on part on each cluster, in the `cluster-addons` project. A chart delivered as a Helm source names the
 * chart repository, chart and exact version, with its values as `valuesObject` (a PR diff shows every change of
 * either); a folder (hydrated chart, cluster-wide objects) is a directory source on the rendered branch. Each
 * Application's sync wave is its add-on's depth in the dependency order, so with the Application health check in
 * `argocd-cm` the bootstrap Application waits for every add-on to be Healthy before the next wave, and for all of
 * them before the platforms' ApplicationSets.
 */
import { Application } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application";
import { AppProject } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject";
import type { ArgoCdDescription, ChartSource } from "../describe/types.ts";
import { make } from "../blocks/objects.ts";
import type { KubeObject } from "../model/object.ts";
import { COMPILER_VERSION } from "../version.ts";
import {
  COMPARE_OPTIONS_ANNOTATION,
  SERVER_SIDE_APPLY_OPTION,
  SERVER_SIDE_DIFF_OPTION,
  WAVE_ANNOTATION,
} from "../sync/annotations.ts";
import type { ClusterTarget } from "./resolve.ts";
import type { AddonUnit } from "./units.ts";

/** The project every cluster-layer Application belongs to. */
export const CLUSTER_PROJECT = "cluster-addons";

/** The rendered folder of one add-on part on one cluster, relative to `rendered/`. */
export function unitFolder(cluster: Pick<ClusterTarget, "environment" | "region">, unit: string): string {
  return `clusters/${cluster.environment}/${cluster.region}/${unit}`;
}

/** The Application of one add-on part on one cluster: `addon-<part>-<env>-<region>`. */
export function unitApplicationName(cluster: Pick<ClusterTarget, "environment" | "region">, unit: string): string {
  return `addon-${unit}-${cluster.environment}-${cluster.region}`;
}

/**
 * The `repoURL` of a chart: the HTTP repository, or for an OCI registry the chart's own artifact
 * (`oci://<registry>/<path>/<chart>`), which Argo CD (3.1 and later) pulls as a native OCI source with no repository
 * registered (a bare registry path as a Helm repository needs a repository Secret with `enableOCI`).
 */
function helmRepoURL(chart: ChartSource): string {
  return chart.repository.startsWith("oci://") ? `${chart.repository}/${chart.chart}` : chart.repository;
}

function sourceOf(
  unit: AddonUnit,
  cluster: ClusterTarget,
  layer: ArgoCdDescription,
): { repoURL: string } & Record<string, unknown> {
  const chart = unit.addon.description.chart;
  if (unit.delivery === "helm-source" && chart) {
    const helm = { releaseName: unit.addon.name, valuesObject: unit.addon.values };
    // An OCI chart is the artifact itself: its chart sits at the root (`path: .`), not named by `chart`.
    if (chart.repository.startsWith("oci://"))
      return { repoURL: helmRepoURL(chart), path: ".", targetRevision: chart.version, helm };
    return { repoURL: helmRepoURL(chart), chart: chart.chart, targetRevision: chart.version, helm };
  }
  return { repoURL: layer.repoURL, targetRevision: layer.branch, path: unitFolder(cluster, unit.name) };
}

/** The Application deploying one add-on part to one cluster, in the wave given. */
export function buildUnitApplication(
  unit: AddonUnit,
  cluster: ClusterTarget,
  layer: ArgoCdDescription,
  wave: number,
): KubeObject {
  // add-ons always sync automatically (a wave waits for them to be Healthy); prune and self-heal follow the environment
  const automated = layer.environments[cluster.environment]?.automated || { prune: true, selfHeal: true };
  const namespace = unit.addon.description.namespace ?? "default";
  const ignored = unit.delivery === "folder" ? [] : (unit.addon.description.ignoreDifferences ?? []);
  return make(Application, {
    metadata: {
      name: unitApplicationName(cluster, unit.name),
      namespace: layer.namespace,
      labels: {
        "app.kubernetes.io/part-of": "cluster",
        "app.kubernetes.io/component": "addon",
        "app.kubernetes.io/managed-by": "manifold",
        "manifold.dev/addon": unit.addon.name,
        "manifold.dev/environment": cluster.environment,
        "manifold.dev/region": cluster.region,
        "manifold.dev/role": cluster.role,
      },
      // Server-side apply needs server-side diff, or defaulted fields keep the add-on OutOfSync and its wave waits.
      annotations: { [WAVE_ANNOTATION]: String(wave), [COMPARE_OPTIONS_ANNOTATION]: SERVER_SIDE_DIFF_OPTION },
    },
    spec: {
      project: CLUSTER_PROJECT,
      source: sourceOf(unit, cluster, layer),
      destination: { server: cluster.cluster.server, namespace },
      ...(ignored.length ? { ignoreDifferences: ignored.map((d) => ({ ...d })) } : {}),
      info: [
        {
          name: "Add-on",
          value: `${unit.addon.file}${unit.addon.layers.length ? ` (${unit.addon.layers.join(", ")})` : ""}`,
        },
        { name: "Rendered by", value: `manifold ${COMPILER_VERSION} (npm run compile)` },
      ],
      syncPolicy: {
        automated: { prune: automated.prune, selfHeal: automated.selfHeal },
        syncOptions: [
          "CreateNamespace=true",
          SERVER_SIDE_APPLY_OPTION,
          ...(ignored.length ? ["RespectIgnoreDifferences=true"] : []),
        ],
        retry: { limit: layer.retry.limit, backoff: { ...layer.retry.backoff } },
      },
    },
  });
}

/**
 * The `cluster-addons` project: the rendered repository and the add-ons' chart repositories, every cluster's add-on
 * namespaces, and every cluster-scoped kind (add-ons install CRDs, webhooks, cluster roles and the cluster's own
 * objects: the one project that may).
 */
export function buildClusterProject(layer: ArgoCdDescription, clusters: ClusterTarget[]): KubeObject {
  const repos = new Set([layer.repoURL]);
  const destinations = new Map<string, { server: string; namespace: string }>();
  for (const c of clusters)
    for (const a of c.addons) {
      if (a.description.chart) repos.add(helmRepoURL(a.description.chart));
      const namespace = a.description.namespace ?? "default";
      destinations.set(`${c.cluster.server} ${namespace}`, { server: c.cluster.server, namespace });
    }
  return make(AppProject, {
    metadata: {
      name: CLUSTER_PROJECT,
      namespace: layer.namespace,
      labels: {
        "app.kubernetes.io/part-of": "manifold",
        "app.kubernetes.io/component": "project",
        "app.kubernetes.io/managed-by": "manifold",
      },
      annotations: { [WAVE_ANNOTATION]: "-1" },
    },
    spec: {
      description: "The cluster layer rendered by Manifold: the add-ons every cluster runs before any platform",
      sourceRepos: [...repos].sort(),
      destinations: [...destinations.keys()].sort().map((k) => destinations.get(k)!),
      clusterResourceWhitelist: [{ group: "*", kind: "*" }],
    },
  });
}
