/**
 * The metrics exporter of a store whose engine has no metrics endpoint of its own (Redis: redis_exporter): a sidecar
 * on each member, a `<name>-metrics` Service that selects the members carrying it, and a ServiceMonitor the platform's
 * Prometheus selects (by `app.kubernetes.io/part-of`).
 */
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import type { IIoK8sApiCoreV1Container as Container } from "kubernetes-models/v1";
import { Service } from "kubernetes-models/v1/Service";
import type { StoreComponent } from "../describe/types.ts";
import type { RenderedObject } from "../model/object.ts";
import type { ResolvedTarget } from "../model/target.ts";
import { engineOf } from "../stores/index.ts";
import { SKIP_DRY_RUN } from "../sync/annotations.ts";
import { scrapeTls } from "./monitoring.ts";
import { objectName, selectorLabels, standardLabels } from "./naming.ts";
import { plain } from "./objects.ts";
import { containerSecurity } from "./pod.ts";

/** The label on the members that run the exporter sidecar (what the metrics Service selects). */
export const EXPORTER_LABEL = "manifold.dev/exporter";

/** The exporter's resources: it reads the server's INFO on each scrape. */
const EXPORTER_RESOURCES = { requests: { cpu: "10m", memory: "32Mi" }, limits: { cpu: "200m", memory: "128Mi" } };

/** The exporter sidecar's resources on each member, or undefined when the engine has none. */
export function exporterResources(c: StoreComponent): typeof EXPORTER_RESOURCES | undefined {
  return engineOf(c).exporter ? EXPORTER_RESOURCES : undefined;
}

/** The `<name>-metrics` Service and ServiceMonitor. */
export function metricsName(name: string): string {
  return `${name}-metrics`;
}

/** The exporter sidecar of a member, or none when the engine has no exporter. */
export function exporterContainers(c: StoreComponent): Container[] {
  const exporter = engineOf(c).exporter;
  if (!exporter) return [];
  return [
    {
      name: "exporter",
      image: exporter.image,
      env: exporter.env(c),
      ports: [{ name: exporter.port.name, containerPort: exporter.port.number, protocol: "TCP" }],
      resources: EXPORTER_RESOURCES,
      readinessProbe: { tcpSocket: { port: exporter.port.name }, periodSeconds: 10, timeoutSeconds: 5 },
      livenessProbe: { tcpSocket: { port: exporter.port.name }, initialDelaySeconds: 30, periodSeconds: 10 },
      securityContext: { ...containerSecurity(), runAsUser: exporter.runAsUser, runAsGroup: exporter.runAsUser },
    },
  ];
}

/** The labels a member carries when it runs the exporter. */
export function exporterLabels(c: StoreComponent): Record<string, string> {
  return engineOf(c).exporter ? { [EXPORTER_LABEL]: "true" } : {};
}

/** The metrics Service and ServiceMonitor of a store with an exporter, or nothing. */
export function buildStoreExporter(target: ResolvedTarget, key: string, c: StoreComponent): RenderedObject[] {
  const exporter = engineOf(c).exporter;
  if (!exporter) return [];
  const name = objectName(target, key);
  const metrics = metricsName(name);
  const labels = standardLabels(target, name, "metrics", c);
  const service = new Service({
    metadata: { name: metrics, namespace: target.namespace, labels },
    spec: {
      type: "ClusterIP",
      selector: { ...selectorLabels(target, name), [EXPORTER_LABEL]: "true" },
      ports: [
        { name: exporter.port.name, port: exporter.port.number, targetPort: exporter.port.name, protocol: "TCP" },
      ],
    },
  });
  const monitor = new ServiceMonitor({
    metadata: { name: metrics, namespace: target.namespace, labels, annotations: { ...SKIP_DRY_RUN } },
    spec: {
      selector: { matchLabels: { ...selectorLabels(target, name), "app.kubernetes.io/component": "metrics" } },
      namespaceSelector: { matchNames: [target.namespace] },
      endpoints: [
        {
          port: exporter.port.name,
          path: "/metrics",
          // The platform Prometheus's own scrape interval, unless the description names one.
          ...(c.metrics?.interval ? { interval: c.metrics.interval } : {}),
          ...scrapeTls(target),
        },
      ],
    },
  });
  return [
    { object: plain(service), component: key, band: "workload" },
    { object: plain(monitor), component: key, band: "observability" },
  ];
}
