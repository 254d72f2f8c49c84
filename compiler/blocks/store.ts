/**
 * The `store` building block: StatefulSets with persistent volumes.
 *
 * For engines with cross-region replication (postgres, redis), the role of
 * the region decides the shape: the primary region runs a writable
 * `<name>-primary` set plus in-region `<name>-replica` pods; every other
 * region runs only `<name>-replica` pods that follow the primary region, and
 * `<name>` becomes an ExternalName to the primary so writers still reach it.
 */
import { StatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import { Service } from "kubernetes-models/v1/Service";
import type { StoreComponent } from "../describe/types.ts";
import type { ResolvedTarget } from "../model/target.ts";
import { canonicalQuantity } from "../quantity.ts";
import { engineOf } from "../stores/index.ts";
import { ManifoldError } from "../errors.ts";
import { buildInitScripts } from "./init-scripts.ts";
import { buildEngineConfig } from "./engine-config.ts";
import { buildLoadBalancer } from "./load-balancer.ts";
import {
  buildExposure,
  crossRegionMounts,
  crossRegionTls,
  CROSS_REGION_TLS_DIR,
  usesCrossRegionTls,
} from "./exposure.ts";
import type { StoreEnvContext, StoreMode } from "../stores/engine.ts";
import type { IIoK8sApiCoreV1Probe as Probe } from "kubernetes-models/v1";
import { objectName, selectorLabels, standardLabels } from "./naming.ts";
import { make, type Made, plain } from "./objects.ts";
import { type RenderedObject } from "../model/object.ts";
import { canonicalResources, envVars, podTemplate } from "./pod.ts";
import { dependencyOrderedEnv } from "../kube/env-references.ts";
import { disruptionBudget, headlessService, serviceAccount } from "./service.ts";
import { seedContainers } from "./seed-paths.ts";
import { trustMounts } from "./trust.ts";
import { buildCnpgStore, runsOnOperator } from "./cnpg.ts";
import { buildBackupJob } from "./backup-jobs.ts";
import { EXPORTER_LABEL, buildExporterMonitor } from "./monitoring.ts";
import { failoverContext, hasFailover } from "./failover.ts";
import { buildSentinel, haproxySelector } from "./sentinel.ts";
import { compareNames } from "../name-order.ts";

interface PodSet {
  setName: string;
  mode: StoreMode;
  replicas: number;
}

/** The pod sets a store runs in this target's region. */
export function storePodSets(target: ResolvedTarget, name: string, c: StoreComponent): PodSet[] {
  const engine = engineOf(c);
  if (runsOnOperator(c)) return [];
  if (!engine.crossRegion) return [{ setName: name, mode: "cluster", replicas: c.replicas }];
  if (target.role !== "primary") return [{ setName: `${name}-replica`, mode: "replica", replicas: c.replicas }];
  const sets: PodSet[] = [{ setName: `${name}-primary`, mode: "primary", replicas: 1 }];
  if (c.replicas > 1) sets.push({ setName: `${name}-replica`, mode: "replica", replicas: c.replicas - 1 });
  return sets;
}

/**
 * True when a store's own pods talk to each other in this region: the members of a cluster, or the in-region replicas
 * of a replicated store and its primary. A single pod, or replicas whose primary is in another region, do not.
 */
export function membersTalk(target: ResolvedTarget, key: string): boolean {
  const c = target.components[key];
  if (c.type !== "store" || c.replicas < 2) return false;
  // An operator's replica cluster (CloudNativePG) streams from its designated primary inside every region.
  const engine = engineOf(c);
  return !engine.crossRegion || target.role === "primary" || engine.operator !== undefined;
}

/** Where other regions reach the primary region's writable endpoint of a store. */
export function remotePrimaryHost(target: ResolvedTarget, name: string): string {
  return `${name}.${target.namespace}.${target.primary.cluster.serviceDomain}`;
}

/** What every step of building one store shares: the engine, names, ports and labels. */
interface StoreBuild {
  target: ResolvedTarget;
  key: string;
  c: StoreComponent;
  engine: ReturnType<typeof engineOf>;
  name: string;
  init: ReturnType<typeof buildInitScripts>;
  config: ReturnType<typeof buildEngineConfig>;
  ports: [string, number][];
  peerPorts: [string, number][];
  servicePorts: { name: string; port: number; targetPort: string; protocol: "TCP" }[];
  headlessPorts: { name: string; port: number; targetPort: string; protocol: "TCP" }[];
  baseLabels: Record<string, string>;
  primaryHost: string;
}

/** Builds every object of one data-store component. */
export function buildStore(target: ResolvedTarget, key: string, c: StoreComponent): RenderedObject[] {
  checkStore(target, key, c);
  if (runsOnOperator(c)) return buildCnpgStore(target, key, c);
  const b = storeBuild(target, key, c);
  const item = (object: unknown, band: RenderedObject["band"]): RenderedObject => ({
    object: plain(object),
    component: key,
    band,
  });
  return [
    ...b.init.objects,
    ...b.config.objects,
    item(serviceAccount(target, b.name, b.baseLabels, false), "foundation"),
    ...clientServices(b, item),
    ...storePodSets(target, b.name, c).flatMap((set) => podSetObjects(b, set, item)),
    ...buildSentinel(target, key, c),
    ...buildBackupJob(target, key, c),
    ...buildExporterMonitor(target, key, c),
  ];
}

/** Rejects store descriptions the engine cannot run (a flavor on a non-postgres store, a persistence on a
 * non-redis one, the engine's own checks). */
function checkStore(target: ResolvedTarget, key: string, c: StoreComponent): void {
  if (c.flavor !== undefined && c.engine !== "postgres")
    throw new ManifoldError(`flavor applies to postgres only, not ${c.engine}`, {
      field: `components.${key}.flavor`,
      target: target.id,
    });
  if (c.persistence !== undefined && c.engine !== "redis")
    throw new ManifoldError(`persistence applies to redis only, not ${c.engine}`, {
      field: `components.${key}.persistence`,
      target: target.id,
    });
  const problem = engineOf(c).check?.(c);
  if (problem) throw new ManifoldError(problem, { field: `components.${key}`, target: target.id });
}

function storeBuild(target: ResolvedTarget, key: string, c: StoreComponent): StoreBuild {
  const engine = engineOf(c);
  const name = objectName(target, key);
  const ports = Object.entries(engine.ports);
  const peerPorts = Object.entries(engine.peerPorts ?? {});
  const servicePorts = ports.map(([n, p]) => ({ name: n, port: p, targetPort: n, protocol: "TCP" as const }));
  return {
    target,
    key,
    c,
    engine,
    name,
    init: buildInitScripts(target, key, name, c),
    config: buildEngineConfig(target, key, name, c),
    ports,
    peerPorts,
    servicePorts,
    headlessPorts: [
      ...servicePorts,
      ...peerPorts.map(([n, p]) => ({ name: n, port: p, targetPort: n, protocol: "TCP" as const })),
    ],
    baseLabels: standardLabels(target, name, "database", c),
    primaryHost: target.role === "primary" || !engine.crossRegion ? name : remotePrimaryHost(target, name),
  };
}

type Item = (object: unknown, band: RenderedObject["band"]) => RenderedObject;

/** The client-facing Service: the writable primary (or the whole cluster), or an ExternalName to the primary region. */
function clientServices(b: StoreBuild, item: Item): RenderedObject[] {
  const { target, name, baseLabels } = b;
  if (b.engine.crossRegion && target.role !== "primary") {
    // Writers here reach the primary region only on its TLS port, where it has one.
    const tls = crossRegionTls(target, b.c)?.tls.port;
    const ports = tls
      ? [{ name: tls.name, port: tls.number, targetPort: tls.name, protocol: "TCP" as const }]
      : b.servicePorts;
    return [
      item(
        make(Service, {
          metadata: { name, namespace: target.namespace, labels: baseLabels },
          spec: { type: "ExternalName", externalName: b.primaryHost, ports },
        }),
        "workload",
      ),
      ...buildExposure(target, b.key, name, b.c, {}, baseLabels),
    ];
  }
  const role = b.engine.crossRegion ? "primary" : "database";
  // Under failover, clients (and other regions) reach whichever member is the primary through HAProxy.
  const selector = hasFailover(target, b.c)
    ? haproxySelector(target, name)
    : { ...selectorLabels(target, name), "app.kubernetes.io/component": role };
  return [
    item(
      make(Service, {
        metadata: { name, namespace: target.namespace, labels: baseLabels },
        spec: { type: "ClusterIP", selector, ports: b.servicePorts },
      }),
      "workload",
    ),
    ...buildLoadBalancer(target, b.key, name, b.c, selector, baseLabels),
    ...buildExposure(target, b.key, name, b.c, selector, baseLabels),
  ];
}

/** One pod set's objects: its Service (in-region replicas), its headless Service, its StatefulSet and its budget. */
function podSetObjects(b: StoreBuild, set: PodSet, item: Item): RenderedObject[] {
  const { target, name, c } = b;
  const role = set.mode === "cluster" ? "database" : set.mode;
  const labels = { ...standardLabels(target, name, role, c) };
  const podSelector = { ...selectorLabels(target, name), "app.kubernetes.io/component": role };
  const headless = `${set.setName}-headless`;
  const out: RenderedObject[] = [];
  // Under failover, HAProxy reaches each member's TLS port by its host: the headless Service declares it (the mesh
  // only encrypts traffic to ports a Service declares).
  const tls = hasFailover(target, c) ? crossRegionTls(target, c)?.tls.port : undefined;
  const headlessPorts = tls
    ? [...b.headlessPorts, { name: tls.name, port: tls.number, targetPort: tls.name, protocol: "TCP" as const }]
    : b.headlessPorts;
  if (set.mode === "replica" && b.engine.crossRegion) {
    out.push(
      item(
        make(Service, {
          metadata: { name: set.setName, namespace: target.namespace, labels },
          spec: { type: "ClusterIP", selector: podSelector, ports: b.servicePorts },
        }),
        "workload",
      ),
    );
  }
  out.push(
    item(headlessService(target, headless, labels, podSelector, headlessPorts), "workload"),
    item(storeStatefulSet(b, set, labels, podSelector, headless), "workload"),
  );
  if (target.policy.disruptionBudgets && c.disruption !== false && set.replicas >= 2) {
    const budget = disruptionBudget(target, set.setName, labels, c.disruption ?? {});
    budget.spec!.selector = { matchLabels: podSelector };
    out.push(item(budget, "scaling"));
  }
  return out;
}

/** The StatefulSet of one pod set: the engine's container, its data volume claim, and the init scripts. */
function storeStatefulSet(
  b: StoreBuild,
  set: PodSet,
  labels: Record<string, string>,
  podSelector: Record<string, string>,
  headless: string,
): Made<typeof StatefulSet> {
  const { target, name, c, engine } = b;
  const ctx = {
    mode: set.mode,
    spec: c,
    primaryHost: b.primaryHost,
    setName: set.setName,
    headlessName: headless,
    namespace: target.namespace,
    failover: hasFailover(target, c) ? failoverContext(target, name, c, set.setName) : undefined,
  };
  const tls = usesCrossRegionTls(target, c, set.mode) ? engine.tls : undefined;
  const command = engine.command?.({ ...ctx, replicas: set.replicas, tlsDir: tls && CROSS_REGION_TLS_DIR }) ?? {};
  const tlsVolumes = crossRegionMounts(target, name, c, set.mode);
  // The CA of the stores its own env reaches across regions, if any.
  const trust = trustMounts(target, [c.env]);
  const tlsEnv = tls?.env(ctx, CROSS_REGION_TLS_DIR) ?? [];
  const env = [...engine.env(ctx).filter((e) => !tlsEnv.some((t) => t.name === e.name)), ...tlsEnv].sort((x, y) =>
    compareNames(x.name, y.name),
  );
  const containerPorts = [...b.ports, ...b.peerPorts];
  if (tls && !containerPorts.some(([n]) => n === tls.port.name)) containerPorts.push([tls.port.name, tls.port.number]);
  const template = podTemplate({
    name,
    labels,
    serviceAccountName: name,
    automountToken: false,
    runAsUser: engine.runAsUser,
    writablePaths: engine.writablePaths,
    extraVolumes: [...b.init.volumes, ...b.config.volumes, ...tlsVolumes.volumes, ...trust.volumes],
    extraMounts: [
      { name: "data", mountPath: engine.dataPath },
      ...b.init.mounts,
      ...b.config.mounts,
      ...tlsVolumes.mounts,
      ...trust.mounts,
    ],
    spread: set.replicas >= 2 ? podSelector : undefined,
    initContainers: seedContainers(c.image, engine.imageConfigPaths ?? [], canonicalResources(c.resources)),
    sidecars: engine.exporter
      ? [
          {
            name: engine.exporter.name,
            image: engine.exporter.image,
            ...(engine.exporter.args ? { args: engine.exporter.args } : {}),
            ...(engine.exporter.env ? { env: engine.exporter.env(c) } : {}),
            ports: [{ name: "metrics", containerPort: engine.exporter.port, protocol: "TCP" }],
            resources: canonicalResources(engine.exporter.resources),
            // It serves only /metrics, which polls the engine: a listening port is its health.
            readinessProbe: { tcpSocket: { port: "metrics" }, periodSeconds: 10 },
            livenessProbe: { tcpSocket: { port: "metrics" }, periodSeconds: 10, initialDelaySeconds: 10 },
          },
        ]
      : undefined,
    container: {
      name: c.engine,
      image: c.image,
      ...command,
      ports: containerPorts.map(([n, p]) => ({ name: n, containerPort: p, protocol: "TCP" })),
      // The engine's variables, then the description's, each after the variables it refers to with $(NAME).
      env: dependencyOrderedEnv([...env, ...envVars(target, c.env)]),
      resources: canonicalResources(c.resources),
      readinessProbe: engine.probe(ctx),
      livenessProbe: { ...(engine.liveness ?? engine.probe)(ctx), initialDelaySeconds: 30 },
      ...(engine.startupSeconds ? { startupProbe: startupProbe(engine, ctx) } : {}),
    },
  });
  if (Object.keys(b.config.annotations).length)
    template.metadata = {
      ...template.metadata,
      annotations: { ...template.metadata?.annotations, ...b.config.annotations },
    };
  // The members that run the exporter carry its label on their pods (the selector stays as it was).
  if (engine.exporter) template.metadata = { ...template.metadata, labels: { ...labels, [EXPORTER_LABEL]: "true" } };
  return make(StatefulSet, {
    metadata: { name: set.setName, namespace: target.namespace, labels },
    spec: {
      serviceName: headless,
      replicas: set.replicas,
      podManagementPolicy: engine.peersForReadiness ? "Parallel" : "OrderedReady",
      updateStrategy: { type: "RollingUpdate" },
      selector: { matchLabels: podSelector },
      template,
      volumeClaimTemplates: [
        {
          metadata: { name: "data" },
          spec: {
            accessModes: ["ReadWriteOnce"],
            storageClassName: c.storageClass,
            resources: { requests: { storage: canonicalQuantity(c.storage) } },
          },
        },
      ],
    },
  });
}

/**
 * The startup probe of an engine whose start waits for its peers: its liveness check, failing for up to the engine's
 * `startupSeconds` before liveness takes over.
 */
function startupProbe(engine: ReturnType<typeof engineOf>, ctx: StoreEnvContext): Probe {
  const check = (engine.liveness ?? engine.probe)(ctx);
  const period = check.periodSeconds ?? 10;
  return { ...check, periodSeconds: period, failureThreshold: Math.ceil(engine.startupSeconds! / period) };
}
