/**
 * Run-time shapes of the description language, so a JavaScript user or a bad
 * cast gets an error naming the file and the field. Each shape is typed by the
 * type in `types.ts` it checks (`object<SecretRef>({...})`): a field added to,
 * removed from or made optional in one and not the other fails the type check.
 */
import {
  anything,
  bool,
  dnsLabel,
  either,
  int,
  list,
  num,
  object,
  omit,
  oneOf,
  optional,
  partial,
  port,
  quantity,
  record,
  refine,
  rejects,
  str,
  type Fields,
  type Shape,
} from "../check/shape.ts";
import { compareQuantities } from "../quantity.ts";
import { POLICY_RULES } from "./policy.ts";
import { CAPABILITY_NAMES } from "./capabilities.ts";
import type {
  AccessRule,
  AddonCapabilities,
  AddonDescription,
  AddonLayer,
  CaIssuerSpec,
  ChartSource,
  ClusterIssuerSpec,
  ClusterSecretStoreSpec,
  ClusterStorageClass,
  IgnoredDifference,
  AlertingDescription,
  AlertRule,
  AlertThresholds,
  AlertTuning,
  ArgoCdDescription,
  Autoscale,
  CircuitBreaking,
  ClusterCapabilities,
  ClusterDescription,
  Component,
  ComponentOverride,
  ConfigRef,
  Disruption,
  EnvironmentDescription,
  EnvironmentSyncPolicy,
  EnvValue,
  HttpProbe,
  IngressUrlRef,
  LayerOverride,
  Mesh,
  MeshRoute,
  Metrics,
  MigrationDescription,
  ObjectStoreDescription,
  NotificationDescription,
  PatchRule,
  PlatformDescription,
  Probes,
  PrometheusStack,
  RecordingRule,
  RequestMetrics,
  SloDescription,
  RegionDescription,
  ResourceAmounts,
  Resources,
  RolloutPolicy,
  RolloutStep,
  SecretRef,
  SecretStoreDescription,
  ServiceComponent,
  SmokeTestDescription,
  StorageClassSpec,
  StoreBackup,
  StoreComponent,
  UrlRef,
  VerticalScaling,
  VolumeSpec,
  WorkloadFields,
} from "./types.ts";

