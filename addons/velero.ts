import { addon } from "../compiler/index.ts";

// Velero: scheduled backups of every other store's volumes, restored by a reviewed Restore.
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
  },
  provides: [
    "velero.io/Backup",
    "velero.io/Schedule",
    "velero.io/Restore",
    "velero.io/BackupStorageLocation",
    "velero.io/VolumeSnapshotLocation",
  ],
});
