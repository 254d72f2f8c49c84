/**
 * What the build phase produces and every later phase reads: plain Kubernetes objects, each tagged with its component
 * and band.
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
 * foundation (namespace, quotas, RBAC, config, the platform's SecretStore),
 * secrets (the ExternalSecrets, which read the store), data stores and
 * services (which follow the graph), then scaling, edge and observability,
 * and last what Argo CD waits for but nothing else needs (`settle`: a
 * one-off backup that may fail must not hold back any other object).
 * Hook Jobs sit in their own phase, or for Sync hooks in the graph's waves.
 */
export type Band = "foundation" | "secrets" | "workload" | "scaling" | "edge" | "observability" | "settle" | "hook";

export interface RenderedObject {
  object: KubeObject;
  /** The component key this object belongs to; absent for platform-wide objects. */
  component?: string;
  band: Band;
}
