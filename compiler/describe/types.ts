/**
 * The description language: plain, typed data. Platforms, environments and
 * regions are values of these types; the helpers in this folder only fill in
 * a discriminator and defaults, they have no side effects.
 */
import type { PolicyLevel, PolicyRule } from "./policy.ts";
import type { Capability } from "./capabilities.ts";

/** A Kubernetes quantity such as `500m`, `2`, `512Mi` or `10Gi`. */
export type Quantity = string;

export interface ResourceAmounts {
  cpu?: Quantity;
  memory?: Quantity;
}

export interface Resources {
  requests?: ResourceAmounts;
  limits?: ResourceAmounts;
}

/** A custom per-pod metric the HPA scales on (needs a custom-metrics adapter). */
export interface PodMetric {
  name: string;
  averageValue: Quantity;
}

export interface Autoscale {
  min: number;
  max: number;
  /** Target average CPU utilisation, percent of requests. */
  cpu?: number;
  /** Target average memory utilisation, percent of requests. */
  memory?: number;
  metrics?: PodMetric[];
}

export interface HttpProbe {
  path: string;
  /** A port name of the component; the first port when omitted. */
  port?: string;
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  failureThreshold?: number;
}

export interface Probes {
  liveness?: HttpProbe | false;
  readiness?: HttpProbe | false;
  startup?: HttpProbe | false;
}

/** A value read from the region's secret store; it renders as an ExternalSecret, never as a value. */
export interface SecretRef {
  kind: "secret";
  /** The Kubernetes Secret the ExternalSecret creates. */
  name: string;
  /** The key inside that Secret, and the property of the remote secret. */
  key: string;
}

/**
 * The in-cluster URL of another component, resolved at build time: `scheme://name:port/path`,
 * or the bare address `name:port` when `scheme` is omitted (see `address()`).
 */
export interface UrlRef {
  kind: "url";
  component: string;
  scheme?: string;
  /** A port name; the component's first port when omitted. */
  port?: string;
  path?: string;
}

/** A key of the platform ConfigMap, read with `configMapKeyRef` (env only; the key must exist). */
export interface ConfigRef {
  kind: "config";
  key: string;
}

/**
 * The public URL of a host the platform publishes through an ingress:
 * `https://<host>.<region ingress domain><path>`. The host must be declared by
 * an `ingresses` rule or a component's `expose`.
 */
export interface IngressUrlRef {
  kind: "ingress-url";
  host: string;
  path?: string;
}

export type EnvValue = string | SecretRef | UrlRef | ConfigRef | IngressUrlRef;

export interface Disruption {
  minAvailable?: number;
  maxUnavailable?: number;
}

export interface Rollout {
  maxSurge: number | string;
  maxUnavailable: number | string;
}

/** Publishes a component on the region's ingress domain: `<host>.<ingressDomain><path>`. */
export interface Expose {
  host: string;
  path?: string;
  port?: string;
}

/** Prometheus scraping of a service: renders a ServiceMonitor (prometheus-operator). */
export interface Metrics {
  /** A port name of the component; the first port when omitted. */
  port?: string;
  /** Defaults to `/metrics`. */
  path?: string;
  /** Defaults to `30s`. */
  interval?: string;
  /**
   * The request counter and latency histogram the service exports on that endpoint, for its error-rate and latency
   * alerts (`http_requests_total`, `status=~"5.."`, `http_request_duration_seconds`).
   */
  requests?: RequestMetrics;
}

/** A service's request metrics: a counter of requests, which of them failed, and a latency histogram. */
export interface RequestMetrics {
  /** The counter of requests, e.g. `http_requests_total`. */
  counter: string;
  /** The label matcher that selects failed requests, e.g. `status=~"5.."`. */
  errors: string;
  /** The latency histogram's base name (without `_bucket`), e.g. `http_request_duration_seconds`. */
  histogram?: string;
}

/** A Kubernetes API verb an RBAC rule may grant. */
export type AccessVerb = "get" | "list" | "watch" | "create" | "update" | "patch" | "delete" | "deletecollection";

/** One RBAC rule the component's ServiceAccount is granted in its namespace (a Role and RoleBinding). */
export interface AccessRule {
  apiGroups: string[];
  resources: string[];
  verbs: AccessVerb[];
  resourceNames?: string[];
}

/** What every workload component has. */
export interface WorkloadFields {
  image: string;
  replicas: number;
  resources: Resources;
  env?: Record<string, EnvValue>;
  dependsOn?: string[];
  /**
   * The PodDisruptionBudget; `false` for none. Defaults to `maxUnavailable: 1`
   * where the environment asks for budgets.
   */
  disruption?: Disruption | false;
  /** A one-line description, shown in the target README. */
  description?: string;
  /** Scrape this component with Prometheus. */
  metrics?: Metrics;
  /**
   * Validation rules this component opts out of, each with the reason, e.g.
   * `{ "min-replicas": "the emulator keeps its state in memory" }`. Rendered as
   * `waive.manifold.dev/<rule>` annotations; the reason shows in every report.
   */
  waive?: Record<string, string>;
  /** Kubernetes API access for the component's ServiceAccount; mounting its token follows. */
  access?: AccessRule[];
  /** A VerticalPodAutoscaler for the workload; `false` for none. */
  verticalScaling?: VerticalScaling | false;
  /** Traffic to outside the cluster the NetworkPolicies allow (default-deny blocks it otherwise). */
  egress?: Egress;
}

