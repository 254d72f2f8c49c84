/**
 * One ApplicationSet per platform and environment. The cluster generator
 * selects the environment's cluster Secrets by label (environment, region,
 * role); the template, with `goTemplate` and `missingkey=error`, gives each
 * cluster one Application named `<platform>-<env>-<region>` that deploys
 * `<env>/<region>/<platform>` from the rendered branch, in a hard-coded project.
 *
 * Why per environment: a RollingSync strategy belongs to a whole
 * ApplicationSet and turns automated sync off on every Application it
 * generates, so production's progressive rollout and the automated sync of
 * dev and staging cannot share one ApplicationSet.
 */
import { ApplicationSet, type IApplicationSet } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ApplicationSet";
import type { ArgoCdDescription, EnvironmentSyncPolicy, RegionRole, RolloutStep } from "../describe/types.ts";
import type { CompiledTarget } from "../model/target.ts";
import { make, plain } from "../blocks/objects.ts";
import { type KubeObject } from "../model/object.ts";
import { COMPILER_VERSION } from "../version.ts";
import {
  COMPARE_OPTIONS_ANNOTATION,
  MANIFEST_GENERATE_PATHS_ANNOTATION,
  SERVER_SIDE_DIFF_OPTION,
  PRUNE_LAST_OPTION,
  SERVER_SIDE_APPLY_OPTION,
  WAVE_ANNOTATION,
} from "../sync/annotations.ts";
import {
  LABEL_ADDONS_READY,
  LABEL_ENVIRONMENT,
  LABEL_PLATFORM,
  LABEL_REGION,
  LABEL_ROLE,
  labelParam,
  layerLabels,
} from "./labels.ts";
import { linkAnnotations } from "./links.ts";
import { compareVersions } from "./versions.ts";
import { LAST_WAVE } from "./bootstrap.ts";

/**
 * Primary first, tertiary last: the default order. The primary region holds the writable data stores the other
 * regions replicate from and write to, and runs the schema migration, so it must be Healthy (migrated) before any
 * other region syncs: on empty clusters a replica waits for a primary that exists, and no region runs new code
 * against an old schema.
 */
export const DEFAULT_STEPS: RolloutStep[] = [
  { roles: ["primary"], maxUpdate: 1 },
  { roles: ["secondary"], maxUpdate: 1 },
  { roles: ["tertiary"], maxUpdate: 1 },
];

/** The first Argo CD version whose Applications read `syncPolicy.automated.enabled` (3.0's docs lack it). */
export const AUTOMATED_ENABLED_SINCE = "3.3";

/**
 * The rollout steps of an environment's policy (the default order when none are given), or undefined for
 * AllAtOnce.
 */
export function rolloutSteps(policy: EnvironmentSyncPolicy): RolloutStep[] | undefined {
  return policy.rollout.type === "RollingSync" ? (policy.rollout.steps ?? DEFAULT_STEPS) : undefined;
}

/** The name of a platform's ApplicationSet for one environment. */
export function applicationSetName(platform: string, environment: string): string {
  return `${platform}-${environment}`;
}

/** The templated Application name: `<platform>-<env>-<region>`, read from the cluster's labels. */
export function applicationNameTemplate(platform: string): string {
  return `${platform}-${labelParam(LABEL_ENVIRONMENT)}-${labelParam(LABEL_REGION)}`;
}

