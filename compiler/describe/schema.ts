/**
 * Run-time shapes of the description language, mirroring `types.ts`, so a
 * JavaScript user or a bad cast gets an error naming the file and the field.
 */
import { bool, dnsLabel, either, int, list, object, oneOf, optional, port, quantity, record, refine, str, type Shape } from "../check/shape.ts";
import { compareQuantities, isQuantity } from "../quantity.ts";
import { POLICY_RULES } from "../validate/policy.ts";

const secretRef = object({ kind: oneOf("secret"), name: dnsLabel, key: str(/^[-._a-zA-Z0-9]+$/, "a Secret key (letters, digits, '-', '_' and '.')") });
const urlRef = object({ kind: oneOf("url"), component: str(), scheme: str(/^[a-z][a-z0-9+.-]*$/, "a URL scheme"), port: optional(str()), path: optional(str()) });

const envValue: Shape = either((v) => {
  if (typeof v === "object" && v !== null && (v as { kind?: string }).kind === "secret") return secretRef;
  if (typeof v === "object" && v !== null && (v as { kind?: string }).kind === "url") return urlRef;
  return str();
});
const envName = str(/^[-._a-zA-Z][-._a-zA-Z0-9]*$/, "an environment variable name");
const envMap = record(envValue, envName);

const amounts = object({ cpu: optional(quantity), memory: optional(quantity) });
const resources = refine(object({ requests: optional(amounts), limits: optional(amounts) }), (r) => {
  for (const res of ["cpu", "memory"] as const) {
    const req = r.requests?.[res];
    const lim = r.limits?.[res];
    if (isQuantity(req) && isQuantity(lim) && compareQuantities(req, lim) > 0) return `requests.${res} (${req}) must not exceed limits.${res} (${lim})`;
  }
  return undefined;
});

const percent = int(1, 100);
const autoscale = refine(
  object({
    min: int(1),
    max: int(1),
    cpu: optional(percent),
    memory: optional(percent),
    metrics: optional(list(object({ name: str(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, "a metric name"), averageValue: quantity }))),
  }),
  (a) => (a.min > a.max ? `min (${a.min}) must not be above max (${a.max})` : undefined),
);
const autoscaleOrOff: Shape = either((v) => (v === false ? oneOf(false) : autoscale));

