/**
 * The `service` building block: a Deployment and its Service, ServiceAccount,
 * and, where asked for, HPA, PodDisruptionBudget and Ingress.
 */
import { trustMounts } from "./trust.ts";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import { Ingress } from "kubernetes-models/networking.k8s.io/v1/Ingress";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { Service } from "kubernetes-models/v1/Service";
import type { IServicePort } from "kubernetes-models/v1/ServicePort";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import type { IIoK8sApiAutoscalingV2MetricSpec as MetricSpec } from "kubernetes-models/autoscaling/v2";
import type { ServiceComponent } from "../describe/types.ts";
import { hostsOf, regionNamesOnly } from "./global-dns.ts";
import type { ResolvedTarget } from "../model/target.ts";
import { canonicalQuantity } from "../quantity.ts";
import { HEADLESS_LABEL, configMapName, objectName, selectorLabels, standardLabels } from "./naming.ts";
import { make, type Made, plain } from "./objects.ts";
import { type RenderedObject } from "../model/object.ts";
import { canonicalResources, envVars, httpProbe, podTemplate } from "./pod.ts";
import { buildComponentConfig, componentConfigName } from "./component-config.ts";
import { configFiles } from "./files.ts";

/** The replicas a workload runs at its smallest: the HPA minimum, or its fixed count. */
export function minReplicas(c: ServiceComponent): number {
  return c.autoscale ? c.autoscale.min : c.replicas;
}

/** The ServiceAccount every workload gets, with no API token unless it asks for one. */
export function serviceAccount(
  target: ResolvedTarget,
  name: string,
  labels: Record<string, string>,
  token: boolean,
): Made<typeof ServiceAccount> {
  return make(ServiceAccount, {
    metadata: { name, namespace: target.namespace, labels },
    automountServiceAccountToken: token,
  });
}

/** A PodDisruptionBudget that still lets a node drain (at least one pod may go). */
export function disruptionBudget(
  target: ResolvedTarget,
  name: string,
  labels: Record<string, string>,
  spec: { minAvailable?: number; maxUnavailable?: number },
): Made<typeof PodDisruptionBudget> {
  const budget =
    spec.minAvailable !== undefined
      ? { minAvailable: spec.minAvailable }
      : { maxUnavailable: spec.maxUnavailable ?? 1 };
  return make(PodDisruptionBudget, {
    metadata: { name, namespace: target.namespace, labels },
    spec: { ...budget, selector: { matchLabels: selectorLabels(target, name) } },
  });
}

function hpaMetrics(c: ServiceComponent): MetricSpec[] {
  if (!c.autoscale) return [];
  const metrics: MetricSpec[] = [];
  if (c.autoscale.cpu !== undefined)
    metrics.push({
      type: "Resource",
      resource: { name: "cpu", target: { type: "Utilization", averageUtilization: c.autoscale.cpu } },
    });
  if (c.autoscale.memory !== undefined)
    metrics.push({
      type: "Resource",
      resource: { name: "memory", target: { type: "Utilization", averageUtilization: c.autoscale.memory } },
    });
  for (const m of c.autoscale.metrics ?? []) {
    metrics.push({
      type: "Pods",
      pods: {
        metric: { name: m.name },
        target: { type: "AverageValue", averageValue: canonicalQuantity(m.averageValue) },
      },
    });
  }
  return metrics;
}

/** Builds every object of one service component. */
export function buildService(target: ResolvedTarget, key: string, c: ServiceComponent): RenderedObject[] {
  const name = objectName(target, key);
  const labels = standardLabels(target, name, "service", c);
  const meta = { name, namespace: target.namespace, labels };
  const item = (object: unknown, band: RenderedObject["band"]): RenderedObject => ({
    object: plain(object),
    component: key,
    band,
  });
  const ownConfig = buildComponentConfig(target, key, name, c);
  const files = configFiles(target, name, labels, c);
  const token = c.serviceAccountToken ?? Boolean(c.access?.length);
  const out: RenderedObject[] = [
    ...ownConfig,
    ...files.objects.map((o) => ({ ...o, component: key })),
    item(serviceAccount(target, name, labels, token), "foundation"),
    item(
      make(Service, {
        metadata: meta,
        spec: {
          type: "ClusterIP",
          selector: selectorLabels(target, name),
          ports: Object.entries(c.ports).map(([n, p]) => ({
            name: n,
            port: p,
            targetPort: n,
            protocol: "TCP" as const,
          })),
        },
      }),
      "workload",
    ),
    item(serviceDeployment(target, key, c, { token, files, ownConfig: ownConfig.length > 0 }), "workload"),
  ];
  if (c.autoscale) {
    out.push(
      item(
        make(HorizontalPodAutoscaler, {
          metadata: meta,
          spec: {
            scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name },
            minReplicas: c.autoscale.min,
            maxReplicas: c.autoscale.max,
            metrics: hpaMetrics(c),
          },
        }),
        "scaling",
      ),
    );
  }
  if (target.policy.disruptionBudgets && c.disruption !== false && minReplicas(c) >= 2)
    out.push(item(disruptionBudget(target, name, labels, c.disruption ?? {}), "scaling"));
  if (c.expose) out.push(item(serviceIngress(target, key, c, c.expose), "edge"));
  return out;
}

