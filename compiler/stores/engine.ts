import type { IIoK8sApiCoreV1EnvVar as EnvVar, IIoK8sApiCoreV1Probe as Probe } from "kubernetes-models/v1";
import type { StoreComponent } from "../describe/types.ts";
import type { StoreMemory } from "./memory.ts";

/**
 * How one pod set of a store runs:
 * - `primary`: the writable primary, in the environment's primary region
 * - `replica`: follows a primary, in-region or in the primary region
 * - `cluster`: a peer of an in-region cluster (engines without cross-region replication)
 */
export type StoreMode = "primary" | "replica" | "cluster";

export interface StoreEnvContext {
  mode: StoreMode;
  spec: StoreComponent;
  /** Host of the writable primary this pod set follows (replica mode). */
  primaryHost: string;
  /** Name of this pod set's StatefulSet and of its headless Service. */
  setName: string;
  headlessName: string;
  namespace: string;
  /**
   * Set when the pod set's role is decided at run time by the engine's failover (`failover`): the monitor's name, the
   * hosts of its sentinels, this pod set's pods' own host suffix, and the host that starts as the writable primary.
   */
  failover?: FailoverContext;
}

/** What a pod set under automatic failover needs to know to start as the primary or as a replica of the current one. */
export interface FailoverContext {
  /** The name the sentinels monitor the store under. */
  master: string;
  /** Each sentinel's host (`<pod>.<headless>.<namespace>.svc.cluster.local`) and port. */
  sentinels: string[];
  sentinelPort: number;
  /** The suffix of this pod set's pods' hosts after `<pod name>.` (`<headless>.<namespace>.svc.cluster.local`). */
  hostSuffix: string;
  /** The host that starts as the primary when no sentinel knows one yet (pod 0 of the primary pod set). */
  initialPrimary: string;
  /** Every member's host, the primary pod set's and the replicas', to ask who is primary when no sentinel answers. */
  members: string[];
}

/**
 * How an engine encrypts the traffic between regions with TLS on the store itself: the certificate (a cert-manager
 * Secret with `tls.crt`, `tls.key` and `ca.crt`) is mounted at `dir` in the pod sets that take (the primary) or make
 * (the other regions' replicas) cross-region connections.
 */
export interface StoreTls {
  /** The port other regions connect to, for writes and replication (it may be the engine's first port). */
  port: { name: string; number: number };
  /** Environment variables that turn TLS on for one pod set; a variable here replaces one of `env` of that name. */
  env(ctx: StoreEnvContext, dir: string): EnvVar[];
  /**
   * How a client URL in another region asks for TLS: a scheme to use instead (`redis` → `rediss`), a query to add, and
   * the query parameter that names the file of the CA to verify the server with, where the URL format has a standard
   * one (libpq's `sslrootcert`). Every such client also gets the CA file's path in a variable of its own.
   */
  client: { schemes?: Record<string, string>; query?: string; caFileParameter?: string };
}

/**
 * A metrics exporter run beside the engine in every member pod, for an engine that serves no Prometheus metrics of its
 * own: its pinned image, its arguments or environment (it reads the engine on localhost), the port it serves `/metrics`
 * on (named `metrics`), its resources and the metric names it provides. A PodMonitor scrapes it.
 */
export interface StoreExporter {
  /** The sidecar container's name. */
  name: string;
  /** The pinned image. */
  image: string;
  /** Its arguments, if any. */
  args?: string[];
  /** Its environment (the address of the store in the same pod, the password from the store's Secret). */
  env?(spec: StoreComponent): EnvVar[];
  /** The port it serves `/metrics` on. */
  port: number;
  resources: { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } };
  /** The metric names (exact) or prefixes (ending in `_`) it provides, for the alert validation. */
  provides: string[];
}

