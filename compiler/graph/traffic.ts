/**
 * The traffic graph of a target: every connection its description implies (each `dependsOn` edge, each in-cluster
 * URL in configuration, each replication link, each cross-region write and replication path, the members of a store
 * talking to each other, the Prometheus that scrapes each PodMonitor's pods), resolved to the rendered pods, Services
 * and ports at both ends, and judged against the
 * rendered NetworkPolicies, PeerAuthentications and AuthorizationPolicies.
 */
import { isCnpgCluster } from "../kube/cnpg.ts";
import { EVALUATOR_LABEL } from "../describe/cluster-monitoring.ts";
import type { KubeObject, RenderedObject } from "../model/object.ts";
import type { ResolvedTarget } from "../model/target.ts";
import { ENGINES, engineOf } from "../stores/index.ts";
import { dumpPortsOf, restorePortsOf } from "../stores/engine.ts";
import { SENTINEL_PORT } from "../stores/redis.ts";
import { asRecord, list, obj, objects, str } from "../kube/loose.ts";
import { findObject, podTemplates, mapMatches, selectorMatches, type PodTemplate } from "../kube/selectors.ts";
import { containersOf } from "../kube/pods.ts";
import { serviceUrls } from "../kube/service-urls.ts";
import {
  networkPolicyVerdict,
  type Endpoint,
  type NetworkEndpoint,
  type PodEndpoint,
  type Port,
} from "../kube/network-policy.ts";
import { authorizationVerdict, peerAuthenticationMode } from "../kube/istio-policy.ts";

/** Why a connection exists. */
export type PathKind =
  "dependsOn" | "url" | "replication" | "members" | "cross-region" | "tracing" | "acme-http01" | "backup" | "scrape";

/** One end of a connection: a workload's pods of this target, or another region's network. */
export interface PathEnd {
  /** The component (or hook) the end belongs to, when it is one of this target's. */
  component?: string;
  /** The workload whose pods make or take the connection. */
  workload?: RenderedObject;
  endpoint: Endpoint;
}

/** One connection the description implies. */
export interface TrafficPath {
  kinds: PathKind[];
  /** What implies it, in words (`dependsOn`, `ConfigMap/ossa-config DATABASE_URL`, ...). */
  via: string[];
  client: PathEnd;
  server: PathEnd;
  /** The Service the client addresses (`ExternalName` ones for writes to another region), when there is one. */
  service?: RenderedObject;
  port: Port;
  /**
   * True when the only evidence is a URL the client receives with a whole ConfigMap (`envFrom`): it may never use it,
   * so a denied path is a warning, not an error.
   */
  wholesale?: boolean;
}

/** One check on a path: what decided it and whether it passed. */
export interface PathCheck {
  check: "egress" | "ingress" | "exposure" | "encryption" | "mtls" | "authorization";
  allowed: boolean;
  by: string;
  /** The allow rule that admitted it (`<policy>/<field>/<index>`), to find the rules no path uses. */
  rule?: string;
  /** The object that decided, for a finding to point at. */
  object?: string;
}

export interface PathVerdict {
  path: TrafficPath;
  allowed: boolean;
  checks: PathCheck[];
}

const METADATA_NAME = "kubernetes.io/metadata.name";

/** The mesh trust domain of the target (Istio's `cluster.local` by default). */
function trustDomain(target: ResolvedTarget): string {
  return target.mesh?.trustDomain ?? "cluster.local";
}

function namespaceLabels(target: ResolvedTarget, objectsOf: RenderedObject[]): Record<string, string> {
  const ns = objectsOf.find((o) => o.object.kind === "Namespace" && o.object.metadata.name === target.namespace);
  return { ...(ns?.object.metadata.labels ?? {}), [METADATA_NAME]: target.namespace };
}

/** The pod endpoint of a pod template of this target. */
function podEndpoint(target: ResolvedTarget, nsLabels: Record<string, string>, t: PodTemplate): PodEndpoint {
  const ports: Record<string, number> = {};
  for (const c of t.spec.containers ?? [])
    for (const p of c?.ports ?? []) if (p?.name && typeof p.containerPort === "number") ports[p.name] = p.containerPort;
  // Istio reads the switch from the pod's label or, as the blocks write it, its annotation.
  const injectionOff =
    t.labels["sidecar.istio.io/inject"] === "false" || t.annotations?.["sidecar.istio.io/inject"] === "false";
  const meshed = nsLabels["istio-injection"] === "enabled" && !injectionOff;
  const sa = t.spec.serviceAccountName ?? "default";
  return {
    kind: "pod",
    name: `${t.owner.object.kind}/${t.owner.object.metadata.name}`,
    namespace: target.namespace,
    namespaceLabels: nsLabels,
    labels: t.labels,
    ports,
    meshed,
    principal: meshed ? `${trustDomain(target)}/ns/${target.namespace}/sa/${sa}` : undefined,
  };
}

/** The network of another region of this environment, by its cluster's declared ranges. */
function regionNetwork(region: string, cidrs: string[] | undefined): NetworkEndpoint {
  return { kind: "network", name: `region ${region}`, cidrs: cidrs ?? [] };
}

