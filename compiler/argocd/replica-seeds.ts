/**
 * Replica clusters need a base backup before they start. A CloudNativePG Cluster in another region bootstraps by
 * recovery from the primary region's object store; on empty clusters that store is empty until the primary's first
 * backup completes. RollingSync starts the next step once the primary's Application is Healthy, so that Application
 * must carry a one-off `Backup` of the followed Cluster that Argo CD assesses (argocd-cm's health check): otherwise
 * the recovery finds no backup and the replica cluster never comes up.
 */
import { ManifoldError } from "../errors.ts";
import { isCnpgBackup, isCnpgCluster } from "../kube/cnpg.ts";
import type { CompiledTarget } from "../model/target.ts";
import { hasHealthCheck } from "../sync/health.ts";
import type { GeneratedApplication } from "./expand.ts";
import { dataDependencies } from "./rollout-order.ts";

/** The name of each Cluster `t` bootstraps by recovery from `source` (an external cluster of that name). */
function recoveringFrom(t: CompiledTarget): { cluster: string; source: string }[] {
  const out: { cluster: string; source: string }[] = [];
  for (const { object } of t.objects) {
    if (!isCnpgCluster(object)) continue;
    const source = (object.spec as { bootstrap?: { recovery?: { source?: string } } }).bootstrap?.recovery?.source;
    if (source) out.push({ cluster: object.metadata.name, source });
  }
  return out;
}

/** True when `t` renders a Backup of `cluster` that Argo CD waits for. */
function seeds(t: CompiledTarget, cluster: string): boolean {
  return t.objects.some(
    ({ object }) =>
      isCnpgBackup(object) &&
      (object.spec as { cluster?: { name?: string } }).cluster?.name === cluster &&
      hasHealthCheck(object),
  );
}

/** The replica clusters whose primary region's Application waits for no base backup, blamed on the layer's file. */
export function replicaSeedProblems(
  applications: GeneratedApplication[],
  byFolder: Map<string, CompiledTarget>,
  file: string,
): ManifoldError[] {
  const out: ManifoldError[] = [];
  for (const d of dataDependencies(applications, byFolder)) {
    if (d.migration) continue;
    const primaryRegion = d.on.target.target.region;
    for (const { cluster, source } of recoveringFrom(d.dependent.target)) {
      if (source !== `${cluster}-${primaryRegion}` || seeds(d.on.target, cluster)) continue;
      out.push(
        new ManifoldError(
          `Application ${d.dependent.name}: Cluster ${cluster} bootstraps from the object store of ${source}, but Application ${d.on.name} has no Backup of ${cluster} that Argo CD waits for: on empty clusters the recovery finds no base backup`,
          {
            file,
            field: `environments.${d.dependent.target.target.environment}.rollout`,
            target: d.dependent.target.target.id,
          },
        ),
      );
    }
  }
  return out;
}
