import { modelJson } from "../json.ts";

/**
 * What the build phase produces: plain Kubernetes objects, each tagged with
 * the component it belongs to and its band in the sync order.
 */

/** A Kubernetes object as plain JSON. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/**
 * The fixed baseline under the dependency graph, in sync order:
 * foundation (namespace, quotas, RBAC, config, secrets), data stores and
 * services (which follow the graph), then scaling, edge and observability.
 * Hook Jobs sit in their own phase, or for Sync hooks in the graph's waves.
 */
export type Band = "foundation" | "workload" | "scaling" | "edge" | "observability" | "hook";

export interface RenderedObject {
  object: KubeObject;
  /** The component key this object belongs to; absent for platform-wide objects. */
  component?: string;
  band: Band;
}

/** Turns a kubernetes-models instance (or any object) into plain JSON, dropping undefined fields. */
export function plain<T>(model: T): KubeObject {
  return modelJson(model) as KubeObject;
}

/**
 * For custom resources whose CRD another Argo CD Application installs (Istio,
 * prometheus-operator, VPA): without it the dry run fails before the CRD exists.
 */
export const SKIP_DRY_RUN: Readonly<Record<string, string>> = { "argocd.argoproj.io/sync-options": "SkipDryRunOnMissingResource=true" };