interface Graph {
  target: ResolvedTarget;
  objects: RenderedObject[];
  templates: PodTemplate[];
  nsLabels: Record<string, string>;
  paths: Map<string, TrafficPath>;
  /** The path end of each pod template (end). */
  ends: Map<PodTemplate, PathEnd>;
  /** What each pod template reads of ConfigMaps (configReads). */
  configReads: Map<PodTemplate, ConfigReads>;
  /** The Services by name, indexed on first use (service). */
  services?: Map<string, RenderedObject>;
}

/** The end of a path at a pod template: made once per template, so every path to or from it shares one endpoint. */
function end(g: Graph, t: PodTemplate): PathEnd {
  let e = g.ends.get(t);
  if (!e) {
    e = { component: t.owner.component, workload: t.owner, endpoint: podEndpoint(g.target, g.nsLabels, t) };
    g.ends.set(t, e);
  }
  return e;
}

function add(
  g: Graph,
  kind: PathKind,
  via: string,
  client: PathEnd,
  server: PathEnd,
  port: Port,
  service?: RenderedObject,
  wholesale = false,
): void {
  const key = `${client.endpoint.name}>${server.endpoint.name}:${port.port}/${port.protocol}`;
  const known = g.paths.get(key);
  if (known) {
    if (!known.kinds.includes(kind)) known.kinds.push(kind);
    if (!known.via.includes(via)) known.via.push(via);
    known.service ??= service;
    known.wholesale = known.wholesale && wholesale;
    return;
  }
  g.paths.set(key, { kinds: [kind], via: [via], client, server, service, port, wholesale });
}

/** The target's Service named `name` (the first, as rendered). */
function service(g: Graph, name: string): RenderedObject | undefined {
  if (!g.services) {
    g.services = new Map();
    for (const o of g.objects)
      if (o.object.kind === "Service" && !g.services.has(o.object.metadata.name))
        g.services.set(o.object.metadata.name, o);
  }
  return g.services.get(name);
}

/** The pod templates of a component (or hook) of this target. */
function templatesOf(g: Graph, component: string): PodTemplate[] {
  return g.templates.filter((t) => t.owner.component === component && t.owner.object.kind !== "Prometheus");
}

/**
 * Adds the paths from `clients` to a Service: to the pods it selects on each of its ports (or the one `port` names),
 * or, for an `ExternalName` to the primary region, to that region's network.
 */
function toService(
  g: Graph,
  kind: PathKind,
  via: string,
  clients: PodTemplate[],
  svc: RenderedObject,
  port?: number | string[],
  wholesale: (client: PodTemplate) => boolean = () => false,
): void {
  const spec = obj(svc.object.spec);
  const ports = objects(spec.ports)
    .map(([p]) => p)
    .filter((p) =>
      port === undefined ? true : typeof port === "number" ? p.port === port : port.includes(str(p.name) ?? ""),
    );
  if (str(spec.type) === "ExternalName") {
    const primary = g.target.primary;
    const remote = str(spec.externalName)?.endsWith(`.${primary.cluster.serviceDomain}`);
    if (!remote) {
      // An alias of a Service of this namespace (CloudNativePG's `<name>` for its `<name>-rw`): the paths go on to it.
      const [host, ns, svcLabel] = (str(spec.externalName) ?? "").split(".");
      const inner =
        ns === g.target.namespace && svcLabel === "svc" ? findObject(g.objects, "Service", host) : undefined;
      if (inner && inner !== svc)
        for (const p of ports)
          if (typeof p.port === "number") toService(g, kind, via, clients, inner, p.port, wholesale);
      return;
    }
    const server: PathEnd = {
      component: svc.component,
      endpoint: regionNetwork(primary.region, primary.cluster.networks),
    };
    // The client connects to the external name on the port it asks for, whether the Service declares it or not (an
    // ExternalName's ports only document what the other end exposes): judgePath checks it against them.
    const remotePorts: Port[] =
      typeof port === "number"
        ? [{ port, protocol: protocolOf(ports[0] ?? {}) }]
        : ports.flatMap((p) => (typeof p.port === "number" ? [{ port: p.port, protocol: protocolOf(p) }] : []));
    for (const c of clients)
      for (const p of remotePorts) add(g, "cross-region", via, end(g, c), server, p, svc, wholesale(c));
    return;
  }
  const selector = asRecord(spec.selector) as Record<string, string> | undefined;
  if (!selector || !Object.keys(selector).length) return;
  for (const s of g.templates.filter((t) => mapMatches(selector, t.labels))) {
    const server = end(g, s);
    for (const p of ports) {
      const target = p.targetPort ?? p.port;
      const number = typeof target === "string" ? (server.endpoint as PodEndpoint).ports[target] : target;
      if (typeof number !== "number") continue;
      for (const c of clients)
        add(g, kind, via, end(g, c), server, { port: number, protocol: protocolOf(p) }, svc, wholesale(c));
    }
  }
}

