/**
 * The description language: plain, typed data. Platforms, environments and
 * regions are values of these types; the helpers in this folder only fill in
 * a discriminator and defaults, they have no side effects.
 */
import type { PolicyLevel, PolicyRule } from "./policy.ts";

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
 * Which image contract a postgres store speaks: `bitnami` (the default:
 * `POSTGRESQL_*` variables, streaming replication across regions) or
 * `official` (`POSTGRES_USER`/`POSTGRES_PASSWORD`/`POSTGRES_DB`, as the
 * official and supabase images take: one standalone server per region).
 */
export type PostgresFlavor = "bitnami" | "official";

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
  /** The image contract (postgres only); `bitnami` when omitted. */
  flavor?: PostgresFlavor;
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
  severity: "critical" | "warning" | "info";
  summary: string;
  description?: string;
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
  /**
   * The IPv4 ranges (CIDR) this cluster's pods and nodes send from, as other regions' clusters see them (the VPC's
   * ranges). The primary region admits exactly these ranges to the stores that other regions replicate from or write
   * to, and other regions' clients send to the primary's ranges: every region of an environment that runs a
   * cross-region store needs them.
   */
  networks?: string[];
}

export interface RegionDescription {
  name: string;
  role: RegionRole;
  /** The ClusterSecretStore external-secrets reads from in this region. */
  secretStore: string;
  /** One cluster per environment, keyed by environment name. */
  clusters: Record<string, ClusterDescription>;
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
 * to be Healthy; it turns automated sync off on the Applications it generates
 * (keeping `automated.prune` for the syncs it triggers).
 */
export type RolloutPolicy = { type: "AllAtOnce" } | { type: "RollingSync"; steps?: RolloutStep[] };

/** The Argo CD policy of one environment. */
export interface EnvironmentSyncPolicy {
  /**
   * Automated sync; `false` for manual syncs. With RollingSync the
   * ApplicationSet controller removes it from the Applications and triggers
   * each sync itself, pruning when `prune` is set.
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
