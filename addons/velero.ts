import { addon } from "../compiler/index.ts";
import { REGIONS, irsa } from "./_aws.ts";

// Velero: scheduled backups of every platform namespace (the Schedules name the `default` locations), to the
// region's backup bucket (`backups` in regions/) under velero/, with EBS snapshots of the volumes. AWS access comes
// from the server's ServiceAccount (IRSA); 111122223333 is AWS's documentation account, a placeholder like the
// example.com endpoints.
const location = (region: string, bucket: string) => ({
  values: {
    configuration: {
      backupStorageLocation: [{ name: "default", provider: "aws", bucket, prefix: "velero", config: { region } }],
      volumeSnapshotLocation: [{ name: "default", provider: "aws", config: { region } }],
    },
    serviceAccount: {
      server: {
        annotations: irsa("velero", region),
      },
    },
  },
});

export default addon({
  name: "velero",
  capabilities: { provided: ["velero"] },
  chart: { repository: "https://vmware-tanzu.github.io/helm-charts", chart: "velero", version: "10.0.12" },
  namespace: "velero",
  values: {
    upgradeCRDs: true,
    deployNodeAgent: false,
    snapshotsEnabled: true,
    credentials: { useSecret: false },
    // The server's metrics, scraped by the cluster's Prometheus (which loads every ServiceMonitor without the evaluator
    // label): each platform's `<Platform>VolumeSnapshotsMissed` alert reads velero_backup_last_successful_timestamp.
    metrics: { enabled: true, serviceMonitor: { enabled: true } },
    // The object store and snapshot plugin for AWS, matched to Velero 1.16.
    initContainers: [
      {
        name: "velero-plugin-for-aws",
        image: "docker.io/velero/velero-plugin-for-aws:v1.12.1",
        volumeMounts: [{ mountPath: "/target", name: "plugins" }],
      },
    ],
  },
  // Each region's own bucket (a region without one gets no location, and its Schedules fail visibly).
  regions: Object.fromEntries(
    REGIONS.flatMap((r) => (r.backups ? [[r.name, location(r.name, r.backups.bucket)]] : [])),
  ),
  provides: [
    "velero.io/Backup",
    "velero.io/Schedule",
    "velero.io/Restore",
    "velero.io/BackupStorageLocation",
    "velero.io/VolumeSnapshotLocation",
  ],
});