function protocolOf(p: Record<string, unknown>): "TCP" | "UDP" {
  return p.protocol === "UDP" ? "UDP" : "TCP";
}

/** `dependsOn` of every component and hook: its pods to the dependency's client Service, on every port. */
function dependencyPaths(g: Graph): void {
  const deps: [string, string[]][] = [
    ...Object.entries(g.target.components).map(([k, c]): [string, string[]] => [k, c.dependsOn ?? []]),
    ...Object.entries(g.target.hooks).map(([k, h]): [string, string[]] => [k, h.dependsOn]),
  ];
  for (const [k, on] of deps) {
    // A store's backup and restore Jobs talk to their own store only (see storePaths), not to what the store uses.
    const clients = templatesOf(g, k).filter(
      (t) => g.target.components[k]?.type !== "store" || t.owner.object.kind !== "CronJob",
    );
    for (const dep of on) {
      const svc = service(g, `${g.target.namePrefix}${dep}`);
      if (svc && clients.length) toService(g, "dependsOn", "dependsOn", clients, svc);
    }
  }
}

/**
 * The pod templates that read key `key` of ConfigMap `name`: by a key reference (they ask for this value), or with the
 * whole ConfigMap (envFrom or a volume: `wholesale`, they may never use it).
 */
function readersOf(g: Graph, name: string, key: string): { byKey: PodTemplate[]; wholesale: Set<PodTemplate> } {
  const byKey: PodTemplate[] = [];
  const wholesale = new Set<PodTemplate>();
  for (const t of g.templates) {
    const reads = configReads(g, t);
    if (reads.byKey.get(name)?.has(key)) byKey.push(t);
    else if (reads.whole.has(name)) wholesale.add(t);
  }
  return { byKey, wholesale };
}

/** What a pod template reads of ConfigMaps: the keys its env refers to, by ConfigMap, and those it takes whole. */
interface ConfigReads {
  byKey: Map<string, Set<string>>;
  whole: Set<string>;
}

/** What a pod template reads of ConfigMaps (a volume or an envFrom takes one whole), read once per template. */
function configReads(g: Graph, t: PodTemplate): ConfigReads {
  let reads = g.configReads.get(t);
  if (reads) return reads;
  reads = { byKey: new Map(), whole: new Set() };
  for (const { container: c } of containersOf(t.owner.object)) {
    for (const e of c.env ?? []) {
      const ref = e?.valueFrom?.configMapKeyRef;
      if (typeof ref?.name !== "string" || typeof ref.key !== "string") continue;
      const keys = reads.byKey.get(ref.name);
      if (keys) keys.add(ref.key);
      else reads.byKey.set(ref.name, new Set([ref.key]));
    }
    for (const e of c.envFrom ?? [])
      if (typeof e?.configMapRef?.name === "string") reads.whole.add(e.configMapRef.name);
  }
  for (const v of t.spec.volumes ?? []) if (typeof v?.configMap?.name === "string") reads.whole.add(v.configMap.name);
  g.configReads.set(t, reads);
  return reads;
}

/** In-cluster URLs in ConfigMaps (for the pods that read them) and in env values (for their own pods). */
function urlPaths(g: Graph): void {
  const ns = g.target.namespace;
  const toUrl = (via: string, clients: PodTemplate[], value: unknown, wholesale = new Set<PodTemplate>()): void => {
    if (typeof value !== "string" || !clients.length) return;
    for (const u of serviceUrls(value, ns)) {
      const svc = u.service ? service(g, u.service) : undefined;
      // A component's own URL is there for others: its own pods calling it is not a path of the description.
      const others = clients.filter((c) => !svc || c.owner.component !== svc.component);
      if (svc && others.length) toService(g, "url", via, others, svc, u.port, (c) => wholesale.has(c));
    }
  };
  for (const o of g.objects) {
    if (o.object.kind !== "ConfigMap") continue;
    for (const [k, v] of Object.entries(asRecord(o.object.data) ?? {})) {
      const readers = readersOf(g, o.object.metadata.name, k);
      toUrl(`ConfigMap/${o.object.metadata.name} ${k}`, [...readers.byKey, ...readers.wholesale], v, readers.wholesale);
    }
  }
  for (const t of g.templates)
    for (const { container } of containersOf(t.owner.object))
      for (const e of list(container.env)) toUrl(`env ${str(obj(e).name) ?? ""}`, [t], obj(e).value);
}

/** The pods a template's owner runs (its `replicas`, 1 when unset). */
function replicasOf(t: PodTemplate): number {
  const r = obj(t.owner.object.spec).replicas;
  return typeof r === "number" ? r : 1;
}

/** Writes and replication from every other region of the environment, from its network, to `servers` on `port`. */
function fromPeers(g: Graph, servers: PodTemplate[], port: number): void {
  for (const peer of g.target.peers)
    for (const s of servers)
      add(
        g,
        "cross-region",
        `writes and replication from ${peer.region}`,
        { endpoint: regionNetwork(peer.region, peer.cluster.networks) },
        end(g, s),
        { port, protocol: "TCP" },
      );
}