/**
 * Egress to the internet: `https` opens TCP 443 to public addresses (private,
 * link-local and CGNAT ranges excluded).
 */
export interface Egress {
  https?: boolean;
}

/** A stateless HTTP service: a Deployment, its Service, and optionally an HPA, a PDB and an Ingress. */
export interface ServiceComponent extends WorkloadFields {
  type: "service";
  /** Named ports, the first one primary, e.g. `{ http: 3000 }`. */
  ports: Record<string, number>;
  autoscale?: Autoscale | false;
  probes?: Probes;
  expose?: Expose;
  rollout?: Rollout;
  /** Mount the service-account token. Off unless the component talks to the Kubernetes API. */
  serviceAccountToken?: boolean;
  command?: string[];
  args?: string[];
  /** Paths that get an emptyDir, because the root filesystem is read-only. */
  writablePaths?: string[];
  /** Read the platform ConfigMap with `envFrom`. Defaults to true. */
  useConfig?: boolean;
  /** Configuration files by directory, then file name: each directory is a ConfigMap mounted read-only there. */
  files?: Record<string, Record<string, string>>;
  /**
   * The component's own ConfigMap (`<name>-env`), read with `envFrom` after the
   * platform ConfigMap, e.g. a web frontend's public build-time variables. No secrets.
   */
  configMap?: Record<string, EnvValue>;
}

export type StoreEngine = "postgres" | "redis" | "qdrant" | "nats" | "neo4j";

/**
 * How a postgres store runs: `cloudnative-pg` (the default: a CloudNativePG `Cluster` with automatic failover,
 * continuous WAL archiving to the region's object store, and replica clusters in the other regions that follow the
 * primary region through that object store) or `official` (`POSTGRES_USER`/`POSTGRES_PASSWORD`/`POSTGRES_DB`, as the
 * official and supabase images take: one standalone server per region, backed up by a `pg_dump` CronJob).
 */
export type PostgresFlavor = "cloudnative-pg" | "official";

/**
 * How a redis store persists its data on the volume: `aof` (the append-only file, fsync every second: at most a second
 * of writes lost), `rdb` (point-in-time snapshots only: the writes since the last snapshot lost) or `aof+rdb` (both;
 * the default, as the seeds back Redis up with `redis-cli --rdb` and keep it as a session store).
 */
export type RedisPersistence = "aof" | "rdb" | "aof+rdb";

/** A store's scheduled backups to its region's object store (`backups` of the region description). */
export interface StoreBackup {
  /** When to back up: a five-field cron expression, in UTC (e.g. `0 2 * * *`). */
  schedule: string;
  /** How many days backups (and, for CloudNativePG, archived WAL) are kept. */
  retentionDays: number;
  /**
   * Bootstrap this environment's store from another environment's backups (e.g. dev from `staging`). Only
   * CloudNativePG stores restore on bootstrap; the restore CronJob of the others loads that environment's newest
   * backup when an operator starts it. Off unless named: without it, a store only ever reads its own backups.
   */
  restoreFrom?: string;
  /**
   * A platform volume (`volumes.<name>`) the backup CronJob stages its dump on before the upload, instead of an
   * emptyDir on the node's disk (a dump as large as the store would fill it). Emptied at the start of every run. A
   * ReadWriteOnce volume attaches to one node: it stages one store's backups only.
   */
  volume?: string;
}

/** A Service of type LoadBalancer for clients outside the cluster, restricted to source ranges. */
export interface StoreLoadBalancer {
  /** A port name of the engine; its first port when omitted. */
  port?: string;
  /** An internal (VPC-only) load balancer. Defaults to true. */
  internal?: boolean;
  /** CIDRs allowed to connect (`loadBalancerSourceRanges` and the NetworkPolicy). At least one. */
  sourceRanges: string[];
}

/** A data store run as StatefulSets with persistent volumes. */
export interface StoreComponent extends WorkloadFields {
  type: "store";
  engine: StoreEngine;
  storage: Quantity;
  storageClass?: string;
  /** The password Secret for engines that take one. */
  password?: SecretRef;
  /** The database created on first start (postgres). */
  database?: string;
  /** The application user (postgres). */
  user?: string;
  /** How a postgres store runs (postgres only); `cloudnative-pg` when omitted. */
  flavor?: PostgresFlavor;
  /** How a redis store persists its data (redis only); `aof+rdb` when omitted. */
  persistence?: RedisPersistence;
  /**
   * Scheduled backups to the region's object store; a daily backup kept 14 days when omitted. `false` turns them off
   * (the `store-backups` rule then reports the store, unless waived with a reason).
   */
  backup?: StoreBackup | false;
  /**
   * SQL or shell scripts run on first start, by file name: a ConfigMap mounted
   * at the engine's init directory (postgres).
   */
  initScripts?: Record<string, string>;
  /** Reach the store from outside the cluster through a restricted LoadBalancer Service (`<name>-external`). */
  loadBalancer?: StoreLoadBalancer;
}

