import { modelJson } from "../model-json.ts";
import type { KubeObject } from "../model/object.ts";

/**
 * What the build phase produces: plain Kubernetes objects, each tagged with
 * the component it belongs to and its band in the sync order.
 */

/** Turns a kubernetes-models instance (or any object) into plain JSON, dropping undefined fields. */
export function plain<T>(model: T): KubeObject {
  return modelJson(model) as KubeObject;
}
