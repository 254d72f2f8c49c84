/**
 * A platform's own Prometheus and Alertmanager (`prometheusStack`), run by
 * the prometheus-operator (its CRDs come from another Application): the
 * Prometheus and Alertmanager custom resources, Prometheus' ServiceAccount
 * with read access for service discovery in the namespace, and, where the
 * environment asks for NetworkPolicies, the traffic the stack needs.
 * Prometheus selects the platform's ServiceMonitors, PodMonitors and
 * PrometheusRules by the evaluator label (`EVALUATOR_LABEL`), which the
 * cluster's Prometheus leaves out; the alerts that read the cluster's
 * exporters (kube-state-metrics, the kubelet) are the cluster's to evaluate. Under STRICT mesh mTLS its pods get
 * Istio's workload certificates at /etc/prom-certs (Istio's documented
 * recipe), which the ServiceMonitors use to scrape through the mesh.
 */
import { MONITORING_NAMESPACE, namespacePeer } from "./naming.ts";
import { EVALUATOR_LABEL } from "../describe/cluster-monitoring.ts";
import { Alertmanager } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Alertmanager";
import { Prometheus } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Prometheus";
import type { IEmbeddedPersistentVolumeClaim } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/EmbeddedPersistentVolumeClaim";
import type { IStorageSpec } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/StorageSpec";
import { DestinationRule } from "@kubernetes-models/istio/networking.istio.io/v1beta1/DestinationRule";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { Role } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import { RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { ManifoldError } from "../errors.ts";
import { canonicalQuantity } from "../quantity.ts";
import type { ResolvedTarget } from "../model/target.ts";
import { objectName, platformLabels, selectorLabels } from "./naming.ts";
import { SKIP_DRY_RUN } from "../sync/annotations.ts";
import { make, type Made, plain } from "./objects.ts";
import { type RenderedObject } from "../model/object.ts";
import { canonicalResources } from "./pod.ts";

/** The stack's object names, after the platform prefix. */
export const PROMETHEUS_SERVICE_ACCOUNT = "prometheus";
export const ALERTMANAGER_NAME = "alertmanager";
/** Where Istio's certificates are mounted in Prometheus under STRICT mTLS. */
export const PROM_CERTS = "/etc/prom-certs";

/** The prometheus-operator's default config-reloader sidecar resources (the ResourceQuota counts them). */
export const CONFIG_RELOADER = {
  requests: { cpu: "10m", memory: "50Mi" },
  limits: { cpu: "10m", memory: "50Mi" },
} as const;

/** The label the operator puts on the pods of a Prometheus or Alertmanager named `name`. */
export function operatorPodLabels(name: string): Record<string, string> {
  return { "operator.prometheus.io/name": name };
}

/** The name of the platform's Prometheus (and of its ServiceAccount). */
export function prometheusName(target: ResolvedTarget): string {
  return `${target.namePrefix}${PROMETHEUS_SERVICE_ACCOUNT}`;
}

/**
 * The evaluator label of the target's monitors, rules and Alertmanager configs: its own Prometheus' name, or none
 * (the cluster's Prometheus) when the platform runs no stack.
 */
export function evaluatorLabels(target: ResolvedTarget): Record<string, string> {
  return target.prometheusStack ? { [EVALUATOR_LABEL]: prometheusName(target) } : {};
}

/** The peer that scrapes the target's pods: its own Prometheus' pods, or the cluster's monitoring namespace. */
export function scraperPeer(target: ResolvedTarget) {
  return target.prometheusStack
    ? { podSelector: { matchLabels: operatorPodLabels(prometheusName(target)) } }
    : namespacePeer(MONITORING_NAMESPACE);
}

const POD_SECURITY = {
  runAsNonRoot: true,
  runAsUser: 65534,
  runAsGroup: 65534,
  fsGroup: 65534,
  seccompProfile: { type: "RuntimeDefault" as const },
};

/** The embedded claim as rendered: no apiVersion or kind (the CRD does not ask for them, the model type does). */
type EmbeddedClaim = Omit<IEmbeddedPersistentVolumeClaim, "apiVersion" | "kind">;

function claim(storage: string, storageClass: string | undefined): IStorageSpec {
  const volumeClaimTemplate: EmbeddedClaim = {
    spec: {
      accessModes: ["ReadWriteOnce"],
      storageClassName: storageClass,
      resources: { requests: { storage: canonicalQuantity(storage) } },
    },
  };
  return { volumeClaimTemplate: volumeClaimTemplate as IEmbeddedPersistentVolumeClaim };
}

/** True when a service of the target autoscales on custom Pods metrics, which the metrics adapter reads from here. */
function servesHpaMetrics(target: ResolvedTarget): boolean {
  return Object.values(target.components).some(
    (c) => c.type === "service" && c.autoscale !== undefined && c.autoscale !== false && !!c.autoscale.metrics?.length,
  );
}

/**
 * Prometheus' policy: scraped-from and queried in the namespace (and by the metrics adapter when HPAs read custom
 * metrics); scrapes it, pushes alerts, reads the API.
 */
function prometheusPolicy(
  target: ResolvedTarget,
  prom: string,
  labels: Record<string, string>,
): Made<typeof NetworkPolicy> {
  return make(NetworkPolicy, {
    metadata: { name: prom, namespace: target.namespace, labels },
    spec: {
      podSelector: { matchLabels: operatorPodLabels(prom) },
      policyTypes: ["Ingress", "Egress"],
      ingress: [
        { from: [{ podSelector: {} }], ports: [{ protocol: "TCP", port: 9090 }] },
        // The cluster's custom metrics adapter (monitoring namespace) reads the HPAs' Pods metrics from it.
        ...(servesHpaMetrics(target)
          ? [
              {
                from: [namespacePeer(MONITORING_NAMESPACE)],
                ports: [{ protocol: "TCP" as const, port: 9090 }],
              },
            ]
          : []),
      ],
      // Scrape anything in the namespace, push alerts, and read the Kubernetes API for service discovery.
      egress: [
        { to: [{ podSelector: {} }] },
        {
          to: [{ ipBlock: { cidr: "0.0.0.0/0" } }],
          ports: [
            { protocol: "TCP", port: 443 },
            { protocol: "TCP", port: 6443 },
          ],
        },
      ],
    },
  });
}

/** Alertmanager's policy: alerts from Prometheus, gossip between peers, receivers outside the cluster. */
function alertmanagerPolicy(
  target: ResolvedTarget,
  prom: string,
  am: string,
  labels: Record<string, string>,
): Made<typeof NetworkPolicy> {
  return make(NetworkPolicy, {
    metadata: { name: am, namespace: target.namespace, labels },
    spec: {
      podSelector: { matchLabels: operatorPodLabels(am) },
      policyTypes: ["Ingress", "Egress"],
      ingress: [
        {
          from: [{ podSelector: { matchLabels: operatorPodLabels(prom) } }],
          ports: [{ protocol: "TCP", port: 9093 }],
        },
        {
          from: [{ podSelector: { matchLabels: operatorPodLabels(am) } }],
          ports: [
            { protocol: "TCP", port: 9094 },
            { protocol: "UDP", port: 9094 },
          ],
        },
      ],
      // Peers gossip; receivers (email, chat, paging) are outside the cluster over TLS.
      egress: [
        {
          to: [{ podSelector: { matchLabels: operatorPodLabels(am) } }],
          ports: [
            { protocol: "TCP", port: 9094 },
            { protocol: "UDP", port: 9094 },
          ],
        },
        {
          to: [{ ipBlock: { cidr: "0.0.0.0/0" } }],
          ports: [
            { protocol: "TCP", port: 443 },
            { protocol: "TCP", port: 587 },
          ],
        },
      ],
    },
  });
}

/** The egress to Prometheus' API of the components that query it (`queriedBy`), or nothing when none does. */
function clientsPolicy(
  target: ResolvedTarget,
  prom: string,
  labels: Record<string, string>,
): Made<typeof NetworkPolicy>[] {
  const clients = [...(target.prometheusStack!.queriedBy ?? [])].sort();
  if (!clients.length) return [];
  return [
    make(NetworkPolicy, {
      metadata: { name: `${prom}-clients`, namespace: target.namespace, labels },
      spec: {
        podSelector: {
          matchExpressions: [
            { key: "app.kubernetes.io/name", operator: "In", values: clients.map((k) => objectName(target, k)) },
            { key: "app.kubernetes.io/part-of", operator: "In", values: [target.platform] },
          ],
        },
        policyTypes: ["Egress"],
        egress: [
          {
            to: [{ podSelector: { matchLabels: operatorPodLabels(prom) } }],
            ports: [{ protocol: "TCP", port: 9090 }],
          },
        ],
      },
    }),
  ];
}

/** The stack's NetworkPolicies: Prometheus, Alertmanager and, if any, Prometheus' clients. */
function networkPolicies(target: ResolvedTarget, prom: string, am: string): RenderedObject[] {
  const labels = platformLabels(target, "network-policy");
  const policies = [
    prometheusPolicy(target, prom, labels),
    alertmanagerPolicy(target, prom, am, labels),
    ...clientsPolicy(target, prom, labels),
  ];
  return policies.map((p) => ({ object: plain(p), band: "foundation" as const }));
}

/** Every object of the platform's Prometheus stack, or nothing when it has none. */
export function buildPrometheusStack(target: ResolvedTarget): RenderedObject[] {
  const stack = target.prometheusStack;
  if (!stack) return [];
  (stack.queriedBy ?? []).forEach((k, i) => {
    if (!target.components[k])
      throw new ManifoldError(`names unknown component "${k}"`, { field: `prometheusStack.queriedBy[${i}]` });
  });
  const prom = prometheusName(target);
  const am = `${target.namePrefix}${ALERTMANAGER_NAME}`;
  const strict = target.mesh?.mtls === "STRICT";
  const item = (object: unknown, band: RenderedObject["band"]): RenderedObject => ({ object: plain(object), band });
  const out: RenderedObject[] = [
    ...prometheusAccess(target, prom).map((o) => item(o, "foundation")),
    item(prometheus(target, stack.prometheus, prom, strict), "observability"),
    item(alertmanager(target, stack.alertmanager, am, strict), "observability"),
  ];
  if (strict) {
    // Prometheus' sidecar does not intercept inbound traffic, so clients (Grafana) must not wrap queries in mesh mTLS.
    out.push(
      item(
        make(DestinationRule, {
          metadata: customResourceMeta(target, prom),
          spec: {
            host: `prometheus-operated.${target.namespace}.svc.cluster.local`,
            trafficPolicy: { tls: { mode: "DISABLE" } },
          },
        }),
        "edge",
      ),
    );
  }
  if (target.policy.networkPolicies) out.push(...networkPolicies(target, prom, am));
  return out;
}

type Stack = NonNullable<ResolvedTarget["prometheusStack"]>;

/** The metadata of one of the stack's custom resources (their CRDs come from another Application). */
function customResourceMeta(target: ResolvedTarget, name: string) {
  return {
    name,
    namespace: target.namespace,
    labels: platformLabels(target, "monitoring"),
    annotations: { ...SKIP_DRY_RUN },
  };
}

/** Prometheus' ServiceAccount, and the Role and RoleBinding that let it discover targets in the namespace. */
function prometheusAccess(
  target: ResolvedTarget,
  prom: string,
): [Made<typeof ServiceAccount>, Made<typeof Role>, Made<typeof RoleBinding>] {
  const ns = target.namespace;
  const metadata = { name: prom, namespace: ns, labels: platformLabels(target, "monitoring") };
  return [
    make(ServiceAccount, { metadata, automountServiceAccountToken: true }),
    make(Role, {
      metadata,
      rules: [
        { apiGroups: [""], resources: ["services", "endpoints", "pods"], verbs: ["get", "list", "watch"] },
        { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: ["get", "list", "watch"] },
        { apiGroups: [""], resources: ["configmaps"], verbs: ["get"] },
      ],
    }),
    make(RoleBinding, {
      metadata,
      subjects: [{ kind: "ServiceAccount", name: prom, namespace: ns }],
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: prom },
    }),
  ];
}