/**
 * Replication and membership of every store: its members talk to each other on every port where a region runs two
 * or more; replicas follow the primary (in the primary region through its Service, elsewhere across regions); and,
 * in the primary region, every other region reaches the primary (its writers and replicas) from its network.
 */
function storePaths(g: Graph): void {
  const { target } = g;
  for (const [key, c] of Object.entries(target.components)) {
    if (c.type !== "store") continue;
    const engine = ENGINES[c.engine];
    // The store's members are its StatefulSets' pods (its backup and restore Jobs are clients, not members).
    const sets = templatesOf(g, key).filter((t) => t.owner.object.kind === "StatefulSet");
    const members = sets.reduce((n, t) => n + replicasOf(t), 0);
    const all = { ...engine.ports, ...(engine.peerPorts ?? {}) };
    if (members >= 2 && !engine.crossRegion)
      for (const a of sets)
        for (const b of sets)
          if (a !== b || replicasOf(a) >= 2)
            for (const port of Object.values(all))
              add(g, "members", `members of ${key}`, end(g, a), end(g, b), { port, protocol: "TCP" });
    // Its backup and restore Jobs dump from (and load into) every member on the engine's dump ports; a replicated
    // engine's, from its writable primary where the region runs one.
    const jobs = templatesOf(g, key).filter((t) => t.owner.object.kind === "CronJob");
    const writable = sets.filter((t) => t.labels["app.kubernetes.io/component"] === "primary");
    // Under automatic failover the writable endpoint is HAProxy, in front of whichever member is the primary.
    const proxies = templatesOf(g, key).filter((t) => t.labels["app.kubernetes.io/component"] === HAPROXY_ROLE);
    for (const job of jobs) {
      const ports =
        job.labels["app.kubernetes.io/component"] === "restore" ? restorePortsOf(engine) : dumpPortsOf(engine);
      // The Services the Job's scripts name (an ExternalName to the primary region among them): its paths go where
      // they lead. A script that names none is taken to reach the members, as the engine's dump does.
      const named = addressedServices(g, job);
      if (named.length)
        for (const svc of named) for (const port of ports) toService(g, "backup", `backup of ${key}`, [job], svc, port);
      else
        for (const member of proxies.length ? proxies : engine.crossRegion && writable.length ? writable : sets)
          for (const port of ports)
            add(g, "backup", `backup of ${key}`, end(g, job), end(g, member), { port, protocol: "TCP" });
    }
    // An operator's cluster (CloudNativePG): its instances stream from the primary in the region, and any of them
    // may become the primary, on the engine's ports.
    const instances = templatesOf(g, key).filter((t) => t.labels["cnpg.io/podRole"] === "instance");
    for (const a of instances)
      for (const b of instances)
        if (a !== b)
          for (const port of Object.values(engine.ports))
            add(g, "members", `members of ${key}`, end(g, a), end(g, b), { port, protocol: "TCP" });
    if (!engine.crossRegion) continue;
    const replicas = sets.filter((t) => t.labels["app.kubernetes.io/component"] === "replica");
    const primarySvc = service(g, `${target.namePrefix}${key}`);
    const main = Object.values(engine.ports)[0];
    // Across regions only the engine's TLS port (where it has one) carries writes and replication.
    const across = target.peers.length && engine.tls ? engine.tls.port.number : main;
    if (proxies.length) {
      failoverPaths(g, key, sets, proxies, across);
      continue;
    }
    if (primarySvc)
      toService(
        g,
        target.role === "primary" ? "replication" : "cross-region",
        `replication of ${key}`,
        replicas,
        primarySvc,
        target.role === "primary" ? main : across,
      );
    if (target.role !== "primary") continue;
    // The writable pods: the primary StatefulSet, or the primary instance of an operator's cluster (CloudNativePG).
    const operated = templatesOf(g, key).filter((t) => t.labels["cnpg.io/instanceRole"] === "primary");
    const primaries = [...sets.filter((t) => t.labels["app.kubernetes.io/component"] === "primary"), ...operated];
    fromPeers(g, primaries, across);
  }
}

/**
 * The Services of this namespace that a workload's commands and arguments name as hosts: `<service>.<namespace>.svc`,
 * or `<pod>.<headless service>.<namespace>.svc` (the headless Service, for the pods it selects).
 */
function addressedServices(g: Graph, t: PodTemplate): RenderedObject[] {
  const ns = g.target.namespace.replace(/[.]/g, "\\.");
  const host = new RegExp(`\\b([a-z0-9][-a-z0-9]*)(?:\\.([a-z0-9][-a-z0-9]*))?\\.${ns}\\.svc\\b`, "g");
  const names = new Set<string>();
  for (const { container } of containersOf(t.owner.object))
    for (const word of [...(container.command ?? []), ...(container.args ?? [])])
      if (typeof word === "string") for (const m of word.matchAll(host)) names.add(m[2] ?? m[1]);
  return [...names].flatMap((n) => service(g, n) ?? []);
}

