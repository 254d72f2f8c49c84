import type { IIoK8sApiCoreV1EnvVar as EnvVar } from "kubernetes-models/v1";
import type { StoreEngineDefinition } from "./engine.ts";
import { fromSecret } from "./engine.ts";

/**
 * NATS with JetStream persisted on the volume. One replica is a single
 * server; more form a cluster whose routes are the pods of the headless
 * Service (JetStream needs three or more for a fault-tolerant quorum).
 * NATS has no cross-region replication here, so every region runs its own.
 * A `password` becomes the client token (`--auth`). The monitoring port serves JSON, so NATS's own Prometheus
 * exporter runs beside every server and turns its `/varz` and `/jsz` (consumers included) into `gnatsd_varz_*` and
 * `jetstream_*` metrics on port 7777.
 */
export const natsEngine: StoreEngineDefinition = {
  image: "docker.io/library/nats:2.10.22-alpine",
  ports: { client: 4222, cluster: 6222, monitor: 8222 },
  exporter: {
    name: "nats-exporter",
    image: "docker.io/natsio/prometheus-nats-exporter:0.17.3",
    args: ["-port=7777", "-varz", "-jsz=all", "http://localhost:8222"],
    port: 7777,
    resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { cpu: "100m", memory: "64Mi" } },
    provides: ["gnatsd_varz_", "jetstream_"],
  },
  dataPath: "/data",
  runAsUser: 1000,
  writablePaths: ["/tmp"],
  crossRegion: false,
  // JetStream's /healthz waits for the meta group's quorum: members start together, and liveness asks only
  // whether this server runs JetStream (restarting a member never brings its peers back).
  peersForReadiness: true,
  peerDependentPaths: ["/healthz"],
  env({ spec }) {
    const vars: EnvVar[] = [{ name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }];
    if (spec.password) vars.push(fromSecret("NATS_TOKEN", spec.password.name, spec.password.key));
    return vars.sort((a, b) => a.name.localeCompare(b.name));
  },
  probe() {
    return {
      httpGet: { path: "/healthz", port: "monitor" },
      periodSeconds: 10,
      timeoutSeconds: 3,
      failureThreshold: 6,
    };
  },
  liveness() {
    return {
      httpGet: { path: "/healthz?js-enabled-only=true", port: "monitor" },
      periodSeconds: 10,
      timeoutSeconds: 3,
      failureThreshold: 6,
    };
  },
  command({ spec, setName, headlessName, namespace, replicas }) {
    const args = ["--name=$(POD_NAME)", "--port=4222", "--http_port=8222", "--jetstream", "--store_dir=/data"];
    if (spec.password) args.push("--auth=$(NATS_TOKEN)");
    if (replicas > 1) {
      const routes = Array.from(
        { length: replicas },
        (_, i) => `nats://${setName}-${i}.${headlessName}.${namespace}.svc:6222`,
      );
      args.push(`--cluster_name=${setName}`, "--cluster=nats://0.0.0.0:6222", `--routes=${routes.join(",")}`);
    }
    return { command: ["nats-server"], args };
  },
};
