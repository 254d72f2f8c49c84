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