/** The roles of a store's parts under automatic failover (`app.kubernetes.io/component`). */
const HAPROXY_ROLE = "haproxy";
const SENTINEL_ROLE = "sentinel";
const MEMBER_ROLES = ["primary", "replica"];

/**
 * A store under automatic failover (Redis Sentinel and HAProxy, in the primary region): any member may be the primary,
 * so the members replicate from each other; the sentinels watch every member and each other, and the members ask them
 * on start who the primary is; HAProxy checks every member and forwards to the primary, on the engine's port and the
 * TLS port; the other regions reach HAProxy.
 */
function failoverPaths(g: Graph, key: string, sets: PodTemplate[], proxies: PodTemplate[], across: number): void {
  const c = g.target.components[key];
  if (c.type !== "store") return;
  const main = Object.values(ENGINES[c.engine].ports)[0];
  const role = (t: PodTemplate) => t.labels["app.kubernetes.io/component"];
  const members = sets.filter((t) => MEMBER_ROLES.includes(role(t)));
  const sentinels = sets.filter((t) => role(t) === SENTINEL_ROLE);
  const tcp = (port: number): Port => ({ port, protocol: "TCP" });
  const pairs = (from: PodTemplate[], to: PodTemplate[], kind: PathKind, via: string, ports: number[]) => {
    for (const a of from)
      for (const b of to)
        if (a !== b || replicasOf(a) >= 2) for (const port of ports) add(g, kind, via, end(g, a), end(g, b), tcp(port));
  };
  pairs(members, members, "replication", `replication of ${key}`, [main]);
  pairs(sentinels, members, "members", `sentinels of ${key}`, [main]);
  pairs(sentinels, sentinels, "members", `sentinels of ${key}`, [SENTINEL_PORT]);
  pairs(members, sentinels, "members", `sentinels of ${key}`, [SENTINEL_PORT]);
  pairs(proxies, members, "members", `HAProxy of ${key}`, [...new Set([main, across])]);
  fromPeers(g, proxies, across);
}

/** Tracing: every service's pods send spans to the collector on its receiver ports. */
function tracingPaths(g: Graph): void {
  const tracing = g.target.tracing;
  if (!tracing) return;
  // The services' pods. Stores and hook Jobs are not tracing clients: nothing gives them an exporter (and they run
  // outside the mesh, where a STRICT collector would refuse their plain text).
  const known = new Set(
    Object.entries(g.target.components)
      .filter(([, c]) => c.type === "service")
      .map(([k]) => k),
  );
  const clients = g.templates.filter(
    (t) => t.owner.component !== undefined && known.has(t.owner.component) && t.owner.component !== tracing.collector,
  );
  const svc = service(g, `${g.target.namePrefix}${tracing.collector}`);
  if (svc) toService(g, "tracing", "tracing", clients, svc, tracing.ports);
}

/** The namespace of the NGINX ingress controller, which carries ACME HTTP-01 challenges to cert-manager's solvers. */
const INGRESS_CONTROLLER_NAMESPACE = "ingress-nginx";
/** The label cert-manager puts on its HTTP-01 solver pods, and the port they listen on. */
const HTTP01_SOLVER = { label: "acme.cert-manager.io/http01-solver", port: 8089 };

/**
 * ACME HTTP-01: when the target renders an Issuer with an `http01` solver, cert-manager runs solver pods in this
 * namespace, and the CA's request reaches them through the ingress controller: that path must be open too. (Issuers
 * the cluster layer provides are outside the target; Manifold expects them to solve DNS-01.)
 */
function acmePaths(g: Graph): void {
  const http01 = g.objects.some(
    (o) =>
      (o.object.kind === "Issuer" || o.object.kind === "ClusterIssuer") &&
      objects(obj(obj(o.object.spec).acme).solvers).some(([s]) => s.http01 !== undefined),
  );
  if (!http01) return;
  const controller: PodEndpoint = {
    kind: "pod",
    name: `the ingress controller (namespace ${INGRESS_CONTROLLER_NAMESPACE})`,
    namespace: INGRESS_CONTROLLER_NAMESPACE,
    namespaceLabels: { [METADATA_NAME]: INGRESS_CONTROLLER_NAMESPACE },
    labels: {},
    ports: {},
    meshed: false,
  };
  const solver: PodEndpoint = {
    kind: "pod",
    name: "cert-manager's HTTP-01 solver",
    namespace: g.target.namespace,
    namespaceLabels: g.nsLabels,
    labels: { [HTTP01_SOLVER.label]: "true" },
    ports: { http: HTTP01_SOLVER.port },
    meshed: g.nsLabels["istio-injection"] === "enabled",
  };
  add(
    g,
    "acme-http01",
    "ACME HTTP-01 challenge",
    { endpoint: controller },
    { endpoint: solver },
    {
      port: HTTP01_SOLVER.port,
      protocol: "TCP",
    },
  );
}

/** The namespace of the cluster's Prometheus (the cluster layer's kube-prometheus-stack). */
const CLUSTER_MONITORING_NAMESPACE = "monitoring";
/** The label the Prometheus operator puts on the pods of a Prometheus, naming it. */
const PROMETHEUS_POD_LABEL = "operator.prometheus.io/name";

