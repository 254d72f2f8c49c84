/** Argo CD's annotation keys and values that Manifold reads and writes, named once. */

export const WAVE_ANNOTATION = "argocd.argoproj.io/sync-wave";

export const SYNC_OPTIONS_ANNOTATION = "argocd.argoproj.io/sync-options";

/**
 * For custom resources whose CRD another Argo CD Application installs (Istio,
 * prometheus-operator, VPA): without it the dry run fails before the CRD exists.
 */
export const SKIP_DRY_RUN: Readonly<Record<string, string>> = {
  "argocd.argoproj.io/sync-options": "SkipDryRunOnMissingResource=true",
};