export type Component = ServiceComponent | StoreComponent;

/**
 * The fields a layer may override on a component: any field but `type` and
 * `engine`. A field given is checked as on a component (a `rollout` names
 * both of its fields, say), except `autoscale`, which may name only the
 * bounds it changes. Objects merge into the component's field by field.
 */
export type ComponentOverride = Partial<
  Omit<ServiceComponent, "type" | "autoscale"> & Omit<StoreComponent, "type" | "engine">
> & { autoscale?: Partial<Autoscale> | false };

/** What one layer (environment, region, target) changes in a platform. */
export interface LayerOverride {
  /** Entries merged into the platform ConfigMap. */
  config?: Record<string, EnvValue>;
  /** Applied to every component that has the field (they refine, they never create object fields). */
  defaults?: ComponentOverride;
  /** Applied to one component by name. */
  components?: Record<string, ComponentOverride>;
  /** Applied to one of the platform's standalone volumes by name (a smaller backup claim in dev, say). */
  volumes?: Record<string, Partial<VolumeSpec>>;
  /** Thresholds of the generated alerts, and alerts turned off, in this layer. */
  alerting?: AlertTuning;
}

/** One backend of an ingress rule: a path routed to a service component. */
export interface IngressPath {
  /** Defaults to `/`. */
  path?: string;
  pathType?: "Prefix" | "Exact";
  component: string;
  /** A port name of the component; its first port when omitted. */
  port?: string;
}

/** One host of an ingress: `<host>.<region ingress domain>`, e.g. `api.multi-agent`. */
export interface IngressHostRule {
  host: string;
  paths: IngressPath[];
}

/** A platform-level NGINX Ingress: several hosts and paths, one TLS certificate issued by cert-manager. */
export interface IngressDescription {
  rules: IngressHostRule[];
  /** The cert-manager ClusterIssuer; `letsencrypt-prod` when omitted. */
  issuer?: string;
  /** The TLS Secret cert-manager fills; `<ingress name>-tls` when omitted. */
  tlsSecret?: string;
  /** Extra annotations for the ingress controller. */
  annotations?: Record<string, string>;
}

/** A JSON-patch escape hatch applied to rendered objects. */
export interface PatchRule {
  /** Which object: kind and name (the rendered name). */
  target: { kind: string; name: string };
  /** Limit to some environments or regions. */
  environments?: string[];
  regions?: string[];
  /** RFC 6902 operations. */
  ops: PatchOp[];
}

export interface PatchOp {
  op: "add" | "remove" | "replace" | "move" | "copy" | "test";
  /**
   * A JSON pointer (`/spec/replicas`), or a list of keys that is escaped for
   * you: `["metadata", "annotations", "example.com/owner"]`.
   */
  path: string | string[];
  value?: unknown;
  from?: string;
}

export interface PlatformDescription {
  name: string;
  namespace: string;
  /** Prepended to every object name, e.g. `ossa-`. */
  namePrefix?: string;
  description?: string;
  /** The platform ConfigMap, read by every service. */
  config?: Record<string, EnvValue>;
  components: Record<string, Component>;
  /** Environments this platform runs in; every environment when omitted. */
  runsIn?: string[];
  environments?: Record<string, LayerOverride>;
  regions?: Record<string, LayerOverride>;
  /** Per-target overrides keyed `environment/region`. */
  targets?: Record<string, LayerOverride>;
  patches?: PatchRule[];
  /** Grafana dashboards (JSON models), rendered as ConfigMaps labelled `grafana_dashboard: "1"`. */
  dashboards?: Record<string, Record<string, unknown>>;
  /**
   * Ingresses by object name, for routing several hosts and paths (a
   * component's `expose` covers the one-host case).
   */
  ingresses?: Record<string, IngressDescription>;
  /** Schema migrations, run before the services that use the database. */
  migrations?: MigrationDescription;
  /** The PostSync smoke test; `false` turns it off. */
  smokeTest?: SmokeTestDescription | false;
  /** Notify on a failed sync. */
  notify?: NotificationDescription;
  /** Cluster StorageClasses the platform's volumes use, by name (rendered unprefixed: the name is cluster-wide). */
  storageClasses?: Record<string, StorageClassSpec>;
  /** Standalone PersistentVolumeClaims (backups, shared scratch), by name. */
  volumes?: Record<string, VolumeSpec>;
  /** The Istio service mesh: mTLS, ingress gateway and routes, circuit breaking, authorization. */
  mesh?: Mesh;
  /** Prometheus alerting rules by group name; rendered with the recording rules as one PrometheusRule. */
  alerts?: Record<string, AlertRule[]>;
  /** Prometheus recording rules by group name. */
  recordingRules?: Record<string, RecordingRule[]>;
  /** A Prometheus and Alertmanager of the platform's own, run by the prometheus-operator. */
  prometheusStack?: PrometheusStack;
  /** Who hears about the platform's alerts (receivers and routes), and the thresholds of its generated alerts. */
  alerting?: AlertingDescription;
  /** Service-level objectives, by name: recording rules and multi-window, multi-burn-rate alerts. */
  slos?: Record<string, SloDescription>;
  /** The component that receives traces: every pod may send spans to it on these port names. */
  tracing?: { collector: string; ports: string[] };
}

