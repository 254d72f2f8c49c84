/**
 * The README.md of `rendered/argocd/`: what the management cluster's Argo CD
 * applies, the one command that starts it, and what each cluster runs in
 * rollout order. Argo CD ignores non-YAML files.
 */
import type { ArgoCdDescription } from "../describe/types.ts";
import type { KubeObject } from "../model/object.ts";
import { objectFileName } from "../emit/files.ts";
import { syncWave } from "../sync/apply-order.ts";
import { formatAppsPlan, type AppsPlan } from "./plan.ts";
import { LAYER_FOLDER } from "./bootstrap.ts";
import { CLUSTER_LAYER_APPSET } from "./addon-rollout.ts";
import { LABEL_ADDONS_READY } from "./labels.ts";

/** The one command that starts everything, from a checkout of the rendered branch. */
export function bootstrapCommand(layer: ArgoCdDescription, project: KubeObject, root: KubeObject): string {
  return `kubectl apply -n ${layer.namespace} -f ${LAYER_FOLDER}/${objectFileName(project)} -f ${LAYER_FOLDER}/${objectFileName(root)}`;
}

/** Renders the layer README. */
export function renderLayerReadme(
  layer: ArgoCdDescription,
  objects: KubeObject[],
  plan: AppsPlan,
  command: string,
): string {
  const lines = [
    "# argocd — what the management cluster's Argo CD applies",
    "",
    "Rendered by Manifold from `argocd/`, `environments/`, `regions/` and `platforms/`. Do not edit: change the descriptions and run `npm run compile`.",
    "",
    "## Start everything",
    "",
    `From a checkout of the \`${layer.branch}\` branch, on the management cluster (Argo CD installed in \`${layer.namespace}\`):`,
    "",
    "```sh",
    command,
    "```",
    "",
    `The bootstrap Application then syncs this folder, itself included. If a setting in \`argocd-cmd-params-cm\` changed, restart the ApplicationSet controller once (\`kubectl -n ${layer.namespace} rollout restart deployment argocd-applicationset-controller\`): it reads its flags at start.`,
    "",
    "## Objects, in sync order",
    "",
    "| Wave | Kind | Name | File |",
    "|---|---|---|---|",
    ...objects.map(
      (o) => `| ${syncWave(o)} | ${o.kind} | ${o.metadata.name} | [${objectFileName(o)}](${objectFileName(o)}) |`,
    ),
    "",
    "The settings ConfigMaps carry only the keys Manifold owns; they are applied with server-side apply and never pruned or deleted.",
    "",
    ...(objects.some((o) => o.kind === "ApplicationSet" && o.metadata.name === CLUSTER_LAYER_APPSET)
      ? [
          `Each registered cluster's add-ons are deployed by its own Application \`addons-<env>-<region>\` (ApplicationSet \`${CLUSTER_LAYER_APPSET}\`) from \`clusters/<env>/<region>/\` of this folder, wave by wave; its last wave labels the cluster Secret \`${LABEL_ADDONS_READY}: "true"\`, and only then do the platforms' ApplicationSets select the cluster.`,
          "",
        ]
      : []),
    "## What each cluster runs, in rollout order",
    "",
    "```text",
    formatAppsPlan(plan).trimEnd(),
    "```",
    "",
  ];
  return lines.join("\n");
}
