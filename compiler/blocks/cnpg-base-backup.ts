/**
 * The base backup the other regions' replica clusters bootstrap from. A replica cluster restores from the primary
 * region's object store (`bootstrap.recovery`), so on empty clusters that store must already hold a base backup
 * when the next rollout step starts. The ScheduledBackup's `immediate` backup is not enough: nothing waits for it.
 * So the primary region renders one `Backup` of its own, after the Cluster, and Argo CD's health check for it
 * (argocd-cm, `BACKUP_HEALTH_LUA`) keeps the Application Progressing until the backup has completed, and Degraded if
 * it fails. RollingSync moves to the next region only once the Application is Healthy.
 */
import type { StoreComponent } from "../describe/types.ts";
import type { CnpgBackup } from "../kube/cnpg.ts";
import type { ResolvedTarget } from "../model/target.ts";
import { SKIP_DRY_RUN } from "../sync/annotations.ts";
import { standardLabels } from "./naming.ts";

/** The name of a cluster's base backup: `<cluster>-base`. */
export function baseBackupName(cluster: string): string {
  return `${cluster}-base`;
}

/** The one-off base backup of the primary region's Cluster `name`, to its object store. */
export function baseBackup(target: ResolvedTarget, name: string, c: StoreComponent): CnpgBackup {
  const backup = baseBackupName(name);
  return {
    apiVersion: "postgresql.cnpg.io/v1",
    kind: "Backup",
    metadata: {
      name: backup,
      namespace: target.namespace,
      labels: standardLabels(target, backup, "backup", c),
      annotations: { ...SKIP_DRY_RUN },
    },
    spec: { cluster: { name }, method: "barmanObjectStore" },
  };
}