/** How a VerticalPodAutoscaler acts: `Off` only recommends (required next to an HPA on cpu or memory). */
export type VerticalScalingMode = "Off" | "Initial" | "Recreate" | "Auto";

export interface VerticalScaling {
  mode: VerticalScalingMode;
  /** The smallest requests the VPA may set. */
  min?: ResourceAmounts;
  /** The largest requests the VPA may set. */
  max?: ResourceAmounts;
}

export interface StorageClassSpec {
  /** The CSI driver, e.g. `ebs.csi.aws.com`. */
  provisioner: string;
  parameters?: Record<string, string>;
  reclaimPolicy?: "Delete" | "Retain";
  /** `Immediate` for claims that must bind without a pod (Argo CD waits on a Pending claim). */
  volumeBindingMode?: "Immediate" | "WaitForFirstConsumer";
  allowVolumeExpansion?: boolean;
}

export interface VolumeSpec {
  storage: Quantity;
  storageClass?: string;
  accessModes?: ("ReadWriteOnce" | "ReadOnlyMany" | "ReadWriteMany" | "ReadWriteOncePod")[];
  description?: string;
}

/** One HTTP route from the mesh gateway to a component. */
export interface MeshRoute {
  component: string;
  /** A port name of the component; its first port when omitted. */
  port?: string;
  /** URI prefix; `/` when omitted. */
  prefix?: string;
  /** Request timeout, e.g. `30s`. */
  timeout?: string;
  retries?: { attempts: number; perTryTimeout: string; retryOn?: string };
}

/** Circuit breaking for calls to one component: connection-pool limits and outlier detection. */
export interface CircuitBreaking {
  maxConnections?: number;
  maxPendingRequests?: number;
  maxRequests?: number;
  maxRequestsPerConnection?: number;
  consecutive5xxErrors?: number;
  /** Outlier analysis interval, e.g. `30s`. */
  interval?: string;
  baseEjectionTime?: string;
  maxEjectionPercent?: number;
  loadBalancer?: "ROUND_ROBIN" | "LEAST_REQUEST" | "RANDOM";
}

export interface Mesh {
  /** PeerAuthentication mode for the namespace. */
  mtls: "STRICT" | "PERMISSIVE";
  /** An Istio Gateway on the region's ingress domain: `<host>.<ingressDomain>`, TLS from `credentialName`. */
  gateway?: { host: string; credentialName: string; routes: MeshRoute[] };
  /** DestinationRules with circuit breaking, by component. */
  circuitBreaking?: Record<string, CircuitBreaking>;
  /**
   * AuthorizationPolicies: deny by default, allow callers by `dependsOn`, the
   * gateway on routes, Prometheus on metrics. Defaults to true.
   */
  authorization?: boolean;
  /** The mesh trust domain; `cluster.local` when omitted. */
  trustDomain?: string;
}

export interface AlertRule {
  alert: string;
  /** A PromQL expression; the alert fires while it returns series. */
  expr: string;
  /** How long the expression must hold, e.g. `5m`. */
  for?: string;
  severity: AlertSeverity;
  summary: string;
  description?: string;
  /** The runbook's URL; `<alerting.runbooks>/<alert>` when omitted. */
  runbook?: string;
}

/** How loud an alert is: critical pages (where the environment may page), warning goes to chat, info to email. */
export type AlertSeverity = "critical" | "warning" | "info";

/**
 * The thresholds of the alerts Manifold generates from what each component is. The platform, and every layer
 * (environment, region, target), may change any of them: dev need not alert at production's levels.
 */
export interface AlertThresholds {
  /** Share of failed requests over 5 minutes above which a service alerts (0.05 = 5%). */
  errorRatio: number;
  /** p95 request latency, in seconds, above which a service alerts. */
  latencySeconds: number;
  /** Share of a container's CPU or memory limit above which it is saturated (0.9 = 90%). */
  saturation: number;
  /** Seconds a replica may lag its primary. */
  replicationLagSeconds: number;
  /** Hours since the last successful backup. */
  backupAgeHours: number;
  /**
   * Schedule intervals a backup CronJob or Velero Schedule may go without a success (plus the Job's start and run
   * deadlines) before it alerts: 1.5 lets one late run pass and catches the first one missed.
   */
  backupIntervals: number;
  /** A volume alerts when, at its last 6 hours' rate, it fills within this many hours. */
  diskFullHours: number;
  /** Messages a NATS JetStream consumer may have pending. */
  consumerPending: number;
  /** Container restarts in 15 minutes that make a crash loop. */
  restarts: number;
}

/** What a layer changes in the alerts: thresholds, and alerts (generated or declared) it turns off by name. */
export interface AlertTuning {
  thresholds?: Partial<AlertThresholds>;
  off?: string[];
}

