import { isClusterLayerKind } from "../../kube/cluster-layer-kinds.ts";
import type { Rule } from "../context.ts";

/**
 * Cluster-layer kinds: a platform renders no object of a kind the cluster layer owns (CRDs, webhooks, ClusterIssuers,
 * ClusterSecretStores...). Every platform on the cluster shares such an object; the platform that rendered it could
 * change it under the others, and pruning it with the platform would break them all.
 */
export const clusterLayerKindsRule: Rule = {
  name: "cluster-layer-kinds",
  description: "platforms render no object of a kind the cluster layer owns",
  check(ctx, report) {
    for (const o of ctx.objects)
      if (isClusterLayerKind(o.object))
        report(o, {
          pointer: "/kind",
          message: `${o.object.kind} is owned by the cluster layer: every platform on the cluster shares it`,
          fix: "move the object to the cluster layer, and refer to it by name from the platform",
        });
  },
};