/** The service's Deployment: its container with ports, env, config, probes and mounted files. */
function serviceDeployment(
  target: ResolvedTarget,
  key: string,
  c: ServiceComponent,
  parts: { token: boolean; files: ReturnType<typeof configFiles>; ownConfig: boolean },
): Made<typeof Deployment> {
  const name = objectName(target, key);
  const labels = standardLabels(target, name, "service", c);
  const { token, files } = parts;
  const firstPort = Object.keys(c.ports)[0];
  const probes = c.probes ?? {};
  const liveness = probes.liveness ?? { path: "/health" };
  const readiness = probes.readiness ?? { path: "/health" };
  const hasConfig = Object.keys(target.config).length > 0 && c.useConfig !== false;
  const envFrom = [
    ...(hasConfig ? [{ configMapRef: { name: configMapName(target) } }] : []),
    ...(parts.ownConfig ? [{ configMapRef: { name: componentConfigName(name) } }] : []),
  ];
  // The CA of the stores it reaches across regions, when a variable it reads carries such a URL.
  const trust = trustMounts(target, [
    c.env,
    hasConfig ? target.config : undefined,
    parts.ownConfig ? c.configMap : undefined,
  ]);
  const volumes = [...files.volumes, ...trust.volumes];
  const mounts = [...files.mounts, ...trust.mounts];
  return make(Deployment, {
    metadata: { name, namespace: target.namespace, labels },
    spec: {
      replicas: c.autoscale ? undefined : c.replicas,
      revisionHistoryLimit: 5,
      selector: { matchLabels: selectorLabels(target, name) },
      strategy: { type: "RollingUpdate", rollingUpdate: c.rollout ?? { maxSurge: "25%", maxUnavailable: 0 } },
      template: podTemplate({
        name,
        labels,
        serviceAccountName: name,
        automountToken: token,
        runAsUser: 1000,
        writablePaths: c.writablePaths ?? ["/tmp"],
        spread: minReplicas(c) >= 2 ? selectorLabels(target, name) : undefined,
        extraVolumes: volumes.length ? volumes : undefined,
        extraMounts: mounts.length ? mounts : undefined,
        container: {
          name: key,
          image: c.image,
          command: c.command,
          args: c.args,
          ports: Object.entries(c.ports).map(([n, p]) => ({ name: n, containerPort: p, protocol: "TCP" })),
          env: c.env && Object.keys(c.env).length ? envVars(target, c.env) : undefined,
          envFrom: envFrom.length ? envFrom : undefined,
          resources: canonicalResources(c.resources),
          livenessProbe: liveness ? httpProbe(liveness, firstPort) : undefined,
          readinessProbe: readiness ? httpProbe(readiness, firstPort) : undefined,
          startupProbe: probes.startup ? httpProbe(probes.startup, firstPort) : undefined,
        },
      }),
    },
  });
}

/** The NGINX Ingress of an exposed service, with a cert-manager certificate for its host. */
function serviceIngress(
  target: ResolvedTarget,
  key: string,
  c: ServiceComponent,
  expose: NonNullable<ServiceComponent["expose"]>,
): Made<typeof Ingress> {
  const name = objectName(target, key);
  const hosts = hostsOf(target, expose.host);
  const port = expose.port ?? Object.keys(c.ports)[0];
  const paths = [
    { path: expose.path ?? "/", pathType: "Prefix" as const, backend: { service: { name, port: { name: port } } } },
  ];
  return make(Ingress, {
    metadata: {
      name,
      namespace: target.namespace,
      labels: standardLabels(target, name, "service", c),
      annotations: {
        "cert-manager.io/cluster-issuer": "letsencrypt-prod",
        "nginx.ingress.kubernetes.io/ssl-redirect": "true",
        ...regionNamesOnly(target, [expose.host]),
      },
    },
    spec: {
      ingressClassName: "nginx",
      tls: [{ hosts, secretName: `${name}-tls` }],
      rules: hosts.map((host) => ({ host, http: { paths } })),
    },
  });
}

/**
 * The headless Service of a StatefulSet's pods: stable DNS names per pod, published before they are Ready (peers find
 * each other while they start), labelled so that monitors of the client Service leave it out.
 */
export function headlessService(
  target: ResolvedTarget,
  name: string,
  labels: Record<string, string>,
  selector: Record<string, string>,
  ports: IServicePort[],
): Made<typeof Service> {
  return make(Service, {
    metadata: { name, namespace: target.namespace, labels: { ...labels, [HEADLESS_LABEL]: "true" } },
    spec: { type: "ClusterIP", clusterIP: "None", publishNotReadyAddresses: true, selector, ports },
  });
}