/** The receivers of a platform's alerts; each secret comes from the secret store through an ExternalSecret. */
export interface AlertReceivers {
  /** Email, for `info` alerts (and everything when there is no chat). */
  email?: { to: string; from: string; smarthost: string; username: string; password: SecretRef };
  /** A Slack channel, for `warning` and `critical` alerts. */
  slack?: { channel: string; webhook: SecretRef };
  /** A PagerDuty service (Events API v2 routing key), for `critical` alerts in environments that page. */
  pagerduty?: { routingKey: SecretRef };
}

/**
 * Who hears about a platform's alerts. Routes follow severity: critical pages (PagerDuty, only where the
 * environment's policy says `paging: true`) and also goes to chat; warning goes to chat; info to email.
 */
export interface AlertingDescription extends AlertTuning {
  receivers: AlertReceivers;
  /** The base URL of the platform's runbooks; each alert links `<runbooks>/<alert name>` unless it names its own. */
  runbooks: string;
  /** Alertmanager grouping: labels, first wait and interval (defaults: alertname, component; 30s; 5m). */
  grouping?: { by?: string[]; wait?: string; interval?: string };
  /** How often a still-firing alert is sent again, by severity (defaults: critical 1h, warning 4h, info 24h). */
  repeat?: Partial<Record<AlertSeverity, string>>;
}

/**
 * A service-level objective as an error budget. Events are either requests (a counter of all requests and a
 * selector of the good ones, e.g. from the gateway's metrics) or probes (a 0/1 gauge such as `probe_success`).
 */
export interface SloDescription {
  /** The objective in percent, e.g. 99.97. */
  objective: number;
  /** The budget's window, in days (30 when omitted). */
  windowDays?: number;
  events: { type: "requests"; total: string; good: string } | { type: "probes"; success: string };
  summary: string;
}

export interface RecordingRule {
  record: string;
  expr: string;
}

export interface PrometheusStack {
  prometheus: {
    version: string;
    replicas: number;
    retention: string;
    storage: Quantity;
    storageClass?: string;
    resources: Resources;
    scrapeInterval?: string;
  };
  alertmanager: { version: string; replicas: number; storage: Quantity; storageClass?: string; resources: Resources };
  /** Components whose pods query Prometheus (Grafana, for instance): NetworkPolicies let them reach it. */
  queriedBy?: string[];
}

/**
 * The database migration Job. It runs as an Argo CD Sync hook in its own
 * wave: after the databases it lists in `dependsOn` are Healthy, and before
 * every component that uses those databases starts, on every sync.
 */
export interface MigrationDescription {
  image: string;
  command: string[];
  args?: string[];
  env?: Record<string, EnvValue>;
  /** The data stores the migration writes to. */
  dependsOn: string[];
  resources?: Resources;
  /** Retries before the sync fails (default 2). */
  backoffLimit?: number;
  /** The Job's activeDeadlineSeconds (default 600). */
  deadlineSeconds?: number;
}

/** The PostSync smoke test: calls the health endpoint of every exposed service. On by default. */
export interface SmokeTestDescription {
  /** Defaults to a pinned curl image. */
  image?: string;
  deadlineSeconds?: number;
}

/** Where to tell people that a sync failed: a SyncFail Job posts to this webhook. */
export interface NotificationDescription {
  /** The webhook URL, from the secret store (a Slack incoming webhook, for instance). */
  webhook: SecretRef;
  image?: string;
}

/** Which checks and safety objects an environment gets. */
export interface EnvironmentPolicy {
  /** Default-deny NetworkPolicies plus the allow rules the dependency graph implies. */
  networkPolicies: boolean;
  /** PodDisruptionBudgets for workloads with two or more replicas. */
  disruptionBudgets: boolean;
  /** A ResourceQuota sized for every workload at its autoscale maximum. */
  resourceQuota: boolean;
  /**
   * The level of each policy rule in this environment: `off`, `warning` (reported,
   * does not fail the compile) or `error`. A rule not named is an error. The
   * rules: requests-limits, probes, pinned-images, restricted-pods,
   * min-replicas, pdb-allows-drain, hpa, image-digests.
   */
  rules?: Partial<Record<PolicyRule, PolicyLevel>>;
  /**
   * The registry hosts images may come from (e.g. `docker.io`, `ghcr.io`); any host when omitted. Every image
   * names its registry host either way.
   */
  registries?: string[];
  /** Whether critical alerts page (PagerDuty) here; otherwise they go to chat. Off when omitted. */
  paging?: boolean;
}

export type { PolicyLevel, PolicyRule } from "./policy.ts";

export interface EnvironmentDescription {
  name: string;
  /** A longer name, e.g. `development`. */
  displayName?: string;
  /** Regions this environment runs in, by name. */
  regions: string[];
  policy: EnvironmentPolicy;
  /** Applied to every platform in this environment. */
  overrides?: LayerOverride;
  /**
   * The domain of the global hostnames: each public host prefix is also served as `<prefix>.<globalDomain>`, with a
   * latency-based, health-checked DNS record per region (ACK Route 53 controller). Region hostnames stay.
   */
  globalDomain?: string;
  /**
   * The Route 53 public hosted zone of `globalDomain` (its ID, such as `Z0123456789ABCDEFGHIJ`): the zone the
   * regions' latency records of the global names go in. Required with `globalDomain`.
   */
  globalZoneId?: string;
}

