import type { KubeObject } from "../../model/object.ts";

/**
 * What an `external-secrets.io/v1` ExternalSecret needs beyond its CRD schema (which the model checks): the
 * schema leaves `spec`, the store's name and the list of keys optional, yet without them nothing is read.
 */
export function checkExternalSecret(o: KubeObject): { pointer: string; message: string }[] {
  const spec = o.spec as { secretStoreRef?: { name?: unknown }; data?: unknown; dataFrom?: unknown } | undefined;
  if (!spec || typeof spec !== "object") return [{ pointer: "/spec", message: "must be an object" }];
  const problems: { pointer: string; message: string }[] = [];
  if (typeof spec.secretStoreRef?.name !== "string")
    problems.push({ pointer: "/spec/secretStoreRef/name", message: "must name a secret store" });
  if (!Array.isArray(spec.data) && !Array.isArray(spec.dataFrom))
    problems.push({ pointer: "/spec/data", message: "must list the keys to read" });
  return problems;
}
