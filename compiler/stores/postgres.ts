import type { StoreEngineDefinition } from "./engine.ts";

/**
 * PostgreSQL run by the CloudNativePG operator (the `cloudnative-pg` flavor): the store block renders a `Cluster`
 * instead of StatefulSets, on CloudNativePG's own PostgreSQL image. The operator handles replication, failover,
 * WAL archiving and backups; these fields describe the image it runs (user 26, data under /var/lib/postgresql/data).
 */
export const postgresEngine: StoreEngineDefinition = {
  image: "ghcr.io/cloudnative-pg/postgresql:16.4",
  ports: { postgres: 5432 },
  dataPath: "/var/lib/postgresql/data",
  runAsUser: 26,
  writablePaths: [],
  crossRegion: true,
  // CloudNativePG serves TLS on 5432; in the primary region with a server certificate from the cross-region CA (the
  // block names it in the Cluster's `certificates`). Other regions' writers verify it fully: the CA (`sslrootcert`, a
  // file mounted in their pods) and the host they dial (`verify-full`; `require` means no verification to libpq and
  // full verification to node-postgres). Its replica clusters follow the primary through the object store.
  tls: {
    port: { name: "postgres", number: 5432 },
    env: () => [],
    client: { query: "sslmode=verify-full", caFileParameter: "sslrootcert" },
  },
  operator: { name: "cloudnative-pg", namespace: "cnpg-system", ports: [5432, 8000], metricsPort: 9187 },
  env() {
    return [];
  },
  probe() {
    return {
      exec: { command: ["pg_isready", "-h", "127.0.0.1", "-p", "5432"] },
      periodSeconds: 10,
      timeoutSeconds: 5,
      failureThreshold: 6,
    };
  },
};
