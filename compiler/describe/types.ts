/**
 * The description language: plain, typed data. Platforms, environments and
 * regions are values of these types; the helpers in this folder only fill in
 * a discriminator and defaults, they have no side effects.
 */

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

/** The in-cluster URL of another component, resolved at build time: `scheme://name:port/path`. */
export interface UrlRef {
  kind: "url";
  component: string;
  scheme: string;
  /** A port name; the component's first port when omitted. */
  port?: string;
  path?: string;
}

export type EnvValue = string | SecretRef | UrlRef;

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

/** One RBAC rule the component's ServiceAccount is granted in its namespace (a Role and RoleBinding). */
export interface AccessRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

/** What every workload component has. */
export interface WorkloadFields {
  image: string;
  replicas: number;
  resources: Resources;
  env?: Record<string, EnvValue>;
  dependsOn?: string[];
  /** The PodDisruptionBudget; `false` for none. Defaults to `maxUnavailable: 1` where the environment asks for budgets. */
  disruption?: Disruption | false;
  /** A one-line description, shown in the target README. */
  description?: string;
  /** Scrape this component with Prometheus. */
  metrics?: Metrics;
  /** Kubernetes API access for the component's ServiceAccount; mounting its token follows. */
  access?: AccessRule[];
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
}

export type StoreEngine = "postgres" | "redis" | "qdrant";

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
}

export type Component = ServiceComponent | StoreComponent;

type DeepPartial<T> = T extends (infer U)[] ? U[] : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

/** The fields a layer may override on a component. */
export type ComponentOverride = DeepPartial<Omit<ServiceComponent, "type"> & Omit<StoreComponent, "type" | "engine">>;

/** What one layer (environment, region, target) changes in a platform. */
export interface LayerOverride {
  /** Entries merged into the platform ConfigMap. */
  config?: Record<string, EnvValue>;
  /** Applied to every component that has the field (they refine, they never create object fields). */
  defaults?: ComponentOverride;
  /** Applied to one component by name. */
  components?: Record<string, ComponentOverride>;
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
   * min-replicas, pdb-allows-drain, hpa.
   */
  rules?: Partial<Record<PolicyRule, PolicyLevel>>;
}

/** How strictly an environment applies a policy rule. */
export type PolicyLevel = "off" | "warning" | "error";

/** The validation rules an environment may relax. */
export type PolicyRule = "requests-limits" | "probes" | "pinned-images" | "restricted-pods" | "min-replicas" | "pdb-allows-drain" | "hpa";

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
