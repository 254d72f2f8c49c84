import type { IIoK8sApiCoreV1EnvVar as EnvVar } from "kubernetes-models/v1";
import type { StoreEngineDefinition } from "./engine.ts";
import { fromSecret } from "./engine.ts";

/** Redis on the Bitnami image: replicas follow the primary through `REDIS_MASTER_HOST`. */
export const redisEngine: StoreEngineDefinition = {
  image: "docker.io/bitnami/redis:7.4.1",
  ports: { redis: 6379 },
  dataPath: "/bitnami/redis/data",
  runAsUser: 1001,
  writablePaths: ["/tmp", "/opt/bitnami/redis/etc", "/opt/bitnami/redis/tmp", "/opt/bitnami/redis/logs"],
  crossRegion: true,
  // TLS on a port of its own (6380), so in-cluster clients keep 6379; replicas in other regions follow the primary
  // there (the image turns on tls-replication with TLS) and writers there use rediss://. The port's name starts with
  // `tcp-` so that Istio treats it as opaque TCP (a `redis` name selects Istio's Redis protocol, `tls` SNI routing).
  tls: {
    port: { name: "tcp-redis-tls", number: 6380 },
    env(ctx, dir) {
      return [
        { name: "REDIS_TLS_ENABLED", value: "yes" },
        { name: "REDIS_TLS_PORT_NUMBER", value: "6380" },
        { name: "REDIS_TLS_CERT_FILE", value: `${dir}/tls.crt` },
        { name: "REDIS_TLS_KEY_FILE", value: `${dir}/tls.key` },
        { name: "REDIS_TLS_CA_FILE", value: `${dir}/ca.crt` },
        { name: "REDIS_TLS_AUTH_CLIENTS", value: "no" },
        ...(ctx.mode === "replica" ? [{ name: "REDIS_MASTER_PORT_NUMBER", value: "6380" }] : []),
      ];
    },
    client: { schemes: { redis: "rediss" } },
  },
  env({ mode, spec, primaryHost }) {
    const vars: EnvVar[] = [
      { name: "REDIS_PORT_NUMBER", value: "6379" },
      { name: "REDIS_REPLICATION_MODE", value: mode === "replica" ? "slave" : "master" },
    ];
    if (spec.password) {
      vars.push(fromSecret("REDIS_PASSWORD", spec.password.name, spec.password.key));
      if (mode === "replica") vars.push(fromSecret("REDIS_MASTER_PASSWORD", spec.password.name, spec.password.key));
    } else vars.push({ name: "ALLOW_EMPTY_PASSWORD", value: "yes" });
    if (mode === "replica")
      vars.push({ name: "REDIS_MASTER_HOST", value: primaryHost }, { name: "REDIS_MASTER_PORT_NUMBER", value: "6379" });
    return vars.sort((a, b) => a.name.localeCompare(b.name));
  },
  probe() {
    return { tcpSocket: { port: "redis" }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6 };
  },
};
