import type { KubeObject } from "../../model/object.ts";
import { looseSpec } from "../../kube/loose.ts";

/** The fields of an ExternalSecret this check reads, each unknown until checked. */
interface ExternalSecretShape {
  secretStoreRef: { name: unknown; kind: unknown };
  data: { secretKey: unknown; remoteRef: { key: unknown } }[];
  dataFrom: unknown;
}

/** A structural check of an `external-secrets.io/v1` ExternalSecret (the model package only ships v1beta1). */
export function checkExternalSecret(o: KubeObject): { pointer: string; message: string }[] {
  const problems: { pointer: string; message: string }[] = [];
  const spec = looseSpec<ExternalSecretShape>(o);
  if (!spec || typeof spec !== "object") return [{ pointer: "/spec", message: "must be an object" }];
  if (typeof spec.secretStoreRef?.name !== "string")
    problems.push({ pointer: "/spec/secretStoreRef/name", message: "must name a secret store" });
  if (
    spec.secretStoreRef?.kind !== undefined &&
    (typeof spec.secretStoreRef.kind !== "string" ||
      !["SecretStore", "ClusterSecretStore"].includes(spec.secretStoreRef.kind))
  ) {
    problems.push({ pointer: "/spec/secretStoreRef/kind", message: "must be SecretStore or ClusterSecretStore" });
  }
  if (!Array.isArray(spec.data) && !Array.isArray(spec.dataFrom))
    problems.push({ pointer: "/spec/data", message: "must list the keys to read" });
  (Array.isArray(spec.data) ? spec.data : []).forEach((d, i) => {
    if (typeof d?.secretKey !== "string")
      problems.push({ pointer: `/spec/data/${i}/secretKey`, message: "must be a string" });
    if (typeof d?.remoteRef?.key !== "string")
      problems.push({ pointer: `/spec/data/${i}/remoteRef/key`, message: "must be a string" });
  });
  return problems;
}