const secretRef = object<SecretRef>({
  kind: oneOf("secret"),
  name: dnsLabel,
  key: str(/^[-._a-zA-Z0-9]+$/, "a Secret key (letters, digits, '-', '_' and '.')"),
});
const urlRef = object<UrlRef>({
  kind: oneOf("url"),
  component: str(),
  scheme: optional(str(/^[a-z][a-z0-9+.-]*$/, "a URL scheme")),
  port: optional(str()),
  path: optional(str()),
});
const configRef = object<ConfigRef>({ kind: oneOf("config"), key: str(/^[-._a-zA-Z0-9]+$/, "a ConfigMap key") });
/** A host prefix under the region's ingress domain: DNS labels joined by dots, e.g. `api.multi-agent`. */
const hostPrefix = str(
  /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/,
  "a host name prefix such as api or api.multi-agent",
);
const ingressUrlRef = object<IngressUrlRef>({
  kind: oneOf("ingress-url"),
  host: hostPrefix,
  path: optional(str(/^\//, "a path starting with '/'")),
});
const REFS = { secret: secretRef, url: urlRef, config: configRef, "ingress-url": ingressUrlRef };
const refKind = rejects(object<{ kind: string }>({ kind: oneOf(...Object.keys(REFS)) }));

const envValue: Shape<EnvValue> = either((v) => {
  const kind = typeof v === "object" && v !== null ? (v as { kind?: unknown }).kind : undefined;
  if (typeof kind === "string" && Object.hasOwn(REFS, kind)) return REFS[kind as keyof typeof REFS];
  if (typeof v === "object" && v !== null) return refKind;
  return str();
});
const envName = str(/^[-._a-zA-Z][-._a-zA-Z0-9]*$/, "an environment variable name");
const envMap = record(envValue, envName);

const amounts = object<ResourceAmounts>({ cpu: optional(quantity), memory: optional(quantity) });
const resources = refine(object<Resources>({ requests: optional(amounts), limits: optional(amounts) }), (r) => {
  for (const res of ["cpu", "memory"] as const) {
    const req = r.requests?.[res];
    const lim = r.limits?.[res];
    if (req !== undefined && lim !== undefined && compareQuantities(req, lim) > 0)
      return `requests.${res} (${req}) must not exceed limits.${res} (${lim})`;
  }
  return undefined;
});

const percent = int(1, 100);
const autoscale = refine(
  object<Autoscale>({
    min: int(1),
    max: int(1),
    cpu: optional(percent),
    memory: optional(percent),
    metrics: optional(
      list(object({ name: str(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, "a metric name"), averageValue: quantity })),
    ),
  }),
  (a) => (a.min > a.max ? `min (${a.min}) must not be above max (${a.max})` : undefined),
);
const autoscaleOrOff = either((v) => (v === false ? oneOf(false) : autoscale));

const probe = object<HttpProbe>({
  path: str(/^\//, "a path starting with '/'"),
  port: optional(str()),
  initialDelaySeconds: optional(int(0)),
  periodSeconds: optional(int(1)),
  timeoutSeconds: optional(int(1)),
  failureThreshold: optional(int(1)),
});
const probeOrOff = either((v) => (v === false ? oneOf(false) : probe));
const probes = object<Probes>({
  liveness: optional(probeOrOff),
  readiness: optional(probeOrOff),
  startup: optional(probeOrOff),
});

const disruption = refine(
  object<Disruption>({ minAvailable: optional(int(0)), maxUnavailable: optional(int(1)) }),
  (d) =>
    d.minAvailable !== undefined && d.maxUnavailable !== undefined
      ? "set minAvailable or maxUnavailable, not both"
      : undefined,
);
const disruptionOrOff = either((v) => (v === false ? oneOf(false) : disruption));
const intOrPercent = either((v) =>
  typeof v === "number" ? int(0) : str(/^\d+%$/, "an integer or a percentage like 25%"),
);

const image = str(
  /^[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$/,
  "an image reference like registry/name:tag",
);

const duration = str(/^(\d+(ms|s|m|h))+$/, "a duration such as 15s or 1m");
const metricName = str(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, "a metric name");
const requestMetrics = object<RequestMetrics>({
  counter: metricName,
  errors: str(/^[a-zA-Z_][a-zA-Z0-9_]*\s*(=|!=|=~|!~)\s*"[^"]*"$/, 'a label matcher such as status=~"5.."'),
  histogram: optional(metricName),
});
const metrics = object<Metrics>({
  port: optional(str()),
  path: optional(str(/^\//, "a path starting with '/'")),
  interval: optional(duration),
  requests: optional(requestMetrics),
});
const alertThresholds = partial<AlertThresholds>({
  errorRatio: num(0, 1, true),
  latencySeconds: num(0, 3600, true),
  saturation: num(0, 1, true),
  replicationLagSeconds: num(0, 86400, true),
  backupAgeHours: num(0, 8760, true),
  backupIntervals: num(1, 100),
  diskFullHours: num(0, 8760, true),
  consumerPending: int(1),
  restarts: int(1),
});
const alertNameShape = str(/^[A-Za-z_][A-Za-z0-9_]*$/, "an alert name (letters, digits, '_')");
const alertTuningFields = {
  thresholds: optional(object<Partial<AlertThresholds>>(alertThresholds)),
  off: optional(list(alertNameShape, { min: 1 })),
};
const alertTuning = object<AlertTuning>(alertTuningFields);
const accessRule = object<AccessRule>({
  apiGroups: list(str()),
  resources: list(str(), { min: 1 }),
  verbs: list(oneOf("get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"), { min: 1 }),
  resourceNames: optional(list(str())),
});

const verticalScaling = object<VerticalScaling>({
  mode: oneOf("Off", "Initial", "Recreate", "Auto"),
  min: optional(amounts),
  max: optional(amounts),
});
const verticalScalingOrOff = either((v) => (v === false ? oneOf(false) : verticalScaling));

const workloadFields: Fields<WorkloadFields> = {
  image,
  replicas: int(0),
  resources,
  env: optional(envMap),
  dependsOn: optional(list(str())),
  disruption: optional(disruptionOrOff),
  description: optional(str()),
  metrics: optional(metrics),
  waive: optional(record(str(/\S/, "a reason"), str(/^[a-z][a-z0-9-]*$/, "a rule name"))),
  access: optional(list(accessRule)),
  egress: optional(object({ https: optional(bool) })),
  verticalScaling: optional(verticalScalingOrOff),
};

const portMap = refine(record(port, dnsLabel), (ports) => {
  const names = Object.keys(ports);
  if (names.length === 0) return "must name at least one port";
  for (const n of names) if (n.length > 15) return `port name "${n}" must be at most 15 characters`;
  const seen = new Map<number, string>();
  for (const [n, p] of Object.entries(ports)) {
    if (seen.has(p)) return `ports "${seen.get(p)}" and "${n}" both use ${p}`;
    seen.set(p, n);
  }
  return undefined;
});

const serviceFields: Fields<ServiceComponent> = {
  type: oneOf("service"),
  ...workloadFields,
  ports: portMap,
  autoscale: optional(autoscaleOrOff),
  probes: optional(probes),
  expose: optional(
    object({ host: dnsLabel, path: optional(str(/^\//, "a path starting with '/'")), port: optional(str()) }),
  ),
  rollout: optional(object({ maxSurge: intOrPercent, maxUnavailable: intOrPercent })),
  serviceAccountToken: optional(bool),
  command: optional(list(str())),
  args: optional(list(str())),
  writablePaths: optional(list(str(/^\//, "an absolute path"))),
  useConfig: optional(bool),
  configMap: optional(envMap),
  files: optional(
    record(
      record(str(), str(/^[-._a-zA-Z0-9]+$/, "a file name (letters, digits, '-', '_' and '.')")),
      str(/^\/[-._a-zA-Z0-9/]*$/, "an absolute directory path"),
    ),
  ),
};

const storeBackup = object<StoreBackup>({
  schedule: str(/^\S+( \S+){4}$/, "a five-field cron expression such as `0 2 * * *`"),
  retentionDays: int(1, 3650),
  restoreFrom: optional(dnsLabel),
  volume: optional(dnsLabel),
});

const storeFields: Fields<StoreComponent> = {
  type: oneOf("store"),
  engine: oneOf("postgres", "redis", "qdrant", "nats", "neo4j"),
  ...workloadFields,
  storage: quantity,
  storageClass: optional(dnsLabel),
  password: optional(secretRef),
  database: optional(str(/^[a-z_][a-z0-9_]*$/, "a database name")),
  user: optional(str(/^[a-z_][a-z0-9_]*$/, "a user name")),
  flavor: optional(oneOf("cloudnative-pg", "official")),
  persistence: optional(oneOf("aof", "rdb", "aof+rdb")),
  backup: optional(either((v) => (v === false ? oneOf(false) : storeBackup))),
  initScripts: optional(
    record(str(), str(/^[-_a-zA-Z0-9]+\.(sql|sh|sql\.gz)$/, "a script file name ending in .sql, .sql.gz or .sh")),
  ),
  loadBalancer: optional(
    object({
      port: optional(str()),
      internal: optional(bool),
      sourceRanges: list(str(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, "an IPv4 CIDR such as 10.0.0.0/8"), { min: 1 }),
    }),
  ),
};

const store = object<StoreComponent>(storeFields);
const service = object<ServiceComponent>(serviceFields);

/** Shape of one component, chosen by its `type`. */
export const componentShape: Shape<Component> = either((v) => {
  const type = typeof v === "object" && v !== null ? (v as { type?: unknown }).type : undefined;
  if (type === "store") return store;
  if (type === "service") return service;
  // without a known type the other fields mean nothing yet: report the type alone
  return rejects((value, path, problems) => {
    if (typeof value !== "object" || value === null || Array.isArray(value))
      return void problems.push({ path, message: `must be a component such as service({...}) or postgres({...})` });
    const at = path ? `${path}.type` : "type";
    if (type === undefined)
      problems.push({
        path: at,
        message: 'is required: "service" or "store" (build components with service(), postgres(), redis() or qdrant())',
      });
    else oneOf("service", "store")(type, at, problems);
  });
});

const amountsPartial = object<ResourceAmounts>({ cpu: optional(quantity), memory: optional(quantity) });
const overrideFields: Fields<ComponentOverride> = {
  ...partial(omit(serviceFields, "type")),
  ...partial(omit(storeFields, "type", "engine")),
  resources: optional(object({ requests: optional(amountsPartial), limits: optional(amountsPartial) })),
  autoscale: optional(
    either((v) =>
      v === false
        ? oneOf(false)
        : object<Partial<Autoscale>>(
            partial<Autoscale>({
              min: int(1),
              max: int(1),
              cpu: optional(percent),
              memory: optional(percent),
              metrics: optional(list(object({ name: str(), averageValue: quantity }))),
            }),
          ),
    ),
  ),
  probes: optional(probes),
};
const componentOverride = object<ComponentOverride>(overrideFields);

/** Shape of an environment, region or target layer. */
export const layerShape = object<LayerOverride>({
  config: optional(envMap),
  defaults: optional(componentOverride),
  components: optional(record(componentOverride)),
  volumes: optional(
    record(
      object({
        storage: optional(quantity),
        storageClass: optional(dnsLabel),
        accessModes: optional(
          list(oneOf("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"), { min: 1 }),
        ),
        description: optional(str()),
      }),
    ),
  ),
  alerting: optional(alertTuning),
});

const patchRule = object<PatchRule>({
  target: object({ kind: str(), name: str() }),
  environments: optional(list(str())),
  regions: optional(list(str())),
  ops: list(
    object({
      op: oneOf("add", "remove", "replace", "move", "copy", "test"),
      path: either((v) => (Array.isArray(v) ? list(str()) : str(/^(\/.*)?$/, "a JSON pointer like /spec/template"))),
      value: optional(anything),
      from: optional(str()),
    }),
    { min: 1 },
  ),
});

const migrations = object<MigrationDescription>({
  image,
  command: list(str(), { min: 1 }),
  args: optional(list(str())),
  env: optional(envMap),
  dependsOn: list(str(), { min: 1 }),
  resources: optional(resources),
  backoffLimit: optional(int(0, 10)),
  deadlineSeconds: optional(int(30)),
});
const smokeTest = object<SmokeTestDescription>({ image: optional(image), deadlineSeconds: optional(int(30)) });
const notify = object<NotificationDescription>({ webhook: secretRef, image: optional(image) });
const storageClass = object<StorageClassSpec>({
  provisioner: str(/^[a-z0-9]([-a-z0-9./]*[a-z0-9])?$/, "a provisioner name like ebs.csi.aws.com"),
  parameters: optional(record(str())),
  reclaimPolicy: optional(oneOf("Delete", "Retain")),
  volumeBindingMode: optional(oneOf("Immediate", "WaitForFirstConsumer")),
  allowVolumeExpansion: optional(bool),
});
const volume = object<VolumeSpec>({
  storage: quantity,
  storageClass: optional(dnsLabel),
  accessModes: optional(list(oneOf("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"), { min: 1 })),
  description: optional(str()),
});
const meshRoute = object<MeshRoute>({
  component: str(),
  port: optional(str()),
  prefix: optional(str(/^\//, "a path starting with '/'")),
  timeout: optional(duration),
  retries: optional(object({ attempts: int(1), perTryTimeout: duration, retryOn: optional(str()) })),
});
const circuitBreaking = object<CircuitBreaking>({
  maxConnections: optional(int(1)),
  maxPendingRequests: optional(int(1)),
  maxRequests: optional(int(1)),
  maxRequestsPerConnection: optional(int(1)),
  consecutive5xxErrors: optional(int(1)),
  interval: optional(duration),
  baseEjectionTime: optional(duration),
  maxEjectionPercent: optional(int(1, 100)),
  loadBalancer: optional(oneOf("ROUND_ROBIN", "LEAST_REQUEST", "RANDOM")),
});
const mesh = object<Mesh>({
  mtls: oneOf("STRICT", "PERMISSIVE"),
  gateway: optional(object({ host: dnsLabel, credentialName: dnsLabel, routes: list(meshRoute, { min: 1 }) })),
  circuitBreaking: optional(record(circuitBreaking)),
  authorization: optional(bool),
  trustDomain: optional(str(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "a DNS domain")),
});
const alertRule = object<AlertRule>({
  alert: alertNameShape,
  expr: str(/\S/, "a PromQL expression"),
  for: optional(duration),
  severity: oneOf("critical", "warning", "info"),
  summary: str(),
  description: optional(str()),
  runbook: optional(str(/^https:\/\/\S+$/, "an https:// URL")),
});
const recordingRule = object<RecordingRule>({
  record: str(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, "a metric name"),
  expr: str(/\S/, "a PromQL expression"),
});
const prometheusStack = object<PrometheusStack>({
  prometheus: object({
    version: str(/^v\d+\.\d+\.\d+$/, "a version like v2.55.1"),
    replicas: int(1),
    retention: str(/^\d+[smhdwy]$/, "a retention like 15d"),
    storage: quantity,
    storageClass: optional(dnsLabel),
    resources,
    scrapeInterval: optional(duration),
  }),
  alertmanager: object({
    version: str(/^v\d+\.\d+\.\d+$/, "a version like v0.27.0"),
    replicas: int(1),
    storage: quantity,
    storageClass: optional(dnsLabel),
    resources,
  }),
  queriedBy: optional(list(str())),
});
const email = str(/^[^\s@]+@[^\s@]+$/, "an email address");
const alerting = object<AlertingDescription>({
  ...alertTuningFields,
  receivers: refine(
    object<AlertingDescription["receivers"]>({
      email: optional(
        object({
          to: email,
          from: email,
          smarthost: str(/^[a-z0-9.-]+:\d+$/, "a host:port such as smtp.example.com:587"),
          username: str(/\S/, "an SMTP user name"),
          password: secretRef,
        }),
      ),
      slack: optional(object({ channel: str(/^#[-_a-z0-9]+$/, "a channel such as #alerts"), webhook: secretRef })),
      pagerduty: optional(object({ routingKey: secretRef })),
    }),
    (r) =>
      r.email || r.slack ? undefined : "must name an email or a Slack receiver (warning and info alerts go there)",
  ),
  runbooks: str(/^https:\/\/\S+[^/]$/, "an https:// URL without a trailing '/'"),
  grouping: optional(
    object({
      by: optional(list(str(/^[a-zA-Z_][a-zA-Z0-9_]*$/, "a label name"), { min: 1 })),
      wait: optional(duration),
      interval: optional(duration),
    }),
  ),
  repeat: optional(record(duration, oneOf("critical", "warning", "info"))),
});
const slo = object<SloDescription>({
  objective: num(0, 100, true),
  windowDays: optional(int(1, 365)),
  events: either((v) =>
    typeof v === "object" && v !== null && (v as { type?: unknown }).type === "probes"
      ? object<Extract<SloDescription["events"], { type: "probes" }>>({
          type: oneOf("probes"),
          success: str(/\S/, "a PromQL selector"),
        })
      : object<Extract<SloDescription["events"], { type: "requests" }>>({
          type: oneOf("requests"),
          total: str(/\S/, "a PromQL selector"),
          good: str(/\S/, "a PromQL selector"),
        }),
  ),
  summary: str(/\S/, "a one-line summary"),
});

/** Shape of a platform description. */
export const platformShape = object<PlatformDescription>({
  name: dnsLabel,
  namespace: dnsLabel,
  namePrefix: optional(str(/^[a-z0-9]([-a-z0-9]*-)?$/, "a lower-case prefix ending in '-'")),
  description: optional(str()),
  config: optional(envMap),
  components: refine(record(componentShape, dnsLabel), (c) =>
    Object.keys(c).length === 0 ? "must declare at least one component" : undefined,
  ),
  runsIn: optional(list(str(), { min: 1 })),
  environments: optional(record(layerShape)),
  regions: optional(record(layerShape)),
  targets: optional(record(layerShape, str(/^[a-z0-9-]+\/[a-z0-9-]+$/, "a key like production/eu-west-1"))),
  patches: optional(list(patchRule)),
  dashboards: optional(record(record(anything), dnsLabel)),
  migrations: optional(migrations),
  smokeTest: optional(either((v) => (v === false ? oneOf(false) : smokeTest))),
  notify: optional(notify),
  ingresses: optional(
    record(
      object({
        rules: list(
          object({
            host: hostPrefix,
            paths: list(
              object({
                path: optional(str(/^\//, "a path starting with '/'")),
                pathType: optional(oneOf("Prefix", "Exact")),
                component: str(),
                port: optional(str()),
              }),
              { min: 1 },
            ),
          }),
          { min: 1 },
        ),
        issuer: optional(dnsLabel),
        tlsSecret: optional(dnsLabel),
        annotations: optional(record(str())),
      }),
      dnsLabel,
    ),
  ),
  storageClasses: optional(record(storageClass, dnsLabel)),
  volumes: optional(record(volume, dnsLabel)),
  mesh: optional(mesh),
  alerts: optional(record(list(alertRule, { min: 1 }), dnsLabel)),
  recordingRules: optional(record(list(recordingRule, { min: 1 }), dnsLabel)),
  prometheusStack: optional(prometheusStack),
  alerting: optional(alerting),
  slos: optional(record(slo, dnsLabel)),
  tracing: optional(object({ collector: str(), ports: list(str(), { min: 1 }) })),
});

/** Shape of an environment description. */
export const environmentShape = object<EnvironmentDescription>({
  name: dnsLabel,
  displayName: optional(str()),
  regions: list(dnsLabel, { min: 1 }),
  policy: object({
    networkPolicies: bool,
    disruptionBudgets: bool,
    resourceQuota: bool,
    rules: optional(record(oneOf("off", "warning", "error"), oneOf(...POLICY_RULES))),
    registries: optional(
      list(str(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:\d+)?$/, "a registry host such as docker.io"), { min: 1 }),
    ),
    paging: optional(bool),
  }),
  overrides: optional(layerShape),
  globalDomain: optional(str(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "a DNS domain")),
  globalZoneId: optional(str(/^Z[A-Z0-9]{1,31}$/, "a Route 53 hosted zone ID such as Z0123456789ABCDEFGHIJ")),
});

const argocdVersion = str(/^3\.(0|[1-9]\d*)$/, 'an Argo CD 3.x version as major.minor, such as "3.3"');
const servedMetricName = str(/^[a-zA-Z_:][a-zA-Z0-9_:.-]*$/, "a metric name");
const capabilities = object<ClusterCapabilities>({
  kubernetesVersion: str(/^1\.(0|[1-9]\d*)$/, 'a Kubernetes version as major.minor, such as "1.33"'),
  argocdVersion,
  cni: object({ name: str(/^[-a-z0-9]+$/, "a CNI plugin name such as cilium"), networkPolicy: bool }),
  provided: list(oneOf(...CAPABILITY_NAMES)),
  customMetrics: optional(list(servedMetricName)),
  externalMetrics: optional(list(servedMetricName)),
});

const cluster = object<ClusterDescription>({
  name: dnsLabel,
  server: str(/^https:\/\/[^\s]+$/, "an https:// API server URL"),
  ingressDomain: str(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "a DNS domain"),
  serviceDomain: str(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "a DNS domain"),
  capabilities,
  networks: optional(list(str(/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/, "an IPv4 CIDR such as 10.20.0.0/16"), { min: 1 })),
});

/** Shape of a region description. */
export const regionShape = object<RegionDescription>({
  name: dnsLabel,
  role: oneOf("primary", "secondary", "tertiary"),
  secretStore: object<SecretStoreDescription>({
    provider: oneOf("aws-secrets-manager"),
    awsRegion: str(/^[a-z]{2}(-[a-z]+)+-\d$/, "an AWS region such as us-west-2"),
    roleArnPrefix: str(/^arn:aws[-a-z]*:iam::\d{12}:role\/[-+=,.@_/a-zA-Z0-9]*$/, "an IAM role ARN prefix"),
  }),
  backups: optional(
    object<ObjectStoreDescription>({
      bucket: str(/^[a-z0-9][-.a-z0-9]{1,61}[a-z0-9]$/, "an S3 bucket name"),
      path: optional(str(/^[-_.a-zA-Z0-9]+(\/[-_.a-zA-Z0-9]+)*$/, "a key prefix such as `manifold/backups`")),
      region: str(/^[a-z]{2}(-[a-z]+)+-\d$/, "a region such as us-west-2"),
      endpoint: optional(str(/^https:\/\/[^\s/]+$/, "an https:// endpoint URL without a path")),
      credentials: dnsLabel,
    }),
  ),
  clusters: record(cluster),
  handover: optional(dnsLabel),
  promotionTokens: optional(
    record(
      str(/^[A-Za-z0-9+/]+=*$/, "a demotion token (base64) from the old primary's status"),
      str(/^[a-z0-9-]+\/[a-z0-9-]+\/[-_a-zA-Z0-9]+$/, "`<environment>/<platform>/<component>`"),
    ),
  ),
  overrides: optional(layerShape),
});

const role = oneOf("primary", "secondary", "tertiary");
const rolloutStep = object<RolloutStep>({ roles: list(role, { min: 1 }), maxUpdate: optional(intOrPercent) });
const rollingSync = object<Extract<RolloutPolicy, { type: "RollingSync" }>>({
  type: oneOf("RollingSync"),
  steps: optional(list(rolloutStep, { min: 1 })),
});
const allAtOnce = object<Extract<RolloutPolicy, { type: "AllAtOnce" }>>({ type: oneOf("AllAtOnce") });
const rolloutType = rejects(object<{ type: RolloutPolicy["type"] }>({ type: oneOf("AllAtOnce", "RollingSync") }));
const rollout: Shape<RolloutPolicy> = either((v) => {
  const type = typeof v === "object" && v !== null ? (v as { type?: unknown }).type : undefined;
  if (type === "RollingSync") return rollingSync;
  if (type === "AllAtOnce") return allAtOnce;
  return rolloutType;
});
const automated = either((v) =>
  v === false
    ? oneOf(false)
    : object<Exclude<EnvironmentSyncPolicy["automated"], false>>({ prune: bool, selfHeal: bool }),
);
const syncPolicy = object<EnvironmentSyncPolicy>({ automated, rollout, preserveResourcesOnDeletion: bool });

/** Shape of the Argo CD layer description. */
export const argoCdShape = object<ArgoCdDescription>({
  argocdVersion,
  repoURL: str(/^(https:\/\/|ssh:\/\/|git@)[^\s]+$/, "a git URL (https://, ssh:// or git@)"),
  branch: str(/^[A-Za-z0-9][-A-Za-z0-9_./]*$/, "a branch name"),
  namespace: dnsLabel,
  environments: record(syncPolicy, dnsLabel),
  retry: object({ limit: int(0), backoff: object({ duration, factor: int(1), maxDuration: duration }) }),
  clusterCredentials: object({
    secretStore: object({ kind: oneOf("ClusterSecretStore", "SecretStore"), name: dnsLabel }),
    keyPrefix: str(/^[-A-Za-z0-9_./]+$/, "a key prefix such as argocd/clusters"),
    refreshInterval: duration,
  }),
  roles: object({ readOnly: list(str()), ciSync: list(str()) }),
  grafana: optional(object({ host: dnsLabel, path: optional(str(/^\//, "a path starting with '/'")) })),
  bootstrap: object({ application: dnsLabel, project: dnsLabel }),
});

const CHART_REPOSITORY = /^(https:\/\/[^\s]+|oci:\/\/[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)*)$/;
const EXACT_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
const GROUP_KIND = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?)?\/[A-Z][A-Za-z0-9]*$/;
const chartSource = object<ChartSource>({
  repository: str(CHART_REPOSITORY, "an https:// Helm repository or an oci:// registry path"),
  chart: str(/^[a-z0-9]([-a-z0-9._]*[a-z0-9])?$/, "a chart name"),
  version: str(EXACT_VERSION, "an exact chart version such as 1.18.2 (no range)"),
  vendored: optional(
    object<NonNullable<ChartSource["vendored"]>>({
      path: str(/^[^/].*\.tgz$/, "a path from the project root to a packaged chart (.tgz)"),
      digest: str(/^sha256:[0-9a-f]{64}$/, "sha256:<64 hex digits>"),
    }),
  ),
});
const clusterIssuer = object<ClusterIssuerSpec>({
  server: str(/^https:\/\//, "an https:// ACME directory URL"),
  email: str(/^[^@\s]+@[^@\s]+$/, "an email address"),
  route53: object<ClusterIssuerSpec["route53"]>({ region: optional(str()), hostedZoneID: optional(str()) }),
});
const clusterSecretStore = object<ClusterSecretStoreSpec>({
  service: oneOf("SecretsManager", "ParameterStore"),
  region: optional(str()),
  serviceAccount: object<ClusterSecretStoreSpec["serviceAccount"]>({ name: dnsLabel, namespace: dnsLabel }),
  namespaceSelector: optional(record(str())),
});
const clusterStorageClass = object<ClusterStorageClass>({
  provisioner: str(/^[a-z0-9]([-a-z0-9./]*[a-z0-9])?$/, "a provisioner name like ebs.csi.aws.com"),
  parameters: optional(record(str())),
  reclaimPolicy: optional(oneOf("Delete", "Retain")),
  volumeBindingMode: optional(oneOf("Immediate", "WaitForFirstConsumer")),
  allowVolumeExpansion: optional(bool),
  default: optional(bool),
});
const ignoredDifference = object<IgnoredDifference>({
  group: str(),
  kind: str(/^[A-Z][A-Za-z0-9]*$/, "a kind such as ValidatingWebhookConfiguration"),
  name: optional(str()),
  jqPathExpressions: optional(list(str(), { min: 1 })),
  jsonPointers: optional(list(str(/^\//, "a JSON pointer"), { min: 1 })),
});
const addonLayer = object<AddonLayer>({ values: optional(record(anything)), enabled: optional(bool) });
const groupKind = str(GROUP_KIND, "<group>/<Kind>, e.g. cert-manager.io/ClusterIssuer");

export const addonShape = refine(
  object<AddonDescription>({
    name: dnsLabel,
    description: optional(str()),
    chart: optional(chartSource),
    delivery: optional(oneOf("helm-source", "hydrated")),
    namespace: optional(dnsLabel),
    values: optional(record(anything)),
    provides: optional(list(groupKind)),
    capabilities: optional(
      object<AddonCapabilities>({
        provided: list(oneOf(...CAPABILITY_NAMES)),
        customMetrics: optional(list(servedMetricName)),
        externalMetrics: optional(list(servedMetricName)),
        clusterMonitoring: optional(object<{ leavesOut: string }>({ leavesOut: str(/^\S+$/, "a label key") })),
        dnsSources: optional(list(str(/^[a-z][a-z0-9-]*$/, "an external-dns source name"))),
        dnsAnnotationFilter: optional(str(/^\S.*$/, "an external-dns annotation filter (a label selector)")),
      }),
    ),
    dependsOn: optional(list(dnsLabel)),
    uses: optional(list(groupKind)),
    storageClasses: optional(record(clusterStorageClass, dnsLabel)),
    clusterIssuers: optional(record(clusterIssuer, dnsLabel)),
    caIssuers: optional(
      record(
        object<CaIssuerSpec>({
          serviceAccount: object<CaIssuerSpec["serviceAccount"]>({ name: dnsLabel, namespace: dnsLabel }),
        }),
        dnsLabel,
      ),
    ),
    secretStores: optional(record(clusterSecretStore, dnsLabel)),
    ignoreDifferences: optional(list(ignoredDifference, { min: 1 })),
    runsIn: optional(list(dnsLabel, { min: 1 })),
    environments: optional(record(addonLayer, dnsLabel)),
    regions: optional(record(addonLayer, dnsLabel)),
    targets: optional(record(addonLayer, str(/^[a-z0-9-]+\/[a-z0-9-]+$/, "<environment>/<region>"))),
  }),
  (a) => {
    if (a.chart && !a.namespace) return "an add-on with a chart needs a namespace for its release";
    if (a.delivery === "hydrated" && !a.chart?.vendored)
      return "a hydrated add-on needs chart.vendored (the packaged chart in this repository and its sha256 digest)";
    if (!a.chart && (a.values || a.delivery || a.provides?.length)) return "values, delivery and provides need a chart";
    return undefined;
  },
);