export type RegionRole = "primary" | "secondary" | "tertiary";

export interface ClusterDescription {
  /** The cluster's name as registered in Argo CD. */
  name: string;
  /** The API server URL. */
  server: string;
  /** Ingress hosts are `<host>.<ingressDomain>`. */
  ingressDomain: string;
  /** Where other regions reach this cluster's services: `<service>.<namespace>.<serviceDomain>`. */
  serviceDomain: string;
  /** What the cluster runs and serves: the compile refuses an object that needs something it lacks. */
  capabilities: ClusterCapabilities;
  /**
   * The IPv4 ranges (CIDR) this cluster's pods and nodes send from, as other regions' clusters see them (the VPC's
   * ranges). The primary region admits exactly these ranges to the stores that other regions replicate from or write
   * to, and other regions' clients send to the primary's ranges: every region of an environment that runs a
   * cross-region store needs them.
   */
  networks?: string[];
}

export type { Capability } from "./capabilities.ts";

/**
 * A cluster's capability contract: what it runs that the fleet's objects rely on. Needs are derived from the
 * rendered objects (API versions, fields, ingress classes, HPA metrics) and checked against it on every compile.
 */
/** What a managed add-on gives the clusters it runs on. */
export interface AddonCapabilities {
  provided: Capability[];
  /** The metric names it serves through the custom metrics API (a metrics adapter). */
  customMetrics?: string[];
  /** The metric names it serves through the external metrics API. */
  externalMetrics?: string[];
  /**
   * The cluster-wide Prometheus and Alertmanager it runs: they load every namespace's monitors, PrometheusRules and
   * AlertmanagerConfigs except those carrying label `leavesOut` (a platform's own Prometheus loads those).
   */
  clusterMonitoring?: { leavesOut: string };
  /**
   * The external-dns sources it reads records from (`ingress`, `service`, `crd`, `istio-gateway`, ...): an object
   * asking external-dns for a name must be of one of these kinds (rule `dns-sources`).
   */
  dnsSources?: string[];
  /**
   * The `--annotation-filter` that external-dns runs with (a label selector over annotations): it skips every object
   * the filter does not match (rule `global-dns`).
   */
  dnsAnnotationFilter?: string;
}

export interface ClusterCapabilities {
  /** The Kubernetes minor version the cluster runs, such as `1.33`: built-in APIs and fields are checked against it. */
  kubernetesVersion: string;
  /**
   * The Argo CD version that syncs Applications to this cluster (`major.minor`). Every cluster is registered with
   * the layer's Argo CD, so it must equal `argocdVersion` in `argocd/`; fields of the Applications, ApplicationSets
   * and projects that reach the cluster are checked against it.
   */
  argocdVersion: string;
  /** The CNI plugin, and whether it enforces NetworkPolicies (an unenforced policy is silently no protection). */
  cni: { name: string; networkPolicy: boolean };
  /**
   * What the cluster runs that Manifold does not manage (installed by another team or tool), by capability name:
   * `istio`, `istio-cni`, `default-storage-class`, `cert-manager`, `external-secrets`, `prometheus-operator`, `vpa`,
   * `metrics-server`, `custom-metrics`, `external-metrics`, `ingress-nginx`, `gateway-api`, `cloudnative-pg`,
   * `velero`, `external-dns`. Each serves the APIs the catalogue (`compiler/describe/capabilities.ts`) lists.
   */
  provided: Capability[];
  /** The metrics the custom metrics API serves for HPAs' `Pods` and `Object` metrics, by name. */
  customMetrics?: string[];
  /** The metrics the external metrics API serves for HPAs' `External` metrics, by name. */
  externalMetrics?: string[];
}

/**
 * A region's secret store: AWS Secrets Manager, read by the External Secrets Operator. Each platform gets a
 * namespaced `SecretStore` that authenticates as the platform's own ServiceAccount, bound (IRSA) to the IAM role
 * `<roleArnPrefix><environment>-<platform>`, whose policy allows only the keys under `<environment>/<platform>/`.
 * So no platform can read another's secrets, in Kubernetes (a namespaced store) or in AWS (one role each).
 */
export interface SecretStoreDescription {
  provider: "aws-secrets-manager";
  /** The AWS region holding the secrets. */
  awsRegion: string;
  /** The ARN of the platforms' IAM roles up to the role name's suffix, e.g. `arn:aws:iam::<account>:role/secrets-`. */
  roleArnPrefix: string;
}

/** An S3-compatible object store bucket a region keeps its backups in. */
export interface ObjectStoreDescription {
  bucket: string;
  /** A key prefix inside the bucket; `<environment>/<platform>` follows it. */
  path?: string;
  /** The bucket's region, e.g. `us-west-2`. */
  region: string;
  /** The S3 endpoint; `https://s3.<region>.amazonaws.com` when omitted. Must be https. */
  endpoint?: string;
  /**
   * The Secret holding `access-key-id` and `secret-access-key`, made in each platform namespace by an ExternalSecret
   * from the region's secret store. The key must also read the other regions' buckets (replica clusters do).
   */
  credentials: string;
}