const probe = object({
  path: str(/^\//, "a path starting with '/'"),
  port: optional(str()),
  initialDelaySeconds: optional(int(0)),
  periodSeconds: optional(int(1)),
  timeoutSeconds: optional(int(1)),
  failureThreshold: optional(int(1)),
});
const probeOrOff: Shape = either((v) => (v === false ? oneOf(false) : probe));
const probes = object({ liveness: optional(probeOrOff), readiness: optional(probeOrOff), startup: optional(probeOrOff) });

const disruption = refine(object({ minAvailable: optional(int(0)), maxUnavailable: optional(int(1)) }), (d) =>
  d.minAvailable !== undefined && d.maxUnavailable !== undefined ? "set minAvailable or maxUnavailable, not both" : undefined,
);
const disruptionOrOff: Shape = either((v) => (v === false ? oneOf(false) : disruption));
const intOrPercent: Shape = either((v) => (typeof v === "number" ? int(0) : str(/^\d+%$/, "an integer or a percentage like 25%")));

const image = str(/^[a-z0-9][a-z0-9._\/-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$/, "an image reference like registry/name:tag");

const duration = str(/^(\d+(ms|s|m|h))+$/, "a duration such as 15s or 1m");
const metrics = object({ port: optional(str()), path: optional(str(/^\//, "a path starting with '/'")), interval: optional(duration) });
const accessRule = object({
  apiGroups: list(str()),
  resources: list(str(), { min: 1 }),
  verbs: list(oneOf("get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"), { min: 1 }),
  resourceNames: optional(list(str())),
});

const workloadFields = {
  image,
  replicas: int(0),
  resources,
  env: optional(envMap),
  dependsOn: optional(list(str())),
  disruption: optional(disruptionOrOff),
  description: optional(str()),
  metrics: optional(metrics),
  access: optional(list(accessRule)),
};

const portMap = refine(record(port, dnsLabel), (ports: Record<string, number>) => {
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

const serviceFields = {
  type: oneOf("service"),
  ...workloadFields,
  ports: portMap,
  autoscale: optional(autoscaleOrOff),
  probes: optional(probes),
  expose: optional(object({ host: dnsLabel, path: optional(str(/^\//, "a path starting with '/'")), port: optional(str()) })),
  rollout: optional(object({ maxSurge: intOrPercent, maxUnavailable: intOrPercent })),
  serviceAccountToken: optional(bool),
  command: optional(list(str())),
  args: optional(list(str())),
  writablePaths: optional(list(str(/^\//, "an absolute path"))),
  useConfig: optional(bool),
};

const storeFields = {
  type: oneOf("store"),
  engine: oneOf("postgres", "redis", "qdrant"),
  ...workloadFields,
  storage: quantity,
  storageClass: optional(dnsLabel),
  password: optional(secretRef),
  database: optional(str(/^[a-z_][a-z0-9_]*$/, "a database name")),
  user: optional(str(/^[a-z_][a-z0-9_]*$/, "a user name")),
};

/** Shape of one component, chosen by its `type`. */
export const componentShape: Shape = either((v) => {
  const type = typeof v === "object" && v !== null ? (v as { type?: unknown }).type : undefined;
  if (type === "store") return object(storeFields);
  if (type === "service") return object(serviceFields);
  // without a known type the other fields mean nothing yet: report the type alone
  return (value, path, problems) => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return void problems.push({ path, message: `must be a component such as service({...}) or postgres({...})` });
    const at = path ? `${path}.type` : "type";
    if (type === undefined) problems.push({ path: at, message: 'is required: "service" or "store" (build components with service(), postgres(), redis() or qdrant())' });
    else oneOf("service", "store")(type, at, problems);
  };
});

function partial(fields: Record<string, Shape | { optional: Shape }>, omit: string[]): Record<string, { optional: Shape }> {
  const out: Record<string, { optional: Shape }> = {};
  for (const [k, v] of Object.entries(fields)) if (!omit.includes(k)) out[k] = optional(typeof v === "function" ? v : v.optional);
  return out;
}

const amountsPartial = object({ cpu: optional(quantity), memory: optional(quantity) });
const overrideFields = {
  ...partial(serviceFields, ["type"]),
  ...partial(storeFields, ["type", "engine"]),
  resources: optional(object({ requests: optional(amountsPartial), limits: optional(amountsPartial) })),
  autoscale: optional(either((v) => (v === false ? oneOf(false) : object(partial(
    { min: int(1), max: int(1), cpu: percent, memory: percent, metrics: list(object({ name: str(), averageValue: quantity })) },
    [],
  ))))),
  probes: optional(probes),
};
const componentOverride = object(overrideFields);

/** Shape of an environment, region or target layer. */
export const layerShape = object({
  config: optional(envMap),
  defaults: optional(componentOverride),
  components: optional(record(componentOverride)),
});

const patchRule = object({
  target: object({ kind: str(), name: str() }),
  environments: optional(list(str())),
  regions: optional(list(str())),
  ops: list(
    object({
      op: oneOf("add", "remove", "replace", "move", "copy", "test"),
      path: either((v) => (Array.isArray(v) ? list(str()) : str(/^(\/.*)?$/, "a JSON pointer like /spec/template"))),
      value: optional(((_v, _p, _problems) => undefined) as Shape),
      from: optional(str()),
    }),
    { min: 1 },
  ),
});

/** Shape of a platform description. */
export const platformShape = object({
  name: dnsLabel,
  namespace: dnsLabel,
  namePrefix: optional(str(/^[a-z0-9]([-a-z0-9]*-)?$/, "a lower-case prefix ending in '-'")),
  description: optional(str()),
  config: optional(envMap),
  components: refine(record(componentShape, dnsLabel), (c) => (Object.keys(c).length === 0 ? "must declare at least one component" : undefined)),
  runsIn: optional(list(str(), { min: 1 })),
  environments: optional(record(layerShape)),
  regions: optional(record(layerShape)),
  targets: optional(record(layerShape, str(/^[a-z0-9-]+\/[a-z0-9-]+$/, "a key like production/eu-west-1"))),
  patches: optional(list(patchRule)),
  dashboards: optional(record(record((_v, _p, _problems) => undefined), dnsLabel)),
});

/** Shape of an environment description. */
export const environmentShape = object({
  name: dnsLabel,
  displayName: optional(str()),
  regions: list(dnsLabel, { min: 1 }),
  policy: object({
    networkPolicies: bool,
    disruptionBudgets: bool,
    resourceQuota: bool,
    rules: optional(record(oneOf("off", "warning", "error"), oneOf(...POLICY_RULES))),
  }),
  overrides: optional(layerShape),
});

const cluster = object({
  name: dnsLabel,
  server: str(/^https:\/\/[^\s]+$/, "an https:// API server URL"),
  ingressDomain: str(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "a DNS domain"),
  serviceDomain: str(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "a DNS domain"),
});

/** Shape of a region description. */
export const regionShape = object({
  name: dnsLabel,
  role: oneOf("primary", "secondary", "tertiary"),
  secretStore: dnsLabel,
  clusters: record(cluster),
  overrides: optional(layerShape),
});