/** The pods of a Prometheus the target renders, as a client (under STRICT mesh, outbound traffic skips the sidecar). */
function prometheusEndpoint(g: Graph, prom: RenderedObject): PodEndpoint {
  const meta = obj(obj(prom.object.spec).podMetadata);
  const annotations = (asRecord(meta.annotations) ?? {}) as Record<string, string>;
  const bypass = annotations["traffic.sidecar.istio.io/includeOutboundIPRanges"] === "";
  return {
    kind: "pod",
    name: `Prometheus/${prom.object.metadata.name}`,
    namespace: g.target.namespace,
    namespaceLabels: g.nsLabels,
    labels: {
      ...((asRecord(meta.labels) ?? {}) as Record<string, string>),
      [PROMETHEUS_POD_LABEL]: prom.object.metadata.name,
    },
    ports: {},
    meshed:
      g.nsLabels["istio-injection"] === "enabled" && annotations["sidecar.istio.io/inject"] !== "false" && !bypass,
  };
}

/** The cluster's Prometheus, in its monitoring namespace. */
function clusterPrometheus(): PodEndpoint {
  return {
    kind: "pod",
    name: `the cluster's Prometheus (namespace ${CLUSTER_MONITORING_NAMESPACE})`,
    namespace: CLUSTER_MONITORING_NAMESPACE,
    namespaceLabels: { [METADATA_NAME]: CLUSTER_MONITORING_NAMESPACE },
    labels: {},
    ports: {},
    meshed: false,
  };
}

/** The number of a PodMonitor's named port on a pod: a container port, or an operator's instance metrics port. */
function scrapePort(g: Graph, t: PodTemplate, name: string): number | undefined {
  const own = (end(g, t).endpoint as PodEndpoint).ports[name];
  if (own !== undefined) return own;
  const c = t.owner.component ? g.target.components[t.owner.component] : undefined;
  return c?.type === "store" && name === "metrics" ? engineOf(c).operator?.metricsPort : undefined;
}

/**
 * Scrapes: the Prometheus that loads each PodMonitor (the one its evaluator label names, rendered here, or else the
 * cluster's) reaches every pod the monitor selects on the endpoints' ports.
 */
function scrapePaths(g: Graph): void {
  for (const m of g.objects.filter((o) => o.object.kind === "PodMonitor")) {
    const evaluator = m.object.metadata.labels?.[EVALUATOR_LABEL];
    const own = g.objects.find((o) => o.object.kind === "Prometheus" && o.object.metadata.name === evaluator);
    const client = { endpoint: own ? prometheusEndpoint(g, own) : clusterPrometheus() };
    const spec = obj(m.object.spec);
    const pods = g.templates.filter((t) => selectorMatches(obj(spec.selector), t.labels));
    for (const [endpoint] of objects(spec.podMetricsEndpoints))
      for (const t of pods) {
        const port = str(endpoint.port) ? scrapePort(g, t, str(endpoint.port)!) : undefined;
        if (port !== undefined)
          add(g, "scrape", `PodMonitor/${m.object.metadata.name}`, client, end(g, t), { port, protocol: "TCP" });
      }
  }
}

/**
 * The Prometheus that loads a monitor (the one its evaluator label names, rendered here, or else the cluster's), as a
 * client. A ServiceMonitor endpoint that presents a client certificate from the Prometheus's own mounts (Istio's
 * output certificates, under STRICT mesh) speaks mTLS as the Prometheus's service account.
 */
function scraperOf(g: Graph, monitor: RenderedObject, clientCert?: string): PathEnd {
  const evaluator = monitor.object.metadata.labels?.[EVALUATOR_LABEL];
  const own = g.objects.find((o) => o.object.kind === "Prometheus" && o.object.metadata.name === evaluator);
  if (!own) return { endpoint: clusterPrometheus() };
  const endpoint = prometheusEndpoint(g, own);
  const spec = obj(own.object.spec);
  const mounted = objects(spec.volumeMounts).some(([m]) => clientCert?.startsWith(`${str(m.mountPath)}/`));
  if (!mounted) return { endpoint };
  const sa = str(spec.serviceAccountName) ?? "default";
  return {
    endpoint: { ...endpoint, meshed: true, principal: `${trustDomain(g.target)}/ns/${g.target.namespace}/sa/${sa}` },
  };
}

/**
 * Scrapes through Services: the Prometheus that loads each ServiceMonitor reaches, on each endpoint's port, the pods of
 * every Service the monitor selects.
 */
