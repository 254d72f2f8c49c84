/**
 * The label and annotation keys of the Argo CD layer: cluster Secrets carry
 * them, ApplicationSet generators select on them, generated Applications copy
 * them (RollingSync steps match Application labels), and the templates read
 * them back as `{{index .metadata.labels "<key>"}}`.
 */

export const LABEL_PLATFORM = "manifold.dev/platform";
export const LABEL_ENVIRONMENT = "manifold.dev/environment";
export const LABEL_REGION = "manifold.dev/region";
export const LABEL_ROLE = "manifold.dev/role";

/**
 * The cluster Secret label the platforms' generators require: set by the last wave of the cluster's add-ons
 * Application, so once every add-on there was Healthy (addon-rollout.ts).
 */
export const LABEL_ADDONS_READY = "manifold.dev/addons-ready";

/** The cluster annotation holding the cluster's ingress domain, for link annotations. */
export const ANNOTATION_INGRESS_DOMAIN = "manifold.dev/ingress-domain";

/** Argo CD's label on cluster Secrets; the cluster generator always adds it to its selector. */
export { SECRET_TYPE_LABEL } from "../sync/annotations.ts";

/** Argo CD's in-cluster API server, where the management cluster's own objects go. */
export const IN_CLUSTER = "https://kubernetes.default.svc";

/** A Go-template expression reading a cluster label. */
export function labelParam(key: string): string {
  return `{{index .metadata.labels "${key}"}}`;
}

/** A Go-template expression reading a cluster annotation. */
export function annotationParam(key: string): string {
  return `{{index .metadata.annotations "${key}"}}`;
}

/** Labels every object of the layer carries. */
export function layerLabels(component: string): Record<string, string> {
  return {
    "app.kubernetes.io/part-of": "manifold",
    "app.kubernetes.io/component": component,
    "app.kubernetes.io/managed-by": "manifold",
  };
}
