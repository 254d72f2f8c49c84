import type { RedisPersistence, StoreComponent } from "../describe/types.ts";
import type { FailoverContext, StoreEngineDefinition } from "./engine.ts";
import { fromSecret } from "./engine.ts";
import { memoryLimit, mibOf, type StoreMemory } from "./memory.ts";

/** The official Redis image: the server, Sentinel (`redis-sentinel`) and `redis-cli`. */
export const REDIS_IMAGE = "docker.io/library/redis:7.4.1";
/** Sentinel's port. */
export const SENTINEL_PORT = 26379;

/**
 * Redis on the official image, persisting on the volume as the description's `persistence` says (the append-only file
 * with fsync every second plus RDB snapshots by default). Replicas in other regions follow the primary region with
 * `--replicaof` over TLS; the password is both `requirepass` and `masterauth`. In the primary region, with replicas,
 * Redis Sentinel decides at run time which member is the primary (`failover`): each member asks the sentinels on start.
 */
export const redisEngine: StoreEngineDefinition = {
  image: REDIS_IMAGE,
  ports: { redis: 6379 },
  dataPath: "/data",
  // The image's redis user.
  runAsUser: 999,
  writablePaths: ["/tmp"],
  crossRegion: true,
  failover: "sentinel",
  // Under failover a member asks the sentinels (six rounds, up to 20 s each) and the members who the primary is
  // before it starts the server; then it loads its append-only file.
  startupSeconds: 600,
  // TLS on a port of its own (6380), so in-cluster clients keep 6379; replicas in other regions follow the primary
  // there (`--tls-replication`) and writers there use rediss://. The port's name starts with `tcp-` so that Istio
  // treats it as opaque TCP (a `redis` name selects Istio's Redis protocol, `tls` SNI routing). The official image
  // takes TLS from arguments (see `command`), so it needs no variables.
  tls: { port: { name: "tcp-redis-tls", number: 6380 }, env: () => [], client: { schemes: { redis: "rediss" } } },
  env({ spec }) {
    return spec.password ? [fromSecret("REDIS_PASSWORD", spec.password.name, spec.password.key)] : [];
  },
  probe() {
    return { tcpSocket: { port: "redis" }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6 };
  },
  command({ mode, spec, primaryHost, tlsDir, failover }) {
    const args = [
      "--port",
      "6379",
      "--dir",
      "/data",
      ...persistenceArgs(spec.persistence ?? "aof+rdb"),
      ...memoryArgs(spec),
    ];
    if (tlsDir) {
      args.push("--tls-port", "6380", "--tls-cert-file", `${tlsDir}/tls.crt`, "--tls-key-file", `${tlsDir}/tls.key`);
      args.push("--tls-ca-cert-file", `${tlsDir}/ca.crt`, "--tls-auth-clients", "no");
    }
    if (failover) return { command: ["/bin/sh", "-c", failoverStartScript(spec, args, failover)] };
    if (spec.password) args.push("--requirepass", "$(REDIS_PASSWORD)", "--masterauth", "$(REDIS_PASSWORD)");
    // A replica in another region follows the primary over TLS (the primary's cross-region port). The primary region's
    // Sentinels see it (through HAProxy) among the primary's replicas: it is never theirs to promote, nor to announce.
    if (mode === "replica" && tlsDir) {
      args.push("--replica-priority", "0", "--replica-announced", "no");
      args.push("--tls-replication", "yes", "--replicaof", primaryHost, "6380");
    } else if (mode === "replica") args.push("--replicaof", primaryHost, "6379");
    return { command: ["redis-server"], args };
  },
};

/**
 * The share of the container's memory limit Redis may fill with data: its forks (an RDB snapshot, an append-only file
 * rewrite, a full sync to a replica) copy every page written while they run, so the process may need up to twice its
 * data set.
 */
export const REDIS_MEMORY_SHARE = 0.5;