function serviceScrapePaths(g: Graph): void {
  for (const m of g.objects.filter((o) => o.object.kind === "ServiceMonitor")) {
    const spec = obj(m.object.spec);
    const services = g.objects.filter(
      (o) =>
        o.object.kind === "Service" &&
        selectorMatches(obj(spec.selector), (o.object.metadata.labels ?? {}) as Record<string, string>),
    );
    for (const [endpoint] of objects(spec.endpoints)) {
      const port = str(endpoint.port);
      if (!port) continue;
      const client = scraperOf(g, m, str(obj(endpoint.tlsConfig).certFile));
      for (const svc of services) {
        const svcSpec = obj(svc.object.spec);
        const selector = asRecord(svcSpec.selector) as Record<string, string> | undefined;
        const sp = objects(svcSpec.ports).find(([p]) => p.name === port)?.[0];
        if (!sp || !selector || !Object.keys(selector).length) continue;
        for (const t of g.templates.filter((t) => mapMatches(selector, t.labels))) {
          const server = end(g, t);
          const target = sp.targetPort ?? sp.port;
          const number = typeof target === "string" ? (server.endpoint as PodEndpoint).ports[target] : target;
          if (typeof number === "number")
            add(
              g,
              "scrape",
              `ServiceMonitor/${m.object.metadata.name}`,
              client,
              server,
              { port: number, protocol: "TCP" },
              svc,
            );
        }
      }
    }
  }
}

/** Every connection the target's description implies, resolved to rendered pods and ports. */
export function trafficPaths(target: ResolvedTarget, rendered: RenderedObject[]): TrafficPath[] {
  const g: Graph = {
    target,
    objects: rendered,
    templates: podTemplates(rendered).filter(
      (t) => t.owner.object.kind !== "Prometheus" && t.owner.object.kind !== "Alertmanager",
    ),
    nsLabels: namespaceLabels(target, rendered),
    paths: new Map(),
    ends: new Map(),
    configReads: new Map(),
  };
  dependencyPaths(g);
  urlPaths(g);
  storePaths(g);
  tracingPaths(g);
  acmePaths(g);
  scrapePaths(g);
  serviceScrapePaths(g);
  return [...g.paths.values()];
}

/** The LoadBalancer Service that takes `source`'s traffic to `server` on `port`, or why there is none. */
function exposure(rendered: RenderedObject[], server: PodEndpoint, source: NetworkEndpoint, port: number): PathCheck {
  for (const o of rendered) {
    const spec = obj(o.object.spec);
    if (o.object.kind !== "Service" || spec.type !== "LoadBalancer") continue;
    const selector = asRecord(spec.selector) as Record<string, string> | undefined;
    if (!selector || !mapMatches(selector, server.labels)) continue;
    const carries = objects(spec.ports).some(([p]) => {
      const t = p.targetPort ?? p.port;
      return (typeof t === "string" ? server.ports[t] : t) === port;
    });
    if (!carries) continue;
    const ranges = list(spec.loadBalancerSourceRanges).filter((r): r is string => typeof r === "string");
    const admitted =
      ranges.length === 0 ||
      networkPolicyVerdict(
        [
          {
            apiVersion: "networking.k8s.io/v1",
            kind: "NetworkPolicy",
            metadata: { name: "lb", namespace: server.namespace },
            spec: { podSelector: {}, ingress: [{ from: ranges.map((cidr) => ({ ipBlock: { cidr } })) }] },
          },
        ],
        "Ingress",
        server,
        source,
        { port, protocol: "TCP" },
      ).allowed;
    if (admitted)
      return {
        check: "exposure",
        allowed: true,
        by: `Service/${o.object.metadata.name}`,
        object: `Service/${o.object.metadata.name}`,
      };
  }
  return { check: "exposure", allowed: false, by: `no LoadBalancer Service takes ${source.name} to port ${port}` };
}

/**
 * Whether the store end of a path between regions encrypts it: its pods mount a Secret that a cert-manager Certificate
 * of the target makes (TLS on the store; the engine's settings turn it on), or an operator that always serves TLS runs
 * it (CloudNativePG: every instance serves TLS, with the cross-region certificate where the Cluster names one, else
 * with certificates of the operator's own CA).
 */
function encryption(rendered: RenderedObject[], store: PathEnd): PathCheck {
  const w = store.workload?.object;
  if (w && isCnpgCluster(w)) return { check: "encryption", allowed: true, by: "TLS served by CloudNativePG" };
  const made = new Set(
    rendered
      .filter((o) => o.object.kind === "Certificate" && o.object.apiVersion.startsWith("cert-manager.io/"))
      .map((o) => str(obj(o.object.spec).secretName)),
  );
  const name = store.endpoint.name;
  // HAProxy in front of a store under failover passes TLS through: the members it forwards to encrypt.
  const labels = store.workload ? (podTemplates([store.workload])[0]?.labels ?? {}) : {};
  if (labels["app.kubernetes.io/component"] === HAPROXY_ROLE) {
    const members = rendered.filter((o) => {
      if (o.object.kind !== "StatefulSet") return false;
      const l = podTemplates([o])[0]?.labels ?? {};
      return (
        l["app.kubernetes.io/name"] === labels["app.kubernetes.io/name"] &&
        MEMBER_ROLES.includes(l["app.kubernetes.io/component"] ?? "")
      );
    });
    const plain = members.filter((m) => !mountsMade(m, made));
    return members.length && !plain.length
      ? { check: "encryption", allowed: true, by: "TLS passed through by HAProxy to the members, which serve it" }
      : {
          check: "encryption",
          allowed: false,
          by: `${name} passes TLS through to members that mount no certificate: traffic between regions would be plain text`,
        };
  }
  const template = store.workload ? podTemplates([store.workload])[0] : undefined;
  const secret = (template?.spec.volumes ?? []).map((v) => v?.secret?.secretName).find((n) => n && made.has(n));
  return secret
    ? { check: "encryption", allowed: true, by: `TLS on the store (Certificate Secret ${secret})` }
    : {
        check: "encryption",
        allowed: false,
        by: `${name} mounts no certificate: traffic between regions would be plain text`,
      };
}

