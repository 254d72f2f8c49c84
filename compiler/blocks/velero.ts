/**
 * Volume snapshots and cluster disaster recovery through Velero (installed by the cluster layer): one `Schedule` per
 * platform namespace, in Velero's namespace, that backs up the namespace's objects and snapshots its volumes daily.
 * Targets Velero 1.16 (`velero.io/v1`), with the cluster layer's default BackupStorageLocation and
 * VolumeSnapshotLocation. Store-level backups (CloudNativePG, dump CronJobs) stay the way to restore one store; the
 * Schedule restores a whole namespace after losing a cluster.
 */
import type { KubeObject, RenderedObject } from "../model/object.ts";
import type { ResolvedTarget } from "../model/target.ts";
import { SKIP_DRY_RUN } from "../sync/annotations.ts";
import { platformLabels } from "./naming.ts";

/** The namespace Velero runs in; its Schedules must live there. */
export const VELERO_NAMESPACE = "velero";

/** Daily at 03:00 UTC, after the stores' own 02:00 backups; kept 14 days. */
export const VOLUME_SNAPSHOTS = { schedule: "0 3 * * *", retentionDays: 14 };

export interface VeleroSchedule extends KubeObject {
  apiVersion: "velero.io/v1";
  kind: "Schedule";
  spec: {
    schedule: string;
    useOwnerReferencesInBackup: boolean;
    template: {
      includedNamespaces: string[];
      snapshotVolumes: boolean;
      storageLocation: string;
      ttl: string;
    };
  };
}

/** True when the target gets a Velero Schedule: it has volumes to protect (a store's or a standalone one). */
export function hasVolumeSnapshots(target: ResolvedTarget): boolean {
  return (
    Object.values(target.components).some((c) => c.type === "store") || Object.keys(target.volumes ?? {}).length > 0
  );
}

/** The Velero Schedule of a target's namespace (named after it), when it has volumes to protect. */
export function buildVolumeSnapshots(target: ResolvedTarget): RenderedObject[] {
  if (!hasVolumeSnapshots(target)) return [];
  const schedule: VeleroSchedule = {
    apiVersion: "velero.io/v1",
    kind: "Schedule",
    metadata: {
      name: target.namespace,
      namespace: VELERO_NAMESPACE,
      labels: platformLabels(target, "backup"),
      annotations: { ...SKIP_DRY_RUN },
    },
    spec: {
      schedule: VOLUME_SNAPSHOTS.schedule,
      useOwnerReferencesInBackup: false,
      template: {
        includedNamespaces: [target.namespace],
        snapshotVolumes: true,
        storageLocation: "default",
        ttl: `${VOLUME_SNAPSHOTS.retentionDays * 24}h0m0s`,
      },
    },
  };
  return [{ object: schedule, band: "scaling" }];
}