/** The templated path of the rendered folder: `<env>/<region>/<platform>`. */
export function pathTemplate(platform: string): string {
  return `${labelParam(LABEL_ENVIRONMENT)}/${labelParam(LABEL_REGION)}/${platform}`;
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

/** What the sync tab says about this environment's policy. */
export function syncSummary(policy: EnvironmentSyncPolicy): string {
  const steps = rolloutSteps(policy);
  if (steps) {
    const order = steps
      .map((s) => s.roles.join("+") + (s.maxUpdate !== undefined ? ` (max ${s.maxUpdate})` : ""))
      .join(" -> ");
    return `progressive (RollingSync${policy.automated && policy.automated.prune ? ", prune" : ""}): ${order}`;
  }
  if (policy.automated)
    return `automated${policy.automated.prune ? ", prune" : ""}${policy.automated.selfHeal ? ", self-heal" : ""}`;
  return "manual";
}

type ApplicationSetSpec = IApplicationSet["spec"];

/**
 * What the ApplicationSet controller may do to generated Applications: create and update, never delete (it takes
 * effect with the controller's policy override on, which the layer's settings turn on).
 */
export const APPLICATIONS_SYNC = "create-update";

/**
 * Builds the ApplicationSet of one platform in one environment, from the environment's compiled targets of that
 * platform. `afterAddons`: a cluster layer exists, so only clusters whose add-ons were Healthy are selected.
 */
export function buildApplicationSet(
  targets: CompiledTarget[],
  layer: ArgoCdDescription,
  afterAddons = false,
): KubeObject {
  const { platform, environment } = targets[0].target;
  const policy = layer.environments[environment];
  const steps = rolloutSteps(policy);
  const appSet = make(ApplicationSet, {
    metadata: {
      name: applicationSetName(platform, environment),
      namespace: layer.namespace,
      labels: { ...layerLabels("applicationset"), [LABEL_PLATFORM]: platform, [LABEL_ENVIRONMENT]: environment },
      // After add-ons, in the root's last wave (with the registrations): nothing waits on an ApplicationSet's health.
      annotations: { [WAVE_ANNOTATION]: afterAddons ? LAST_WAVE : "0" },
    },
    spec: {
      goTemplate: true,
      goTemplateOptions: ["missingkey=error"],
      generators: [clusterGenerator(targets, afterAddons)],
      template: applicationTemplate(targets, layer),
      // The controller creates and updates Applications but never deletes one: a cluster that leaves the generator
      // (its registration dropped or relabelled) keeps its Applications, and so its workloads and volumes.
      syncPolicy: {
        applicationsSync: APPLICATIONS_SYNC,
        preserveResourcesOnDeletion: policy.preserveResourcesOnDeletion,
      },
      ...(steps ? { strategy: rollingSync(steps) } : {}),
    },
  });
  return plain(appSet);
}

/**
 * The cluster generator: the environment's cluster Secrets in the targets' regions and roles (and, after add-ons,
 * only those the cluster's add-ons Application has marked ready).
 */
function clusterGenerator(targets: CompiledTarget[], afterAddons: boolean): ApplicationSetSpec["generators"][number] {
  const regions = unique(targets.map((t) => t.target.region));
  const roles = unique(targets.map((t) => t.target.role)).sort() as RegionRole[];
  return {
    clusters: {
      selector: {
        matchExpressions: [
          { key: LABEL_ENVIRONMENT, operator: "In", values: [targets[0].target.environment] },
          { key: LABEL_REGION, operator: "In", values: regions },
          { key: LABEL_ROLE, operator: "In", values: roles },
          ...(afterAddons ? [{ key: LABEL_ADDONS_READY, operator: "In", values: ["true"] }] : []),
        ],
      },
    },
  };
}

/** The Application each selected cluster gets: named, labelled and linked, deploying its rendered folder. */
function applicationTemplate(targets: CompiledTarget[], layer: ArgoCdDescription): ApplicationSetSpec["template"] {
  const { platform, environment, namespace } = targets[0].target;
  const policy = layer.environments[environment];
  return {
    metadata: {
      name: applicationNameTemplate(platform),
      labels: {
        [LABEL_PLATFORM]: platform,
        [LABEL_ENVIRONMENT]: labelParam(LABEL_ENVIRONMENT),
        [LABEL_REGION]: labelParam(LABEL_REGION),
        [LABEL_ROLE]: labelParam(LABEL_ROLE),
        "app.kubernetes.io/part-of": platform,
        "app.kubernetes.io/managed-by": "manifold",
      },
      annotations: {
        // Only a change under the Application's own folder refreshes it.
        [MANIFEST_GENERATE_PATHS_ANNOTATION]: ".",
        // Server-side apply needs server-side diff: a client-side diff never sees the API server's defaults, so
        // StatefulSets and defaulted custom resources would stay OutOfSync, and RollingSync waits for Synced.
        [COMPARE_OPTIONS_ANNOTATION]: SERVER_SIDE_DIFF_OPTION,
        ...linkAnnotations(targets, layer),
      },
    },
    spec: {
      project: platform,
      source: { repoURL: layer.repoURL, targetRevision: layer.branch, path: pathTemplate(platform) },
      destination: { server: "{{.server}}", namespace },
      info: applicationInfo(targets, layer),
      syncPolicy: {
        ...automatedPolicy(policy, layer.argocdVersion),
        syncOptions: [SERVER_SIDE_APPLY_OPTION, PRUNE_LAST_OPTION],
        retry: { limit: layer.retry.limit, backoff: { ...layer.retry.backoff } },
      },
    },
  };
}

/**
 * The template's automated policy. Under RollingSync it is never enabled: the ApplicationSet controller removes it
 * and triggers each step's syncs only while it runs with progressive syncs on; without that flag the template's
 * policy applies as written, and an enabled one would sync and prune every region at once. So it fails closed:
 * `enabled: false` where Argo CD knows the field (the 2.x-3.x controller still takes `prune` from it for the syncs it
 * triggers; the newer `progressivesync` package takes it only from an enabled policy), and no policy at all where it
 * does not.
 */
export function automatedPolicy(
  policy: EnvironmentSyncPolicy,
  argocdVersion: string,
): { automated?: { enabled?: boolean; prune: boolean; selfHeal: boolean } } {
  if (!policy.automated) return {};
  const { prune, selfHeal } = policy.automated;
  if (!rolloutSteps(policy)) return { automated: { prune, selfHeal } };
  if (compareVersions(argocdVersion, AUTOMATED_ENABLED_SINCE) < 0) return {};
  return { automated: { enabled: false, prune, selfHeal } };
}

/** The Application's info panel: where it comes from, what rendered it, how it syncs. */
function applicationInfo(targets: CompiledTarget[], layer: ArgoCdDescription): { name: string; value: string }[] {
  const { platform, environment } = targets[0].target;
  const sources = unique(targets.map((t) => `${t.target.sources[0]}, ${t.target.sources[1]}`));
  return [
    { name: "Source repository", value: layer.repoURL },
    { name: "Rendered folder", value: `${layer.branch}:${pathTemplate(platform)}` },
    {
      name: "Rendered by",
      value: `manifold ${COMPILER_VERSION} (npm run compile) from ${sources.join("; ")}, regions/${labelParam(LABEL_REGION)}.ts`,
    },
    {
      name: "Provenance",
      value: `README.md in the folder; the Source-Commit trailer of the ${layer.branch} commit`,
    },
    { name: "Sync", value: syncSummary(layer.environments[environment]) },
  ];
}

/** The model's strategy, with the `deletionOrder` field its schema predates (Argo CD 3 has it). */
type Strategy = NonNullable<ApplicationSetSpec["strategy"]> & { deletionOrder?: "AllAtOnce" | "Reverse" };

/** The RollingSync strategy: one step per group of roles, deleting in reverse. */
function rollingSync(steps: RolloutStep[]): Strategy {
  return {
    type: "RollingSync",
    deletionOrder: "Reverse",
    rollingSync: {
      steps: steps.map((s) => ({
        matchExpressions: [{ key: LABEL_ROLE, operator: "In", values: [...s.roles] }],
        ...(s.maxUpdate !== undefined ? { maxUpdate: s.maxUpdate } : {}),
      })),
    },
  };
}