/**
 * `maxmemory` at half the memory limit, and `noeviction`: a full store refuses writes (an error the client sees)
 * rather than dropping keys it holds as state (sessions, agent state), or the kernel killing it mid-fork.
 */
export function memoryArgs(spec: StoreComponent): string[] {
  const limit = memoryLimit(spec);
  if (limit === undefined) return [];
  return ["--maxmemory", `${mibOf(limit, REDIS_MEMORY_SHARE)}mb`, "--maxmemory-policy", "noeviction"];
}

/** Redis's byte units: `k`, `m`, `g` are powers of 1000, `kb`, `mb`, `gb` of 1024 (as its redis.conf says). */
const REDIS_UNITS: Record<string, number> = { "": 1, k: 1e3, kb: 1024, m: 1e6, mb: 1024 ** 2, g: 1e9, gb: 1024 ** 3 };

/** `maxmemory` as the server's arguments (or its start script) set it. */
export const redisMemory: StoreMemory = {
  ceilings({ words, limit }) {
    const m = /--maxmemory(?!-)['"]?\s+['"]?(\d+)([a-z]*)/i.exec(words.join(" "));
    const unit = m ? REDIS_UNITS[m[2].toLowerCase()] : undefined;
    return [
      {
        setting: "maxmemory",
        bytes: m && unit ? Number(m[1]) * unit : undefined,
        max: limit * REDIS_MEMORY_SHARE,
        why: "its forks for snapshots, rewrites and replica syncs copy the pages written meanwhile: up to twice the data",
      },
    ];
  },
};

/** The server arguments of a persistence mode: the append-only file (fsync every second), RDB snapshots, or both. */
export function persistenceArgs(mode: RedisPersistence): string[] {
  const aof = mode !== "rdb";
  const rdb = mode !== "aof";
  return [
    ...(aof ? ["--appendonly", "yes", "--appendfsync", "everysec"] : ["--appendonly", "no"]),
    // An empty `save` turns RDB snapshots off (a `redis-cli --rdb` backup still works: it asks for a fresh one).
    ...(rdb ? ["--save", "3600 1 300 100 60 10000"] : ["--save", ""]),
  ];
}

/** One shell word, single-quoted. */
export function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'"'"'`)}'`;
}

/**
 * The start script of a member under Sentinel: it announces its stable host (so the sentinels, with
 * `resolve-hostnames`, hand out names that survive a pod's new address), asks the sentinels for the current primary,
 * else asks the members themselves, else takes the pod set's first pod; then starts as that primary's replica, or as
 * the primary when that is itself. A restarted former primary so rejoins as a replica of the promoted one. On the
 * very first start no sentinel runs yet: the rounds of asking delay pod 0 by half a minute, once.
 */
export function failoverStartScript(spec: StoreComponent, args: string[], f: FailoverContext): string {
  const auth = spec.password ? ` --requirepass "$REDIS_PASSWORD" --masterauth "$REDIS_PASSWORD"` : "";
  return [
    "set -eu",
    spec.password ? 'export REDISCLI_AUTH="$REDIS_PASSWORD"' : "",
    `self="$(hostname).${f.hostSuffix}"`,
    'master=""',
    // A few rounds: the sentinels (or this pod's mesh proxy) may still be starting; a former primary that started as
    // one again without asking would take writes the promoted primary never sees.
    "for round in 1 2 3 4 5 6; do",
    `  for s in ${f.sentinels.join(" ")}; do`,
    `    answer="$(timeout 5 redis-cli -h "$s" -p ${f.sentinelPort} --raw sentinel get-master-addr-by-name ${f.master} 2>/dev/null | head -n 1 || true)"`,
    '    case "$answer" in *.svc.cluster.local) master="$answer"; break 2 ;; esac',
    "  done",
    '  echo "no sentinel answers yet (round $round)"; sleep 5',
    "done",
    'if [ -z "$master" ]; then',
    `  for m in ${f.members.join(" ")}; do`,
    '    [ "$m" = "$self" ] && continue',
    '    if timeout 5 redis-cli -h "$m" -p 6379 --raw role 2>/dev/null | head -n 1 | grep -qx master; then master="$m"; break; fi',
    "  done",
    "fi",
    `[ -n "$master" ] || master=${f.initialPrimary}`,
    `set -- ${args.map(shellQuote).join(" ")} --replica-announce-ip "$self"${auth}`,
    'if [ "$master" != "$self" ]; then set -- "$@" --replicaof "$master" 6379; fi',
    'echo "starting as $([ "$master" = "$self" ] && echo primary || echo "replica of $master")"',
    'exec redis-server "$@"',
  ]
    .filter((line) => line !== "")
    .join("\n");
}

