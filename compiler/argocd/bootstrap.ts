/**
 * The bootstrap (app-of-apps) Application: it syncs `argocd/` of the rendered
 * branch, the folder it lives in, so after one `kubectl apply` Argo CD keeps
 * the whole layer (itself included) in step with git. No resources finalizer:
 * deleting it never cascades to the projects and ApplicationSets.
 */
import { Application } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application";
import type { ArgoCdDescription } from "../describe/types.ts";
import { make } from "../blocks/objects.ts";
import { type KubeObject } from "../model/object.ts";
import { COMPILER_VERSION } from "../version.ts";
import {
  COMPARE_OPTIONS_ANNOTATION,
  MANIFEST_GENERATE_PATHS_ANNOTATION,
  PRUNE_LAST_OPTION,
  SERVER_SIDE_APPLY_OPTION,
  SERVER_SIDE_DIFF_OPTION,
  WAVE_ANNOTATION,
} from "../sync/annotations.ts";
import { IN_CLUSTER, layerLabels } from "./labels.ts";

/**
 * The layer's last wave: the cluster registrations, the root Application itself and, with a cluster layer, every
 * ApplicationSet. Argo CD waits on no health in a sync's last wave, so a registration whose credential is missing
 * (a Degraded ExternalSecret) leaves its one cluster unregistered and holds nothing else; the root never waits on its
 * own health. The order on each cluster is kept by the cluster layer's own Applications (addon-rollout.ts).
 */
export const LAST_WAVE = "1";

/** The folder of the layer, relative to `rendered/` and to the rendered branch's root. */
export const LAYER_FOLDER = "argocd";

/** Annotations of an Application that syncs a folder of the layer: refreshed by its own folder, diffed server-side. */
export const LAYER_FOLDER_ANNOTATIONS = {
  [MANIFEST_GENERATE_PATHS_ANNOTATION]: ".",
  [COMPARE_OPTIONS_ANNOTATION]: SERVER_SIDE_DIFF_OPTION,
};

/** The project, source and destination of an Application that syncs one folder of the layer (not its subfolders). */
export function layerFolderSpec(layer: ArgoCdDescription, path: string) {
  return {
    project: layer.bootstrap.project,
    source: { repoURL: layer.repoURL, targetRevision: layer.branch, path, directory: { recurse: false } },
    destination: { server: IN_CLUSTER, namespace: layer.namespace },
  };
}

/** The root Application, in the layer's last wave (`wave`, by default the registrations' wave). */
export function buildBootstrapApplication(layer: ArgoCdDescription, wave: string = LAST_WAVE): KubeObject {
  return make(Application, {
    metadata: {
      name: layer.bootstrap.application,
      namespace: layer.namespace,
      labels: layerLabels("bootstrap"),
      annotations: {
        [WAVE_ANNOTATION]: wave,
        ...LAYER_FOLDER_ANNOTATIONS,
      },
    },
    spec: {
      ...layerFolderSpec(layer, LAYER_FOLDER),
      info: [
        { name: "Source repository", value: layer.repoURL },
        { name: "Rendered folder", value: `${layer.branch}:${LAYER_FOLDER}` },
        {
          name: "Rendered by",
          value: `manifold ${COMPILER_VERSION} (npm run compile) from argocd/, environments/, regions/ and platforms/`,
        },
      ],
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        syncOptions: [SERVER_SIDE_APPLY_OPTION, PRUNE_LAST_OPTION],
        retry: { limit: layer.retry.limit, backoff: { ...layer.retry.backoff } },
      },
    },
  });
}
