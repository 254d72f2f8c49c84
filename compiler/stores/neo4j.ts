import type { StoreEngineDefinition } from "./engine.ts";
import { fromSecret } from "./engine.ts";
import type { StoreComponent } from "../describe/types.ts";
import { MiB, memoryLimit, type StoreMemory } from "./memory.ts";

const HEAP_MAX = "NEO4J_server_memory_heap_max__size";
const HEAP_INITIAL = "NEO4J_server_memory_heap_initial__size";
const PAGECACHE = "NEO4J_server_memory_pagecache_size";

/**
 * What the JVM heap and the page cache leave of the memory limit for the rest of the process (thread stacks, direct
 * buffers, metaspace, the JIT's code cache, the Bolt and cluster network buffers): a fifth of the limit, and at least
 * 256 MiB. (The OS, whose reserve Neo4j's operations manual puts at 1 GiB on a dedicated server, is the node's here.)
 */
export function neo4jHeadroom(limit: number): number {
  return Math.max(256 * MiB, limit / 5);
}

/**
 * Heap and page cache, from the memory limit, where the description sets none: half each of what the headroom leaves.
 * Without them Neo4j sizes the page cache from the host's memory (half of it, less the heap), not the container's.
 */
function memoryEnv(spec: StoreComponent): { name: string; value: string }[] {
  const limit = memoryLimit(spec);
  const own = spec.env ?? {};
  if (limit === undefined || HEAP_MAX in own || PAGECACHE in own) return [];
  const half = Math.floor((limit - neo4jHeadroom(limit)) / 2 / MiB);
  if (half <= 0) return [];
  return [
    { name: HEAP_INITIAL, value: `${half}m` },
    { name: HEAP_MAX, value: `${half}m` },
    { name: PAGECACHE, value: `${half}m` },
  ];
}

/** Neo4j's byte sizes: a number with an optional k, m, g or t (powers of 1024, as the JVM's), and an optional `b`. */
function neo4jBytes(value: string | undefined): number | undefined {
  const m = /^(\d+)\s*([kmgt]?)(i?b)?$/i.exec(value ?? "");
  if (!m) return undefined;
  return Number(m[1]) * 1024 ** "_kmgt".indexOf(m[2].toLowerCase() || "_");
}

/** The JVM's heap plus the page cache, as the env sets them. */
const neo4jMemory: StoreMemory = {
  ceilings({ env, limit }) {
    const heap = neo4jBytes(env[HEAP_MAX]);
    const pagecache = neo4jBytes(env[PAGECACHE]);
    return [
      {
        setting: "heap + pagecache (server.memory.heap.max_size, server.memory.pagecache.size)",
        bytes: heap !== undefined && pagecache !== undefined ? heap + pagecache : undefined,
        max: limit - neo4jHeadroom(limit),
        why: "the JVM's off-heap memory and the OS need the rest; unset, the page cache is sized from the host's memory",
      },
    ];
  },
};

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
  // Bolt listens only once the cluster has formed (minimum_initial_system_primaries_count members found each other)
  // or a store has been recovered: Neo4j's own Helm chart gives the start 1000 × 5 s.
  startupSeconds: 5000,
  env({ spec, setName, headlessName, namespace }) {
    const replicas = spec.replicas;
    const peer = (i: number) => `${setName}-${i}.${headlessName}.${namespace}.svc.cluster.local:5000`;
    // The advertised address refers to $(POD_NAME): the store block orders the env so POD_NAME comes before it.
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
    return [...vars, ...memoryEnv(spec)];
  },
  probe() {
    return { tcpSocket: { port: "bolt" }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 12 };
  },
};

neo4jEngine.memory = neo4jMemory;

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
