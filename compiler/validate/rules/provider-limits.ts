import type { RenderedObject } from "../../model/object.ts";
import { parseQuantity } from "../../quantity.ts";
import type { Rule } from "../context.ts";
import { EBS_PROVISIONER, ebsProblem } from "../ebs-limits.ts";

interface ClaimSpec {
  storageClassName?: string;
  resources?: { requests?: { storage?: string } };
}

/** Every claim an object makes (a PVC, or a StatefulSet's claim templates), with the pointer to its spec. */
function claimsOf(o: RenderedObject): { spec: ClaimSpec; pointer: string }[] {
  if (o.object.kind === "PersistentVolumeClaim")
    return [{ spec: (o.object.spec ?? {}) as ClaimSpec, pointer: "/spec" }];
  if (o.object.kind !== "StatefulSet") return [];
  const templates = (o.object.spec as { volumeClaimTemplates?: { spec?: ClaimSpec }[] } | undefined)
    ?.volumeClaimTemplates;
  return (templates ?? []).map((t, i) => ({ spec: t.spec ?? {}, pointer: `/spec/volumeClaimTemplates/${i}/spec` }));
}

/**
 * Provider limits: a claim on a StorageClass this target renders can be provisioned by its provisioner
 * (for EBS: size range and IOPS per GiB of the volume type). A claim that cannot be provisioned stays Pending,
 * and Argo CD never gets past its wave.
 */
export const providerLimitsRule: Rule = {
  name: "provider-limits",
  description: "claims fit the limits of their StorageClass's provisioner (EBS sizes and IOPS per GiB)",
  check(ctx, report) {
    const classes = new Map(
      ctx.objects
        .filter((o) => o.object.kind === "StorageClass")
        .map((o) => [
          o.object.metadata.name,
          o.object as { provisioner?: string; parameters?: Record<string, string> },
        ]),
    );
    for (const o of ctx.objects) {
      for (const claim of claimsOf(o)) {
        const name = claim.spec.storageClassName;
        const sc = name === undefined ? undefined : classes.get(name);
        const storage = claim.spec.resources?.requests?.storage;
        if (!sc || sc.provisioner !== EBS_PROVISIONER || storage === undefined) continue;
        const sizeGiB = Number((parseQuantity(storage).nanos + 2n ** 30n * 10n ** 9n - 1n) / (2n ** 30n * 10n ** 9n));
        const problem = ebsProblem(sc.parameters ?? {}, sizeGiB);
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
