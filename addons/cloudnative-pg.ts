import { addon } from "../compiler/index.ts";

// The CloudNativePG operator: PostgreSQL clusters, scheduled backups and poolers as custom resources.
export default addon({
  name: "cloudnative-pg",
  capabilities: { provided: ["cloudnative-pg"] },
  chart: { repository: "https://cloudnative-pg.github.io/charts", chart: "cloudnative-pg", version: "0.26.0" },
  namespace: "cnpg-system",
  values: { crds: { create: true }, replicaCount: 1 },
  provides: [
    "postgresql.cnpg.io/Cluster",
    "postgresql.cnpg.io/Backup",
    "postgresql.cnpg.io/ScheduledBackup",
    "postgresql.cnpg.io/Pooler",
  ],
});