export interface RegionDescription {
  name: string;
  role: RegionRole;
  /** Where this region's secrets live; every platform gets its own SecretStore that reads only its own secrets. */
  secretStore: SecretStoreDescription;
  /** Where the region's stores send backups and archived WAL; replica clusters in other regions read it. */
  backups?: ObjectStoreDescription;
  /** One cluster per environment, keyed by environment name. */
  clusters: Record<string, ClusterDescription>;
  /**
   * Step one of a planned switchover, on the primary region only: the region its CloudNativePG databases hand the
   * primary role to. They are demoted (shut down cleanly, their last WAL archived, a demotion token written to each
   * Cluster's `status.demotionToken`) and follow that region, which stays a replica until step two moves `role:
   * "primary"` to it together with its `promotionTokens`.
   */
  handover?: string;
  /**
   * Step two of a planned switchover, on the new primary region: each database's demotion token, read from the old
   * primary's Cluster (`status.demotionToken`), keyed `<environment>/<platform>/<component>`. CloudNativePG promotes
   * the replica only once it has replayed the WAL up to the token. A database without a token (a region lost, no
   * token to read) is promoted at once, from the WAL it has.
   */
  promotionTokens?: Record<string, string>;
  /** Applied to every platform in this region; sets `REGION` in the platform ConfigMap, for instance. */
  overrides?: LayerOverride;
}

/** One step of a progressive rollout: the Applications on clusters of these region roles. */
export interface RolloutStep {
  roles: RegionRole[];
  /**
   * How many of the step's Applications sync at once: a count or a percentage
   * such as `50%`. Argo CD's default is 100%.
   */
  maxUpdate?: number | string;
}

/**
 * How an environment's Applications roll out. `AllAtOnce`: each Application
 * syncs on its own (automated, if the environment asks for it). `RollingSync`:
 * the ApplicationSet controller syncs them step by step, waiting for each step
 * to be Healthy (default: primary, then secondary, then tertiary). An
 * Application whose stores follow another region's, or whose schema another
 * region's migration changes, must be in a later step (a compile error
 * otherwise); an environment whose regions depend on each other so needs
 * RollingSync.
 */
export type RolloutPolicy = { type: "AllAtOnce" } | { type: "RollingSync"; steps?: RolloutStep[] };

/** The Argo CD policy of one environment. */
export interface EnvironmentSyncPolicy {
  /**
   * Automated sync; `false` for manual syncs. With RollingSync it is rendered
   * switched off (`enabled: false`, Argo CD 3.3 or later; left out before):
   * the ApplicationSet controller triggers each sync itself (pruning when
   * `prune` is set, where the controller reads it from a disabled policy),
   * and nothing syncs while progressive syncs are off.
   */
  automated: { prune: boolean; selfHeal: boolean } | false;
  rollout: RolloutPolicy;
  /** Keep the running objects when an Application or ApplicationSet is deleted. */
  preserveResourcesOnDeletion: boolean;
}

/** Retry of a failed sync, with exponential backoff. */
export interface SyncRetry {
  limit: number;
  backoff: { duration: string; factor: number; maxDuration: string };
}

/** The description of the Argo CD layer on the management cluster (`argocd/`). */
export interface ArgoCdDescription {
  /** The Argo CD version the management cluster runs (`major.minor`, 3.0 or later); a field it lacks is an error. */
  argocdVersion: string;
  /** The git repository the rendered tree is published to. */
  repoURL: string;
  /** The branch holding the rendered tree; Applications track it. */
  branch: string;
  /** Argo CD's namespace on the management cluster. */
  namespace: string;
  /** Per environment, keyed by environment name: every environment needs one. */
  environments: Record<string, EnvironmentSyncPolicy>;
  retry: SyncRetry;
  /**
   * Where cluster credentials come from: a secret store on the management
   * cluster and the key prefix of each cluster's entry.
   */
  clusterCredentials: {
    secretStore: { kind: "ClusterSecretStore" | "SecretStore"; name: string };
    keyPrefix: string;
    refreshInterval: string;
  };
  /** SSO groups bound to each platform project's roles. */
  roles: { readOnly: string[]; ciSync: string[] };
  /** The shared Grafana of each cluster, at `https://<host>.<ingress domain><path>`; linked from Applications of platforms that ship dashboards or metrics. */
  grafana?: { host: string; path?: string };
  /** The names of the bootstrap (app-of-apps) Application and its project. */
  bootstrap: { application: string; project: string };
}

/** Where a cluster add-on's Helm chart comes from. */
export interface ChartSource {
  /** The chart repository: `https://…` (an HTTP Helm repository) or `oci://<registry>/<path>`. */
  repository: string;
  /** The chart's name in the repository. */
  chart: string;
  /** The exact chart version (no range): what Argo CD installs, or what the vendored package must be. */
  version: string;
  /**
   * For a hydrated add-on: the packaged chart (`helm package` output, a `.tgz`) kept in this repository, by path
   * from the project root, and its sha256 digest (`sha256:<hex>`). The compile refuses a package whose digest or
   * version differs.
   */
  vendored?: { path: string; digest: string };
}