redisEngine.memory = redisMemory;

/** redis_exporter, a sidecar of each member: it reads the server in its pod. */
redisEngine.exporter = {
  name: "redis-exporter",
  image: "docker.io/oliver006/redis_exporter:v1.87.0",
  port: 9121,
  env: (spec) => [
    { name: "REDIS_ADDR", value: "redis://localhost:6379" },
    { name: "REDIS_EXPORTER_WEB_LISTEN_ADDRESS", value: ":9121" },
    ...(spec.password ? [fromSecret("REDIS_PASSWORD", spec.password.name, spec.password.key)] : []),
  ],
  resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { cpu: "200m", memory: "128Mi" } },
  provides: ["redis_"],
};

/** `redis-cli --rdb`: an RDB snapshot streamed from the primary. */
redisEngine.dump = ({ spec, host }) => ({
  script: `redis-cli -h ${host} -p 6379 --rdb /backup/dump.rdb`,
  env: spec.password ? [fromSecret("REDISCLI_AUTH", spec.password.name, spec.password.key)] : [],
});

/**
 * The restore, online: a private server in the Job's pod loads the snapshot (`/backup/dump.rdb`), then `MIGRATE ...
 * COPY REPLACE` copies every key of every database, with its TTL, to the current primary through the client Service (so
 * the replicas follow, and Sentinel's choice of primary does not matter). Keys of the snapshot replace live keys of the
 * same name; keys written since stay. The private server holds the data set in memory: the container gets the store's
 * resources.
 */
redisEngine.restore = ({ spec, host }) => {
  const auth = spec.password ? ' AUTH "$REDIS_PASSWORD"' : "";
  return {
    script: [
      "set -eu",
      "test -s /backup/dump.rdb",
      spec.password ? 'export REDISCLI_AUTH="$REDIS_PASSWORD"' : "",
      "redis-server --port 6390 --bind 127.0.0.1 --dir /backup --dbfilename dump.rdb --appendonly no --save '' " +
        `--daemonize yes --pidfile /tmp/restore.pid --logfile /tmp/restore.log${spec.password ? ' --requirepass "$REDIS_PASSWORD"' : ""}`,
      // PING answers LOADING until the snapshot is in memory.
      "until redis-cli -p 6390 ping 2>/dev/null | grep -qx PONG; do sleep 1; done",
      "for db in $(redis-cli -p 6390 info keyspace | sed -n 's/^db\\([0-9]*\\):.*/\\1/p'); do",
      "  redis-cli -p 6390 -n \"$db\" --scan --count 1000 | xargs -r -d '\\n' -n 100 sh -c " +
        `'out="$(redis-cli -p 6390 -n "$0" migrate ${host} 6379 "" "$0" 60000 COPY REPLACE${auth} KEYS "$@")"; ` +
        `case "$out" in OK|NOKEY) ;; *) echo "$out" >&2; exit 255 ;; esac' "$db"`,
      '  echo "restored db $db"',
      "done",
      "redis-cli -p 6390 shutdown nosave",
    ]
      .filter((line) => line !== "")
      .join("\n"),
    env: spec.password ? [fromSecret("REDIS_PASSWORD", spec.password.name, spec.password.key)] : [],
    resources: spec.resources,
  };
};
