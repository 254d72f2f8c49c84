/**
 * Replica clusters need a base backup before they start. A CloudNativePG Cluster in another region bootstraps by
 * recovery from the primary region's object store; on empty clusters that store is empty until the primary's first
 * backup completes. RollingSync starts the next step once the primary's Application is Healthy, so that Application
 * must carry a one-off `Backup` of the followed Cluster that Argo CD assesses (argocd-cm's health check): otherwise
 * the recovery finds no backup and the replica cluster never comes up. And in its last wave: a failed Backup is final
 * (Degraded), and a Degraded object stops the sync at its wave, so every object after it would never be applied.
 */
import { ManifoldError } from "../errors.ts";
import { isCnpgBackup, isCnpgCluster } from "../kube/cnpg.ts";
import type { CompiledTarget } from "../model/target.ts";
import type { KubeObject } from "../model/object.ts";
import { hasHealthCheck } from "../sync/health.ts";
import { isHook, syncWave } from "../sync/apply-order.ts";
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

/** The Backup of `cluster` that `t` renders and Argo CD waits for, if any. */
function seedOf(t: CompiledTarget, cluster: string): KubeObject | undefined {
  return t.objects.find(
    ({ object }) =>
      isCnpgBackup(object) &&
      (object.spec as { cluster?: { name?: string } }).cluster?.name === cluster &&
      hasHealthCheck(object),
  )?.object;
}

/** The last sync wave of the objects of `t` that are no hooks. */
function lastWave(t: CompiledTarget): number {
  return Math.max(...t.objects.filter(({ object }) => !isHook(object)).map(({ object }) => syncWave(object)));
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
      if (source !== `${cluster}-${primaryRegion}`) continue;
      const seed = seedOf(d.on.target, cluster);
      const field = `environments.${d.dependent.target.target.environment}.rollout`;
      if (seed && syncWave(seed) < lastWave(d.on.target)) {
        out.push(
          new ManifoldError(
            `Application ${d.on.name}: Backup ${seed.metadata.name} sits in wave ${syncWave(seed)}, before wave ${lastWave(d.on.target)}: a failed backup is Degraded for good and stops the sync there, so nothing after it is applied; put it in the last wave`,
            { file, field, target: d.on.target.target.id },
          ),
        );
      }
      if (seed) continue;
      out.push(
        new ManifoldError(
          `Application ${d.dependent.name}: Cluster ${cluster} bootstraps from the object store of ${source}, but Application ${d.on.name} has no Backup of ${cluster} that Argo CD waits for: on empty clusters the recovery finds no base backup`,
          { file, field, target: d.dependent.target.target.id },
        ),
      );
    }
  }
  const seen = new Set<string>();
  return out.filter((e) => !seen.has(e.message) && seen.add(e.message));
}
