/**
 * The ServiceAccounts the Helm add-ons of a cluster create, read off their values the way charts conventionally
 * take them: `serviceAccount.create` (default true), `serviceAccount.name` (default the release name, which is the
 * add-on's name) and `serviceAccount.annotations`. What objects in the cluster's folders authenticate as.
 */
import { obj, str } from "../kube/loose.ts";
import type { ChartServiceAccount } from "../validate/context.ts";
import type { ClusterTarget } from "./resolve.ts";

/** The ServiceAccount each Helm-source add-on's chart creates on the cluster (hydrated ones render theirs). */
export function chartAccounts(cluster: ClusterTarget): ChartServiceAccount[] {
  return cluster.addons.flatMap((a) => {
    if (!a.description.chart || a.description.delivery === "hydrated") return [];
    const sa = obj(a.values.serviceAccount);
    if (sa.create === false) return [];
    const annotations = Object.fromEntries(
      Object.entries(obj(sa.annotations)).flatMap(([k, v]) => (typeof v === "string" ? [[k, v]] : [])),
    );
    return [
      { addon: a.name, namespace: a.description.namespace ?? "default", name: str(sa.name) ?? a.name, annotations },
    ];
  });
}
