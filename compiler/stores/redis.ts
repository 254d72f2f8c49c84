import type { StoreEngineDefinition } from "./engine.ts";
import { fromSecret } from "./engine.ts";

/**
 * Redis on the official image: the append-only file on (fsync every second) plus RDB snapshots, both on the volume.
 * Replicas follow the primary with `--replicaof`; the password is both `requirepass` and `masterauth`.
 */
export const redisEngine: StoreEngineDefinition = {
  image: "docker.io/library/redis:7.4.1",
  ports: { redis: 6379 },
  dataPath: "/data",
  // The image's redis user.
  runAsUser: 999,
  writablePaths: ["/tmp"],
  crossRegion: true,
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
  command({ mode, spec, primaryHost, tlsDir }) {
    const args = ["--port", "6379", "--dir", "/data", "--appendonly", "yes", "--appendfsync", "everysec"];
    args.push("--save", "3600 1 300 100 60 10000");
    if (spec.password) args.push("--requirepass", "$(REDIS_PASSWORD)", "--masterauth", "$(REDIS_PASSWORD)");
    if (tlsDir) {
      args.push("--tls-port", "6380", "--tls-cert-file", `${tlsDir}/tls.crt`, "--tls-key-file", `${tlsDir}/tls.key`);
      args.push("--tls-ca-cert-file", `${tlsDir}/ca.crt`, "--tls-auth-clients", "no");
    }
    // A replica in another region follows the primary over TLS (the primary's cross-region port).
    if (mode === "replica" && tlsDir) args.push("--tls-replication", "yes", "--replicaof", primaryHost, "6380");
    else if (mode === "replica") args.push("--replicaof", primaryHost, "6379");
    return { command: ["redis-server"], args };
  },
};

/** `redis-cli --rdb`: an RDB snapshot streamed from the primary. */
redisEngine.dump = ({ spec, host }) => ({
  script: `redis-cli -h ${host} -p 6379 --rdb /backup/dump.rdb`,
  env: spec.password ? [fromSecret("REDISCLI_AUTH", spec.password.name, spec.password.key)] : [],
});
