import type { StoreEngineDefinition } from "./engine.ts";
import { fromSecret } from "./engine.ts";

/**
 * Neo4j 5 Enterprise as a causal cluster: one cluster per region (Neo4j has
 * its own clustering and no cross-region follower mode here). Every pod is a
 * primary; they discover each other through the headless Service, so pods
 * start in parallel (a member is not ready until the cluster has formed).
 * The password secret holds `NEO4J_AUTH` (`neo4j/<password>`).
 */
export const neo4jEngine: StoreEngineDefinition = {
  image: "docker.io/library/neo4j:5.26.0-enterprise",
  ports: { http: 7474, https: 7473, bolt: 7687, metrics: 2004 },
  peerPorts: { discovery: 5000, transaction: 6000, raft: 7000, backup: 6362 },
  // neo4j-admin's online backup reads from each member's backup port.
  dumpPorts: [6362],
  // The restore drops and seeds databases through the system database, over Bolt (neo4j:// routes to every member).
  restorePorts: [7687],
  dataPath: "/data",
  runAsUser: 7474,
  writablePaths: [
    "/logs",
    "/tmp",
    "/var/lib/neo4j/conf",
    "/var/lib/neo4j/run",
    "/var/lib/neo4j/import",
    "/var/lib/neo4j/plugins",
  ],
  crossRegion: false,
  // The restore seeds each database from a presigned URL of its backup artifact: the servers fetch it themselves.
  restoreFetch: "presign",
  // The entrypoint writes NEO4J_* settings into conf/neo4j.conf: the directory is writable, seeded from the image.
  imageConfigPaths: ["/var/lib/neo4j/conf"],
  peersForReadiness: true,
  env({ spec, setName, headlessName, namespace }) {
    const replicas = spec.replicas;
    const peer = (i: number) => `${setName}-${i}.${headlessName}.${namespace}.svc.cluster.local:5000`;
    // POD_NAME comes first: later values refer to it as $(POD_NAME).
    const vars: ReturnType<StoreEngineDefinition["env"]> = [
      { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
      { name: "NEO4J_ACCEPT_LICENSE_AGREEMENT", value: "yes" },
      { name: "NEO4J_server_default__listen__address", value: "0.0.0.0" },
      {
        name: "NEO4J_server_default__advertised__address",
        value: `$(POD_NAME).${headlessName}.${namespace}.svc.cluster.local`,
      },
      { name: "NEO4J_server_metrics_prometheus_enabled", value: "true" },
      { name: "NEO4J_server_metrics_prometheus_endpoint", value: "0.0.0.0:2004" },
      // The backup CronJob reads from here (the default listens on 127.0.0.1 only).
      { name: "NEO4J_server_backup_listen__address", value: "0.0.0.0:6362" },
      // The restore seeds databases from presigned https URLs of backup artifacts (the default provider reads s3:// only).
      { name: "NEO4J_dbms_databases_seed__from__uri__providers", value: "URLConnectionSeedProvider" },
    ];
    if (replicas > 1) {
      vars.push(
        {
          name: "NEO4J_dbms_cluster_discovery_endpoints",
          value: Array.from({ length: replicas }, (_, i) => peer(i)).join(","),
        },
        { name: "NEO4J_dbms_cluster_minimum__initial__system__primaries__count", value: String(replicas) },
        { name: "NEO4J_initial_dbms_default__primaries__count", value: String(Math.min(replicas, 3)) },
      );
    }
    if (spec.password) vars.push(fromSecret("NEO4J_AUTH", spec.password.name, spec.password.key));
    return vars;
  },
  probe() {
    return { tcpSocket: { port: "bolt" }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 12 };
  },
};

/**
 * `neo4j-admin database backup` of every database, online, from the cluster's backup port: one full backup artifact
 * per database (`<database>-<timestamp>.backup`), the staging directory being empty at the start of every run.
 */
neo4jEngine.dump = ({ members }) => ({
  script: `neo4j-admin database backup --from=${members.map((m) => `${m}:6362`).join(",")} --to-path=/backup --include-metadata=all '*'`,
  env: [{ name: "NEO4J_ACCEPT_LICENSE_AGREEMENT", value: "yes" }],
  writablePaths: ["/logs", "/tmp"],
});

/**
 * Each user database is recreated from its backup artifact (never `system`): `DROP DATABASE` and `CREATE DATABASE` with
 * `seedURI` (the presigned https URL the restore wrote to /backup/seeds), through the `system` database. Every server
 * of the cluster fetches the seed; the database is offline from the drop until the seeded copy starts. Enterprise
 * only: Neo4j Community has no seeding (its load needs the server stopped, see the README's runbook).
 */
neo4jEngine.restore = ({ spec, host }) => ({
  script: [
    "set -eu",
    'auth="${NEO4J_AUTH:-neo4j/}"',
    'export NEO4J_USERNAME="${auth%%/*}" NEO4J_PASSWORD="${auth#*/}"',
    "while read -r db url; do",
    `  cypher-shell -a "neo4j://${host}:7687" -d system "DROP DATABASE \\\`$db\\\` IF EXISTS WAIT"`,
    `  cypher-shell -a "neo4j://${host}:7687" -d system "CREATE DATABASE \\\`$db\\\` OPTIONS { existingData: 'use', seedURI: '$url' } WAIT"`,
    '  echo "restored $db"',
    "done < /backup/seeds",
  ].join("\n"),
  env: [
    { name: "NEO4J_ACCEPT_LICENSE_AGREEMENT", value: "yes" },
    ...(spec.password ? [fromSecret("NEO4J_AUTH", spec.password.name, spec.password.key)] : []),
  ],
  writablePaths: ["/logs", "/tmp"],
});
