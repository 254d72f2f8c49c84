import type { RenderedObject } from "../model/object.ts";

const isMap = (v: unknown): boolean => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * What is wrong with an object's envelope (apiVersion, kind, metadata, name,
 * labels, annotations), as pointer and message, or undefined when it is sound.
 * Rules only look at objects whose envelope is sound; a patch can break it.
 */
export function envelopeProblem(o: RenderedObject): { pointer: string; message: string } | undefined {
  const obj = o.object as unknown as Record<string, any>;
  if (!isMap(obj)) return { pointer: "", message: "is not an object" };
  if (typeof obj.apiVersion !== "string" || obj.apiVersion === "")
    return { pointer: "/apiVersion", message: "must be a non-empty string" };
  if (typeof obj.kind !== "string" || obj.kind === "")
    return { pointer: "/kind", message: "must be a non-empty string" };
  if (!isMap(obj.metadata)) return { pointer: "/metadata", message: "must be an object" };
  if (typeof obj.metadata.name !== "string") return { pointer: "/metadata/name", message: "must be a string" };
  if (obj.metadata.namespace !== undefined && typeof obj.metadata.namespace !== "string")
    return { pointer: "/metadata/namespace", message: "must be a string" };
  for (const field of ["labels", "annotations"])
    if (obj.metadata[field] !== undefined && !isMap(obj.metadata[field]))
      return { pointer: `/metadata/${field}`, message: "must be a map of strings" };
  return undefined;
}
