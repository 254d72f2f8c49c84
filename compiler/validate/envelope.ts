import type { RenderedObject } from "../model/object.ts";
import { asRecord } from "../kube/loose.ts";

/**
 * What is wrong with an object's envelope (apiVersion, kind, metadata, name,
 * labels, annotations), as pointer and message, or undefined when it is sound.
 * Rules only look at objects whose envelope is sound; a patch can break it.
 */
export function envelopeProblem(o: RenderedObject): { pointer: string; message: string } | undefined {
  const obj = asRecord(o.object);
  if (!obj) return { pointer: "", message: "is not an object" };
  if (typeof obj.apiVersion !== "string" || obj.apiVersion === "")
    return { pointer: "/apiVersion", message: "must be a non-empty string" };
  if (typeof obj.kind !== "string" || obj.kind === "")
    return { pointer: "/kind", message: "must be a non-empty string" };
  const metadata = asRecord(obj.metadata);
  if (!metadata) return { pointer: "/metadata", message: "must be an object" };
  if (typeof metadata.name !== "string") return { pointer: "/metadata/name", message: "must be a string" };
  if (metadata.namespace !== undefined && typeof metadata.namespace !== "string")
    return { pointer: "/metadata/namespace", message: "must be a string" };
  for (const field of ["labels", "annotations"])
    if (metadata[field] !== undefined && !asRecord(metadata[field]))
      return { pointer: `/metadata/${field}`, message: "must be a map of strings" };
  return undefined;
}
