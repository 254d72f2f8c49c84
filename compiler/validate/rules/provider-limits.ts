import type { RenderedObject } from "../../model/object.ts";
import { isQuantity, parseQuantity } from "../../quantity.ts";
import { obj, objects, str, type JsonObject } from "../../kube/loose.ts";
import type { Rule } from "../context.ts";
import { EBS_PROVISIONER, ebsProblem } from "../ebs-limits.ts";

/** Every claim an object makes (a PVC, or a StatefulSet's claim templates), with the pointer to its spec. */
function claimsOf(o: RenderedObject): { spec: JsonObject; pointer: string }[] {
  if (o.object.kind === "PersistentVolumeClaim") return [{ spec: obj(o.object.spec), pointer: "/spec" }];
  if (o.object.kind !== "StatefulSet") return [];
  return objects(obj(o.object.spec).volumeClaimTemplates).map(([t, i]) => ({
    spec: obj(t.spec),
    pointer: `/spec/volumeClaimTemplates/${i}/spec`,
  }));
}

/**
 * Provider limits: a claim on a StorageClass this target or its cluster layer renders can be provisioned by its
 * provisioner (for EBS: size range and IOPS per GiB of the volume type). A claim that cannot be provisioned stays
 * Pending, and Argo CD never gets past its wave.
 */
export const providerLimitsRule: Rule = {
  name: "provider-limits",
  description: "claims fit the limits of their StorageClass's provisioner (EBS sizes and IOPS per GiB)",
  check(ctx, report) {
    // The classes the cluster layer's add-ons render on the target's cluster, then the target's own.
    const classes = new Map<string, { provisioner: unknown; parameters: JsonObject }>(
      (ctx.target.managedCapabilities ?? []).flatMap((m) =>
        Object.entries(m.storageClasses ?? {}).map(([name, sc]) => [
          name,
          { provisioner: sc.provisioner, parameters: { ...(sc.parameters ?? {}) } },
        ]),
      ),
    );
    for (const o of ctx.objects)
      if (o.object.kind === "StorageClass")
        classes.set(o.object.metadata.name, {
          provisioner: o.object.provisioner,
          parameters: obj(o.object.parameters),
        });
    for (const o of ctx.objects) {
      for (const claim of claimsOf(o)) {
        const name = str(claim.spec.storageClassName);
        const sc = name === undefined ? undefined : classes.get(name);
        const storage = obj(obj(claim.spec.resources).requests).storage;
        if (!sc || sc.provisioner !== EBS_PROVISIONER || typeof storage !== "string" || !isQuantity(storage)) continue;
        const sizeGiB = Number((parseQuantity(storage).nanos + 2n ** 30n * 10n ** 9n - 1n) / (2n ** 30n * 10n ** 9n));
        const parameters = Object.fromEntries(Object.entries(sc.parameters).map(([k, v]) => [k, String(v)]));
        const problem = ebsProblem(parameters, sizeGiB);
        if (problem)
          report(o, {
            pointer: `${claim.pointer}/resources/requests/storage`,
            message: `cannot be provisioned on StorageClass ${name}: ${problem}`,
            fix: "size the claim within the volume type's limits, or change the class's parameters",
          });
      }
    }
  },
};