/** What a data-store building block needs to know about its engine. */
export interface StoreEngineDefinition {
  /** The pinned default image. */
  image: string;
  /** Named ports, the first one primary. */
  ports: Record<string, number>;
  /** Ports only peers of the same store use (cluster traffic): on the headless Service, never the client one. */
  peerPorts?: Record<string, number>;
  /**
   * True when a member only becomes Ready once its peers run (a quorum or cluster must form first): the StatefulSet
   * then starts its pods in parallel, as `OrderedReady` would wait forever for pod 0.
   */
  peersForReadiness?: boolean;
  /**
   * How long a member may take to start, in seconds, when its start waits for its peers (a quorum forms, a cluster
   * elects) or for a store copy: the pod set gets a startup probe (the liveness check) of that budget, so liveness
   * does not restart a member that is still waiting.
   */
  startupSeconds?: number;
  /** Probe paths whose answer depends on peers (cluster health): a liveness probe must never use them. */
  peerDependentPaths?: string[];
  /**
   * Directories the image's own configuration reads at start. A volume mounted there hides the image's files, so the
   * block seeds it from the image first (an init container copies the directory into the volume).
   */
  imageConfigPaths?: string[];
  /** The exporter sidecar that serves the engine's metrics, when the engine serves none itself. */
  exporter?: StoreExporter;
  /** Where the persistent volume is mounted. */
  dataPath: string;
  /** The non-root user the image runs as. */
  runAsUser: number;
  /** Paths that need an emptyDir because the root filesystem is read-only. */
  writablePaths: string[];
  /**
   * The operator that runs this engine, when an operator does (CloudNativePG): its namespace, the instance ports it
   * calls (the instance manager's status port among them) and the instances' metrics port. Its instances also call
   * the Kubernetes API server.
   */
  operator?: { name: string; namespace: string; ports: number[]; metricsPort: number };
  /** True when other regions run replicas that follow the primary region's primary. */
  crossRegion: boolean;
  /** TLS between regions (for `crossRegion` engines): other regions connect only to this port, encrypted. */
  tls?: StoreTls;
  /**
   * The data directory the image's own configuration pins (e.g. `data_directory` in its postgresql.conf), and the
   * environment variable that must agree with it. It lies below the volume mount: the volume's root holds lost+found.
   */
  pinnedDataDirectory?: { env: string; path: string };
  /** Environment variables for one pod set. */
  env(ctx: StoreEnvContext): EnvVar[];
  /** Readiness probe, and liveness probe unless `liveness` is set. */
  probe(ctx: StoreEnvContext): Probe;
  /** Liveness probe, when readiness depends on peers (a restart cannot bring peers back). */
  liveness?(ctx: StoreEnvContext): Probe;
  /**
   * Command and args, when the image's defaults are not enough; `tlsDir` is where the cross-region certificate is
   * mounted when this pod set takes or makes cross-region connections.
   */
  command?(ctx: StoreEnvContext & { replicas: number; tlsDir?: string }): { command?: string[]; args?: string[] };
  /** Where the image runs first-start scripts from (`initScripts`); engines without one reject them. */
  initScriptsPath?: string;
  /** Keys besides `password.key` that the password Secret must hold (e.g. the replication password). */
  passwordKeys?: string[];
  /**
   * How the engine's own tool dumps a running store into `/backup` (for the backup CronJob): the image (the store's
   * when omitted), a shell script and its environment. Engines without one are covered by volume snapshots only.
   */
  dump?(ctx: DumpContext): {
    image?: string;
    script: string;
    env: EnvVar[];
    writablePaths?: string[];
    runAsUser?: number;
  };
  /**
   * How the engine's own tool loads a dump from `/backup` back into the running store (the restore CronJob, suspended,
   * started by hand). Same shape as `dump`; engines without one restore by the README's runbook.
   */
  restore?(ctx: DumpContext): {
    image?: string;
    script: string;
    env: EnvVar[];
    writablePaths?: string[];
    runAsUser?: number;
    /** The restore container's resources, when the tool holds the data in memory (the store's own resources). */
    resources?: StoreComponent["resources"];
  };
  /** The ports a dump or a restore connects to (the backup CronJobs); the first client port when omitted. */
  dumpPorts?: number[];
  /** The ports a restore connects to (Neo4j's loads through Bolt, not the backup port); the dump ports when omitted. */
  restorePorts?: number[];
  /**
   * How the restore gets the backup: `download` (the default) copies the run into `/backup` for the restore step;
   * `presign` writes `<name> <presigned https URL>` lines to `/backup/seeds` for each backup artifact of the run
   * (`<name>-<timestamp>.backup`), and the store itself fetches them over HTTPS (its pods get egress on 443).
   */
  restoreFetch?: "download" | "presign";
  /**
   * Automatic failover inside the primary region, when it runs a primary and replicas: `sentinel` runs three Redis
   * Sentinels (quorum 2) and an HAProxy in front that sends clients (the `<name>` Service) to the current primary.
   */
  failover?: "sentinel";
  /**
   * The process's memory ceilings (a cache size, a heap, a Go memory limit), which the engine sets from the container's
   * memory limit in its `command`, `env` or `configFile`, and reads back for the `memory-settings` rule.
   */
  memory?: StoreMemory;
  /** A configuration file the server reads (its path and content), from a ConfigMap the store block renders. */
  configFile?(spec: StoreComponent): { path: string; content: string };
  /** Why a description cannot run on this engine, or undefined. */
  check?(spec: StoreComponent): string | undefined;
}

/** What a dump needs to know: the store, the host of its writable endpoint and of each member. */
export interface DumpContext {
  spec: StoreComponent;
  /** The client Service's host. */
  host: string;
  /** Each member's host, through the headless Service (engines whose members hold different data). */
  members: string[];
}

/** An env var read from a Secret key. */
export function fromSecret(name: string, secret: string, key: string): EnvVar {
  return { name, valueFrom: { secretKeyRef: { name: secret, key } } };
}

/** The ports a store's restore connects to: the engine's `restorePorts`, else its dump ports. */
export function restorePortsOf(engine: StoreEngineDefinition): number[] {
  return engine.restorePorts ?? dumpPortsOf(engine);
}

/** The ports a store's dump connects to: the engine's `dumpPorts`, else its first client port. */
export function dumpPortsOf(engine: StoreEngineDefinition): number[] {
  return engine.dumpPorts ?? [Object.values(engine.ports)[0]];
}
