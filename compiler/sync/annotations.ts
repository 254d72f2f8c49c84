/**
 * Argo CD's annotation and label keys, and the values of them, that Manifold reads and writes, named once.
 * Every other file of the compiler imports these instead of spelling `argocd.argoproj.io/...` itself.
 */

/** The prefix of every Argo CD annotation and label key. */
export const ARGOCD_PREFIX = "argocd.argoproj.io/";

/** The wave an object syncs in (an integer, as a string). */
export const WAVE_ANNOTATION = "argocd.argoproj.io/sync-wave";

/** Manifold's annotation naming the chart and version a hydrated add-on object came from (`<chart>-<version>`). */
export const CHART_ANNOTATION = "manifold.dev/chart";

/** Helm's hook weight, which Argo CD reads as the wave when no sync-wave annotation is set. */
export const HELM_HOOK_WEIGHT_ANNOTATION = "helm.sh/hook-weight";

/** The hook types (comma-separated) that make an object a sync hook. */
export const HOOK_ANNOTATION = "argocd.argoproj.io/hook";

/** When Argo CD deletes a hook's object (comma-separated delete policies). */
export const HOOK_DELETE_POLICY_ANNOTATION = "argocd.argoproj.io/hook-delete-policy";

/** Per-object sync options (comma-separated `Name=value`). */
export const SYNC_OPTIONS_ANNOTATION = "argocd.argoproj.io/sync-options";

/** Per-object compare options (comma-separated). */
export const COMPARE_OPTIONS_ANNOTATION = "argocd.argoproj.io/compare-options";

/** The compare option that diffs with a server-side apply dry run, so the API server's defaults count as in sync. */
export const SERVER_SIDE_DIFF_OPTION = "ServerSideDiff=true";

/** The tracking id Argo CD writes onto every object it manages (never set by Manifold). */
export const TRACKING_ID_ANNOTATION = "argocd.argoproj.io/tracking-id";

/** The paths (relative to the Application's source path) whose changes refresh the Application. */
export const MANIFEST_GENERATE_PATHS_ANNOTATION = "argocd.argoproj.io/manifest-generate-paths";

/** The label that makes a Secret a cluster, repository or credential template for Argo CD. */
export const SECRET_TYPE_LABEL = "argocd.argoproj.io/secret-type";

/** The value of the secret-type label for a cluster Secret. */
export const CLUSTER_SECRET_TYPE = "cluster";

/** The finalizer that makes Argo CD delete an AppProject's (or Application's) resources first. */
export const RESOURCES_FINALIZER = "resources-finalizer.argocd.argoproj.io";

/** The annotation prefix of an external link Argo CD's UI shows on an object. */
export const LINK_PREFIX = "link.argocd.argoproj.io/";

/** The sync option that lets the dry run pass while a custom resource's CRD does not exist yet. */
export const SKIP_DRY_RUN_OPTION = "SkipDryRunOnMissingResource=true";

/** The sync option that applies objects with server-side apply. */
export const SERVER_SIDE_APPLY_OPTION = "ServerSideApply=true";

/** The sync option that prunes only after every other object synced. */
export const PRUNE_LAST_OPTION = "PruneLast=true";

/** The sync options that keep Argo CD from ever pruning or deleting an object. */
export const NEVER_PRUNE_OPTIONS = ["Prune=false", "Delete=false"] as const;

/**
 * For custom resources whose CRD another Argo CD Application installs (Istio,
 * prometheus-operator, VPA): without it the dry run fails before the CRD exists.
 */
export const SKIP_DRY_RUN: Readonly<Record<string, string>> = {
  [SYNC_OPTIONS_ANNOTATION]: SKIP_DRY_RUN_OPTION,
};

/** The hook types Argo CD accepts in the hook annotation. */
export const HOOK_TYPES = ["PreSync", "Sync", "PostSync", "SyncFail", "Skip", "PreDelete", "PostDelete"] as const;

/** Delete a hook's object once it succeeded. */
export const HOOK_SUCCEEDED = "HookSucceeded";

/** Delete a hook's object once it failed. */
export const HOOK_FAILED = "HookFailed";

/** Delete a hook's previous object before the next sync creates it again. */
export const BEFORE_HOOK_CREATION = "BeforeHookCreation";

/** The delete policies Argo CD accepts in the hook-delete-policy annotation. */
export const HOOK_DELETE_POLICIES = [HOOK_SUCCEEDED, HOOK_FAILED, BEFORE_HOOK_CREATION] as const;

/** The compare options Argo CD accepts in the compare-options annotation. */
export const COMPARE_OPTIONS = [
  "IgnoreExtraneous",
  "ServerSideDiff=true",
  "ServerSideDiff=false",
  "IncludeMutationWebhook=true",
] as const;

/**
 * Sync options Argo CD understands (resource annotation and Application `syncPolicy.syncOptions`), with their values.
 */
export const SYNC_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  Prune: ["false", "confirm"],
  Delete: ["false", "confirm"],
  Validate: ["true", "false"],
  SkipDryRunOnMissingResource: ["true"],
  Replace: ["true", "false"],
  Force: ["true"],
  ServerSideApply: ["true", "false"],
  PruneLast: ["true"],
  ApplyOutOfSyncOnly: ["true", "false"],
  ClientSideApplyMigration: ["true", "false"],
  CreateNamespace: ["true", "false"],
  PrunePropagationPolicy: ["foreground", "background", "orphan"],
  RespectIgnoreDifferences: ["true", "false"],
  FailOnSharedResource: ["true", "false"],
};
