/**
 * The bootstrap (app-of-apps) Application: it syncs `argocd/` of the rendered
 * branch, the folder it lives in, so after one `kubectl apply` Argo CD keeps
 * the whole layer (itself included) in step with git. No resources finalizer:
 * deleting it never cascades to the projects and ApplicationSets.
 */
import { Application } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application";
import type { ArgoCdDescription } from "../describe/types.ts";
import { plain } from "../blocks/objects.ts";
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
 * The wave of the cluster registrations (and, without a cluster layer, the layer's last wave, holding the root
 * Application too). With a cluster layer, the add-ons' Applications start in this same wave: a cluster must be
 * registered before an Application can sync to it, so a registration whose credential is missing holds the
 * layer's later waves (never prunes anything) until the credential exists. The root Application then moves to
 * the layer's real last wave, where Argo CD waits on no health, so it never waits on its own.
 */
export const LAST_WAVE = "1";

/** The folder of the layer, relative to `rendered/` and to the rendered branch's root. */
export const LAYER_FOLDER = "argocd";

/** The root Application, in the layer's last wave (`wave`, by default the registrations' wave). */
export function buildBootstrapApplication(layer: ArgoCdDescription, wave: string = LAST_WAVE): KubeObject {
  return plain(
    new Application({
      metadata: {
        name: layer.bootstrap.application,
        namespace: layer.namespace,
        labels: layerLabels("bootstrap"),
        annotations: {
          [WAVE_ANNOTATION]: wave,
          [MANIFEST_GENERATE_PATHS_ANNOTATION]: ".",
          [COMPARE_OPTIONS_ANNOTATION]: SERVER_SIDE_DIFF_OPTION,
        },
      },
      spec: {
        project: layer.bootstrap.project,
        source: {
          repoURL: layer.repoURL,
          targetRevision: layer.branch,
          path: LAYER_FOLDER,
          directory: { recurse: false },
        },
        destination: { server: IN_CLUSTER, namespace: layer.namespace },
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
    }),
  );
}
