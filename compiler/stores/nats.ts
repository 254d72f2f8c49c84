import type { IIoK8sApiCoreV1EnvVar as EnvVar } from "kubernetes-models/v1";
import type { StoreEngineDefinition } from "./engine.ts";
import { fromSecret } from "./engine.ts";
import {
  MiB,
  memoryLimit,
  mibOf,
  quantityBytes,
  type MemoryCeiling,
  type MemoryView,
  type StoreMemory,
} from "./memory.ts";
import { compareNames } from "../name-order.ts";

/** Where the server reads its configuration file (JetStream's limits; the command line sets the rest). */
export const NATS_CONFIG = "/etc/nats-config/nats.conf";
/** The Go runtime's soft memory limit, as a share of the container's memory limit (the NATS Helm chart's advice). */
const GOMEMLIMIT_SHARE = 0.9;
/** The most JetStream may hold in memory-backed streams, as a share of the memory limit. */
const MEMORY_STORE_SHARE = 0.25;
/** The most JetStream may write to the volume, as a share of its size (the filesystem takes some). */
const FILE_STORE_SHARE = 0.9;

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
  // A restarted server catches up on its streams from the peers before it answers: NATS's Helm chart gives the start
  // 90 × 10 s.
  startupSeconds: 900,
  env({ spec }) {
    const vars: EnvVar[] = [{ name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }];
    // The Go runtime collects garbage harder near this limit instead of growing past the container's.
    const limit = memoryLimit(spec);
    if (limit !== undefined) vars.push({ name: "GOMEMLIMIT", value: `${mibOf(limit, GOMEMLIMIT_SHARE)}MiB` });
    if (spec.password) vars.push(fromSecret("NATS_TOKEN", spec.password.name, spec.password.key));
    return vars.sort((a, b) => compareNames(a.name, b.name));
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
    const args = [
      `--config=${NATS_CONFIG}`,
      "--name=$(POD_NAME)",
      "--port=4222",
      "--http_port=8222",
      "--jetstream",
      "--store_dir=/data",
    ];
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

/**
 * JetStream's limits, in bytes: without them it takes 75% of the host's memory (not the container's limit) and of the
 * disk's free space. The command line's flags set everything else (and win over the file).
 */
natsEngine.configFile = (spec) => {
  const limit = memoryLimit(spec);
  const lines = [
    "jetstream {",
    ...(limit === undefined ? [] : [`  max_memory_store: ${mibOf(limit, MEMORY_STORE_SHARE) * MiB}`]),
    `  max_file_store: ${mibOf(quantityBytes(spec.storage), FILE_STORE_SHARE) * MiB}`,
    "}",
  ];
  return { path: NATS_CONFIG, content: lines.join("\n") + "\n" };
};

/** A byte count of JetStream's configuration file (a plain integer, as this engine writes it). */
function jetstreamLimit(view: MemoryView, key: string): number | undefined {
  const path = /--config=(\S+)/.exec(view.words.join(" "))?.[1];
  const m = path ? new RegExp(`\\b${key}\\s*[:=]\\s*(\\d+)\\s*$`, "m").exec(view.files[path] ?? "") : null;
  return m ? Number(m[1]) : undefined;
}

/** A Go memory limit (`GOMEMLIMIT`): bytes, or a number with B, KiB, MiB, GiB or TiB. */
function goBytes(value: string | undefined): number | undefined {
  const m = /^(\d+)(B|KiB|MiB|GiB|TiB)?$/.exec(value ?? "");
  const unit = { B: 1, KiB: 1024, MiB: MiB, GiB: 1024 * MiB, TiB: 1024 * 1024 * MiB }[m?.[2] ?? "B"];
  return m && unit ? Number(m[1]) * unit : undefined;
}

/** GOMEMLIMIT, and JetStream's memory and file stores. */
const natsMemory: StoreMemory = {
  ceilings(view) {
    const out: MemoryCeiling[] = [
      {
        setting: "GOMEMLIMIT",
        bytes: goBytes(view.env.GOMEMLIMIT),
        max: view.limit * GOMEMLIMIT_SHARE,
        why: "the Go runtime grows its heap past the container's limit unless a soft limit below it makes it collect",
      },
      {
        setting: "jetstream max_memory_store",
        bytes: jetstreamLimit(view, "max_memory_store"),
        max: view.limit / 2,
        why: "JetStream otherwise sizes memory-backed streams from the host's memory, not the container's limit",
      },
    ];
    if (view.storage !== undefined)
      out.push({
        setting: "jetstream max_file_store",
        bytes: jetstreamLimit(view, "max_file_store"),
        max: view.storage,
        bound: "the data volume",
        why: "JetStream otherwise sizes file-backed streams from the disk's free space, and a full volume stops the server",
      });
    return out;
  },
};
natsEngine.memory = natsMemory;