/**
 * How Argo CD gets a chart onto the cluster: `helm-source` (the Application names the chart repository and version
 * and carries the values as `valuesObject`; nothing is downloaded at compile time) or `hydrated` (Manifold runs
 * `helm template` on the vendored chart and writes its objects into `rendered/` like any other).
 */
export type AddonDelivery = "helm-source" | "hydrated";

/** A ClusterIssuer of cert-manager: ACME with DNS-01 through Route 53 (no solver pods, nothing to let in). */
export interface ClusterIssuerSpec {
  /** The ACME directory, e.g. Let's Encrypt's production one. */
  server: string;
  /** Where the CA sends expiry notices. */
  email: string;
  /** Route 53 DNS-01 with the cert-manager service account's credentials (IRSA); `region`: the cluster's by default. */
  route53: { region?: string; hostedZoneID?: string };
}

/** A CA ClusterIssuer whose key pair external-secrets reads from AWS Secrets Manager. */
export interface CaIssuerSpec {
  /** The ServiceAccount whose web identity (IRSA) reads the key pair; the store and Secret live in its namespace. */
  serviceAccount: { name: string; namespace: string };
}

/** A ClusterSecretStore of external-secrets backed by AWS. */
export interface ClusterSecretStoreSpec {
  service: "SecretsManager" | "ParameterStore";
  /** Defaults to the cluster's region. */
  region?: string;
  /** The service account whose web identity (IRSA) reads the secrets. */
  serviceAccount: { name: string; namespace: string };
  /** Namespaces (by label selector) allowed to use the store; every namespace when absent. */
  namespaceSelector?: Record<string, string>;
}

/** A StorageClass owned by the cluster; `default: true` marks the class claims without a class get. */
export interface ClusterStorageClass extends StorageClassSpec {
  default?: boolean;
}

/** Fields Argo CD does not compare, on the objects of one kind (and name). */
export interface IgnoredDifference {
  group: string;
  kind: string;
  name?: string;
  /** jq path expressions, e.g. `.webhooks[]?.failurePolicy`. */
  jqPathExpressions?: string[];
  jsonPointers?: string[];
}

/** What an environment, region or target changes of an add-on. */
export interface AddonLayer {
  /** Merged over the values below it: objects key by key, anything else (lists too) replaced. */
  values?: Record<string, unknown>;
  /** `false` leaves the add-on off the clusters this layer reaches. */
  enabled?: boolean;
}

/**
 * A cluster add-on: what every cluster of the environments it runs in gets before any platform, as a Helm chart
 * and/or cluster-wide objects. The file under `addons/` is named after it.
 */
export interface AddonDescription {
  name: string;
  description?: string;
  /** The chart; an add-on without one only renders its cluster-wide objects. */
  chart?: ChartSource;
  /** Default `helm-source`. */
  delivery?: AddonDelivery;
  /** The namespace the chart's release is installed in (created by Argo CD). */
  namespace?: string;
  /** The chart's values (layered by `environments`, `regions` and `targets`). */
  values?: Record<string, unknown>;
  /** The CRDs the chart installs, as `<group>/<Kind>`: objects of these kinds wait for this add-on. */
  provides?: string[];
  /**
   * What the add-on gives every cluster it runs on, in the capability contract's terms (`cloudnative-pg`,
   * `custom-metrics` and the metric names it serves…): a managed add-on joins the contract, so region files list in
   * `capabilities.provided` only what Manifold does not install. An add-on with a default StorageClass provides
   * `default-storage-class` without saying so.
   */
  capabilities?: AddonCapabilities;
  /** Add-ons that must be Healthy before this one syncs (besides the providers of the kinds it uses). */
  dependsOn?: string[];
  /** The kinds (`<group>/<Kind>`) the chart's own objects create, which another add-on provides. */
  uses?: string[];
  /** StorageClasses, by name. */
  storageClasses?: Record<string, ClusterStorageClass>;
  /** cert-manager ClusterIssuers, by name. */
  clusterIssuers?: Record<string, ClusterIssuerSpec>;
  /**
   * cert-manager CA ClusterIssuers, by name: each signs with a CA key pair kept in AWS Secrets Manager under
   * `<environment>/cluster/<name>` (keys `tls.crt`, `tls.key`), the same pair in every region of an environment, so a
   * certificate one region issues is trusted by the others (the stores' cross-region TLS).
   */
  caIssuers?: Record<string, CaIssuerSpec>;
  /** external-secrets ClusterSecretStores, by name. */
  secretStores?: Record<string, ClusterSecretStoreSpec>;
  /**
   * Fields of the chart's objects that a controller changes after the sync (a webhook's `failurePolicy` patched by
   * istiod, a `caBundle` injected by cert-manager): Argo CD leaves them alone (`RespectIgnoreDifferences=true`).
   */
  ignoreDifferences?: IgnoredDifference[];
  /** The environments whose clusters run it; every environment when absent. */
  runsIn?: string[];
  environments?: Record<string, AddonLayer>;
  regions?: Record<string, AddonLayer>;
  /** Keyed `<environment>/<region>`. */
  targets?: Record<string, AddonLayer>;
}
