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
import { buildLoadBalancer } from "./load-balancer.ts";
import type { StoreMode } from "../stores/engine.ts";
import { HEADLESS_LABEL, objectName, selectorLabels, standardLabels } from "./naming.ts";
import { plain } from "./objects.ts";
import { type RenderedObject } from "../model/object.ts";
import { canonicalResources, envVars, podTemplate } from "./pod.ts";
import { disruptionBudget, serviceAccount } from "./service.ts";
import { seedContainers } from "./seed-paths.ts";

interface PodSet {
  setName: string;
  mode: StoreMode;
  replicas: number;
}

/** The pod sets a store runs in this target's region. */
export function storePodSets(target: ResolvedTarget, name: string, c: StoreComponent): PodSet[] {
  const engine = engineOf(c);
  if (!engine.crossRegion) return [{ setName: name, mode: "cluster", replicas: c.replicas }];
  if (target.role !== "primary") return [{ setName: `${name}-replica`, mode: "replica", replicas: c.replicas }];
  const sets: PodSet[] = [{ setName: `${name}-primary`, mode: "primary", replicas: 1 }];
  if (c.replicas > 1) sets.push({ setName: `${name}-replica`, mode: "replica", replicas: c.replicas - 1 });
  return sets;
}

/** Where other regions reach the primary region's writable endpoint of a store. */
export function remotePrimaryHost(target: ResolvedTarget, name: string): string {
  return `${name}.${target.namespace}.${target.primary.cluster.serviceDomain}`;
}

/** Builds every object of one data-store component. */
export function buildStore(target: ResolvedTarget, key: string, c: StoreComponent): RenderedObject[] {
  if (c.flavor !== undefined && c.engine !== "postgres")
    throw new ManifoldError(`flavor applies to postgres only, not ${c.engine}`, {
      field: `components.${key}.flavor`,
      target: target.id,
    });
  const engine = engineOf(c);
  const problem = engine.check?.(c);
  if (problem) throw new ManifoldError(problem, { field: `components.${key}`, target: target.id });
  const name = objectName(target, key);
  const init = buildInitScripts(target, key, name, c);
  const out: RenderedObject[] = [...init.objects];
  const add = (object: unknown, band: RenderedObject["band"]) =>
    out.push({ object: plain(object), component: key, band });
  const ports = Object.entries(engine.ports);
  const servicePorts = ports.map(([n, p]) => ({ name: n, port: p, targetPort: n, protocol: "TCP" as const }));
  const peerPorts = Object.entries(engine.peerPorts ?? {});
  const headlessPorts = [
    ...servicePorts,
    ...peerPorts.map(([n, p]) => ({ name: n, port: p, targetPort: n, protocol: "TCP" as const })),
  ];
  const baseLabels = standardLabels(target, name, "database", c);
  const sets = storePodSets(target, name, c);
  const primaryHost = target.role === "primary" || !engine.crossRegion ? name : remotePrimaryHost(target, name);

  add(serviceAccount(target, name, baseLabels, false), "foundation");

  // The client-facing Service: the writable primary (or the whole cluster), or an ExternalName to the primary region.
  if (engine.crossRegion && target.role !== "primary") {
    add(
      new Service({
        metadata: { name, namespace: target.namespace, labels: baseLabels },
        spec: { type: "ExternalName", externalName: primaryHost, ports: servicePorts },
      }),
      "workload",
    );
  } else {
    const role = engine.crossRegion ? "primary" : "database";
    const selector = { ...selectorLabels(target, name), "app.kubernetes.io/component": role };
    add(
      new Service({
        metadata: { name, namespace: target.namespace, labels: baseLabels },
        spec: { type: "ClusterIP", selector, ports: servicePorts },
      }),
      "workload",
    );
    out.push(...buildLoadBalancer(target, key, name, c, selector, baseLabels));
  }

  for (const set of sets) {
    const role = set.mode === "cluster" ? "database" : set.mode;
    const labels = { ...standardLabels(target, name, role, c) };
    const podSelector = { ...selectorLabels(target, name), "app.kubernetes.io/component": role };
    const headless = `${set.setName}-headless`;
    const ctx = {
      mode: set.mode,
      spec: c,
      primaryHost,
      setName: set.setName,
      headlessName: headless,
      namespace: target.namespace,
    };
    if (set.mode === "replica" && engine.crossRegion) {
      add(
        new Service({
          metadata: { name: set.setName, namespace: target.namespace, labels },
          spec: { type: "ClusterIP", selector: podSelector, ports: servicePorts },
        }),
        "workload",
      );
    }
    add(
      new Service({
        metadata: { name: headless, namespace: target.namespace, labels: { ...labels, [HEADLESS_LABEL]: "true" } },
        spec: {
          type: "ClusterIP",
          clusterIP: "None",
          publishNotReadyAddresses: true,
          selector: podSelector,
          ports: headlessPorts,
        },
      }),
      "workload",
    );
    const command = engine.command?.({ ...ctx, replicas: set.replicas }) ?? {};
    const template = podTemplate({
      name,
      labels,
      serviceAccountName: name,
      automountToken: false,
      runAsUser: engine.runAsUser,
      writablePaths: engine.writablePaths,
      extraVolumes: init.volumes,
      extraMounts: [{ name: "data", mountPath: engine.dataPath }, ...init.mounts],
      spread: set.replicas >= 2 ? podSelector : undefined,
      initContainers: seedContainers(c.image, engine.imageConfigPaths ?? [], canonicalResources(c.resources)),
      container: {
        name: c.engine,
        image: c.image,
        ...command,
        ports: [...ports, ...peerPorts].map(([n, p]) => ({ name: n, containerPort: p, protocol: "TCP" })),
        env: [...engine.env(ctx), ...envVars(target, c.env)],
        resources: canonicalResources(c.resources),
        readinessProbe: engine.probe(ctx),
        livenessProbe: { ...(engine.liveness ?? engine.probe)(ctx), initialDelaySeconds: 30 },
      },
    });
    add(
      new StatefulSet({
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
      }),
      "workload",
    );
    if (target.policy.disruptionBudgets && c.disruption !== false && set.replicas >= 2) {
      const budget = disruptionBudget(target, set.setName, labels, c.disruption ?? {});
      budget.spec!.selector = { matchLabels: podSelector };
      add(budget, "scaling");
    }
  }
  return out;
}