/** True when a workload's pods mount a Secret that a cert-manager Certificate of the target makes. */
function mountsMade(workload: RenderedObject, made: Set<string | undefined>): boolean {
  const template = podTemplates([workload])[0];
  return (template?.spec.volumes ?? []).some((v) => v?.secret?.secretName && made.has(v.secret.secretName));
}

/**
 * Whether the other region takes a connection through an ExternalName Service on its port: the Service declares the
 * ports the primary region exposes to this one (its TLS port, where the engine has one); nothing else gets through.
 */
function remoteExposure(svc: RenderedObject, port: Port): PathCheck {
  const spec = obj(svc.object.spec);
  const declared = objects(spec.ports).flatMap(([p]) => (typeof p.port === "number" ? [p.port] : []));
  const name = `Service/${svc.object.metadata.name}`;
  return declared.includes(port.port)
    ? { check: "exposure", allowed: true, by: name, object: name }
    : {
        check: "exposure",
        allowed: false,
        by: `${name} (ExternalName to ${str(spec.externalName) ?? "?"}), where the primary region takes other regions on port ${declared.join(", ") || "none"} only`,
        object: name,
      };
}

/** The kinds whose objects decide whether traffic between two pods gets through. */
const POLICY_KINDS = new Set(["NetworkPolicy", "PeerAuthentication", "AuthorizationPolicy"]);

const policiesKept = new WeakMap<RenderedObject[], KubeObject[]>();

/** The policy objects of a target (POLICY_KINDS), picked out once for all its paths. */
function policiesOf(rendered: RenderedObject[]): KubeObject[] {
  let policies = policiesKept.get(rendered);
  if (!policies) {
    policies = rendered.filter((o) => POLICY_KINDS.has(o.object.kind)).map((o) => o.object);
    policiesKept.set(rendered, policies);
  }
  return policies;
}

/**
 * Judges one path: the client's egress, the server's ingress, its exposure, mTLS mode and authorization. `rendered`
 * must not change between the paths judged over it (its policies are picked out once).
 */
export function judgePath(rendered: RenderedObject[], path: TrafficPath): PathVerdict {
  const objectsOf = policiesOf(rendered);
  const checks: PathCheck[] = [];
  const { client, server, port } = path;
  // Between regions the store's own ends encrypt: the primary taking the traffic, or a replica following it (a
  // writer asks for TLS in its URL).
  const store =
    client.endpoint.kind === "network"
      ? server
      : server.endpoint.kind === "network" && client.component === server.component
        ? client
        : undefined;
  if (store?.workload) checks.push(encryption(rendered, store));
  if (server.endpoint.kind === "network" && path.service) checks.push(remoteExposure(path.service, port));
  if (client.endpoint.kind === "pod") {
    const v = networkPolicyVerdict(objectsOf, "Egress", client.endpoint, server.endpoint, port);
    checks.push({ check: "egress", allowed: v.allowed, by: v.by, rule: v.rule });
  }
  if (server.endpoint.kind === "pod") {
    const s = server.endpoint;
    if (client.endpoint.kind === "network") checks.push(exposure(rendered, s, client.endpoint, port.port));
    const v = networkPolicyVerdict(objectsOf, "Ingress", s, client.endpoint, port);
    checks.push({ check: "ingress", allowed: v.allowed, by: v.by, rule: v.rule });
    if (s.meshed) {
      const pa = peerAuthenticationMode(objectsOf, s, port.port);
      const mtls = client.endpoint.kind === "pod" && client.endpoint.meshed && pa.mode !== "DISABLE";
      const plaintextRefused = pa.mode === "STRICT" && !mtls;
      checks.push({
        check: "mtls",
        allowed: !plaintextRefused,
        by: plaintextRefused ? `${pa.by} is STRICT and the client sends plain text` : `${pa.by}: ${pa.mode}`,
      });
      const http = path.kinds.every((k) => k === "dependsOn" || k === "url") && !isStore(path);
      const a = authorizationVerdict(objectsOf, s, { source: client.endpoint, mtls, port: port.port, http });
      checks.push({ check: "authorization", allowed: a.allowed, by: a.by, rule: a.rule });
    }
  }
  return { path, allowed: checks.every((c) => c.allowed), checks };
}

function isStore(path: TrafficPath): boolean {
  return path.server.workload?.object.kind === "StatefulSet";
}