/**
 * The Prometheus resource: it scrapes the platform's ServiceMonitors and rules in its namespace and, under a STRICT
 * mesh, writes Istio's certificates to a volume so it can scrape through mutual TLS.
 */
function prometheus(
  target: ResolvedTarget,
  p: Stack["prometheus"],
  prom: string,
  strict: boolean,
): Made<typeof Prometheus> {
  const ns = target.namespace;
  const own = { matchLabels: evaluatorLabels(target) };
  const here = { matchLabels: { "kubernetes.io/metadata.name": ns } };
  return make(Prometheus, {
    metadata: customResourceMeta(target, prom),
    spec: {
      version: p.version,
      replicas: p.replicas,
      retention: p.retention,
      scrapeInterval: p.scrapeInterval ?? "30s",
      serviceAccountName: prom,
      serviceMonitorSelector: own,
      serviceMonitorNamespaceSelector: here,
      podMonitorSelector: own,
      podMonitorNamespaceSelector: here,
      ruleSelector: own,
      ruleNamespaceSelector: here,
      externalLabels: { environment: target.environment, region: target.region },
      alerting: { alertmanagers: [{ namespace: ns, name: "alertmanager-operated", port: "web" }] },
      resources: canonicalResources(p.resources),
      securityContext: POD_SECURITY,
      storage: claim(p.storage, p.storageClass),
      podMetadata: {
        labels: selectorLabels(target, prom),
        annotations: strict
          ? {
              "proxy.istio.io/config": '{"proxyMetadata":{"OUTPUT_CERTS":"/etc/istio-output-certs"}}',
              "sidecar.istio.io/userVolumeMount": '[{"name":"istio-certs","mountPath":"/etc/istio-output-certs"}]',
              "traffic.sidecar.istio.io/includeInboundPorts": "",
              "traffic.sidecar.istio.io/includeOutboundIPRanges": "",
            }
          : undefined,
      },
      volumes: strict ? [{ name: "istio-certs", emptyDir: { medium: "Memory" } }] : undefined,
      volumeMounts: strict ? [{ name: "istio-certs", mountPath: PROM_CERTS }] : undefined,
    },
  });
}

/** The Alertmanager resource. */
function alertmanager(
  target: ResolvedTarget,
  a: Stack["alertmanager"],
  am: string,
  strict: boolean,
): Made<typeof Alertmanager> {
  return make(Alertmanager, {
    metadata: customResourceMeta(target, am),
    spec: {
      version: a.version,
      replicas: a.replicas,
      resources: canonicalResources(a.resources),
      securityContext: POD_SECURITY,
      storage: claim(a.storage, a.storageClass),
      // The platform's AlertmanagerConfig (alert-routing.ts) in this namespace, matching this namespace's alerts.
      alertmanagerConfigSelector: { matchLabels: evaluatorLabels(target) },
      alertmanagerConfigNamespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": target.namespace } },
      alertmanagerConfigMatcherStrategy: { type: "OnNamespace" },
      // Outside the mesh: Prometheus (whose outbound traffic bypasses its sidecar) pushes alerts in plain HTTP.
      podMetadata: {
        labels: selectorLabels(target, am),
        annotations: strict ? { "sidecar.istio.io/inject": "false" } : undefined,
      },
    },
  });
}
