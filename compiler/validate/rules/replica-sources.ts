import type { Rule } from "../context.ts";
import { obj, objects, str } from "../../kube/loose.ts";

/**
 * Every replica has a source: a CloudNativePG Cluster's `replica.source` and `bootstrap.recovery.source` name one of
 * its `externalClusters`, and a replica cluster (its `replica.primary` is another cluster) follows another cluster,
 * not itself. In the distributed topology `replica.self` and `replica.primary` are external clusters too (the
 * operator's webhook rejects the Cluster otherwise).
 */
export const replicaSourcesRule: Rule = {
  name: "replica-sources",
  description: "replica clusters and recoveries name a source their externalClusters define",
  check(ctx, report) {
    for (const o of ctx.objects) {
      if (o.object.kind !== "Cluster" || !o.object.apiVersion.startsWith("postgresql.cnpg.io/")) continue;
      const spec = obj(o.object.spec);
      const external = new Set(objects(spec.externalClusters).map(([e]) => str(e.name)));
      const known = [...external].filter(Boolean).join(", ") || "none";
      const replica = spec.replica === undefined ? undefined : obj(spec.replica);
      const recovery = obj(obj(spec.bootstrap).recovery);
      const sources: [string, string | undefined][] = [];
      if (replica) sources.push(["/spec/replica/source", str(replica.source)]);
      if (obj(spec.bootstrap).recovery !== undefined)
        sources.push(["/spec/bootstrap/recovery/source", str(recovery.source)]);
      for (const field of ["self", "primary"] as const) {
        const name = replica ? str(replica[field]) : undefined;
        if (name === undefined || external.has(name)) continue;
        report(o, {
          pointer: `/spec/replica/${field}`,
          message: `${field} "${name}" is not one of its externalClusters (externalClusters: ${known})`,
          fix: "list every cluster of the distributed topology, itself included, in externalClusters",
        });
      }
      for (const [pointer, source] of sources) {
        if (source !== undefined && external.has(source)) continue;
        report(o, {
          pointer,
          message: `${source === undefined ? "names no source" : `source "${source}" is not one of its externalClusters`} (externalClusters: ${known})`,
          fix: "name the cluster it follows in externalClusters, with that cluster's object store",
        });
      }
      if (replica && str(replica.primary) !== str(replica.self) && str(replica.source) === str(replica.self))
        report(o, {
          pointer: "/spec/replica/source",
          message: `replica cluster ${str(replica.self)} follows itself`,
          fix: "set replica.source to the primary's entry in externalClusters",
        });
    }
  },
};
