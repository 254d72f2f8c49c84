/**
 * Zero-trust networking: a default-deny policy for the namespace, DNS for
 * every pod, and, per component, exactly the traffic its `dependsOn` graph
 * implies (callers in, dependencies out, the ingress controller for exposed
 * services, cross-region replication to the primary region).
 */
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type {
  IIoK8sApiNetworkingV1NetworkPolicyEgressRule as EgressRule,
  IIoK8sApiNetworkingV1NetworkPolicyIngressRule as IngressRule,
  IIoK8sApiNetworkingV1NetworkPolicyPort as PolicyPort,
} from "kubernetes-models/networking.k8s.io/v1";
import type { ResolvedTarget } from "../model/target.ts";
import { ENGINES, engineOf } from "../stores/index.ts";
import { ingressPorts } from "./ingress.ts";
import { internetEgress } from "./egress.ts";
import { crossRegionNetworks, crossRegionTls, exposureIngress } from "./exposure.ts";
import { membersTalk } from "./store.ts";
import { loadBalancerPort } from "./load-balancer.ts";
import { objectName, platformLabels, selectorLabels } from "./naming.ts";
import { make, type Made, plain } from "./objects.ts";
import { type RenderedObject } from "../model/object.ts";
import { scrapedPort } from "./monitoring.ts";
import { failoverPorts } from "./failover.ts";
import { namespacePeer } from "./naming.ts";
import { scraperPeer } from "./prometheus-stack.ts";
import { storeBackupEgress, storeBackupIngress } from "./backup-network.ts";

/** The namespace the ingress controller runs in. */
export const INGRESS_NAMESPACE = "ingress-nginx";

function portsOf(target: ResolvedTarget, key: string, peers = false): PolicyPort[] {
  const c = target.components[key];
  const ports =
    c.type === "service"
      ? c.ports
      : {
          ...ENGINES[c.engine].ports,
          ...(peers ? { ...ENGINES[c.engine].peerPorts, ...failoverPorts(target, c) } : {}),
        };
  return Object.values(ports).map((port) => ({ protocol: "TCP", port }));
}

/**
 * True when a component's writable endpoint lives in another region (a replicated store outside the primary region).
 */
function isRemote(target: ResolvedTarget, key: string): boolean {
  const c = target.components[key];
  return c.type === "store" && engineOf(c).crossRegion && target.role !== "primary";
}

const ANYWHERE = [{ ipBlock: { cidr: "0.0.0.0/0" } }];

/** Where a store in the primary region is reached from another region: the primary's networks, on its TLS port. */
function remoteRule(target: ResolvedTarget, key: string): EgressRule {
  const c = target.components[key];
  const tls = c.type === "store" ? crossRegionTls(target, c)?.tls.port : undefined;
  return {
    to: crossRegionNetworks(target, key).map((cidr) => ({ ipBlock: { cidr } })),
    ports: tls ? [{ protocol: "TCP", port: tls.number }] : portsOf(target, key),
  };
}

/** The NetworkPolicies of a target, or none where the environment does not ask for them. */
export function buildNetworkPolicies(target: ResolvedTarget): RenderedObject[] {
  if (!target.policy.networkPolicies) return [];
  const keys = Object.keys(target.components).sort();
  return [
    ...namespacePolicies(target).map((object) => foundation(object)),
    ...keys.map((key) => foundation(componentPolicy(target, keys, key), key)),
    ...Object.keys(target.hooks)
      .sort()
      .map((hook) => foundation(hookPolicy(target, hook), hook)),
  ];
}

function foundation(object: Made<typeof NetworkPolicy>, component?: string): RenderedObject {
  return { object: plain(object), component, band: "foundation" };
}

/** The namespace-wide policies: deny everything, then allow DNS. */
function namespacePolicies(target: ResolvedTarget): Made<typeof NetworkPolicy>[] {
  const metadata = (name: string) => ({
    name,
    namespace: target.namespace,
    labels: platformLabels(target, "network-policy"),
  });
  return [
    make(NetworkPolicy, {
      metadata: metadata("default-deny"),
      spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
    }),
    make(NetworkPolicy, {
      metadata: metadata("allow-dns"),
      spec: {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [
          {
            to: [
              {
                namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
                podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
              },
            ],
            ports: [
              { protocol: "UDP", port: 53 },
              { protocol: "TCP", port: 53 },
            ],
          },
        ],
      },
    }),
  ];
}

/**
 * Who may reach a component: its callers (components and hooks), the ingress controller, load balancer sources, the
 * scraper, its store peers.
 */
function componentIngress(target: ResolvedTarget, keys: string[], key: string): IngressRule[] {
  const c = target.components[key];
  const ingress: IngressRule[] = [];
  const callers = [
    ...keys.filter((k) => (target.components[k].dependsOn ?? []).includes(key)),
    ...Object.keys(target.hooks).filter((h) => target.hooks[h].dependsOn.includes(key)),
  ].sort();
  // Callers of a store whose writable endpoint is in another region go there, not to the local replicas.
  if (callers.length && !isRemote(target, key)) {
    ingress.push({
      from: callers.map((k) => ({ podSelector: { matchLabels: selectorLabels(target, objectName(target, k)) } })),
      ports: portsOf(target, key),
    });
  }
  const published = ingressPorts(target, key);
  if (published.length) {
    ingress.push({
      from: [namespacePeer(INGRESS_NAMESPACE)],
      ports: published.map((port) => ({ protocol: "TCP", port })),
    });
  }
  if (c.type === "store") ingress.push(...exposureIngress(target, key, c));
  if (c.type === "store" && c.loadBalancer && !isRemote(target, key)) {
    ingress.push({
      from: c.loadBalancer.sourceRanges.map((cidr) => ({ ipBlock: { cidr } })),
      ports: [{ protocol: "TCP", port: loadBalancerPort(target, key, c).port }],
    });
  }
  const scraped = scrapedPort(c);
  if (scraped !== undefined) {
    // The platform's own Prometheus (prometheusStack) scrapes from inside the namespace; otherwise the cluster's.
    ingress.push({ from: [scraperPeer(target)], ports: [{ protocol: "TCP", port: scraped }] });
  }
  if (membersTalk(target, key)) {
    // Peers of the same store replicate to each other.
    const self = [{ podSelector: { matchLabels: selectorLabels(target, objectName(target, key)) } }];
    ingress.push({ from: self, ports: portsOf(target, key, true) });
  }
  // The operator, metrics and backup pods of a store.
  if (c.type === "store") ingress.push(...storeBackupIngress(target, key, c));
  return ingress;
}

/** Where a component may go: the API server, its store peers, the internet it declares, its dependencies. */
function componentEgress(target: ResolvedTarget, key: string): EgressRule[] {
  const c = target.components[key];
  const egress: EgressRule[] = [];
  if (c.access?.length) {
    // The Kubernetes API server, wherever it runs.
    egress.push({
      to: ANYWHERE,
      ports: [
        { protocol: "TCP", port: 443 },
        { protocol: "TCP", port: 6443 },
      ],
    });
  }
  if (membersTalk(target, key)) {
    // Peers of the same store replicate to each other.
    const self = [{ podSelector: { matchLabels: selectorLabels(target, objectName(target, key)) } }];
    egress.push({ to: self, ports: portsOf(target, key, true) });
  }
  if (c.type === "store") egress.push(...storeBackupEgress(target, c));
  // Replicas outside the primary region follow it across regions.
  // (An operator's replica cluster follows the primary through the object store, not across regions.)
  if (isRemote(target, key) && !(c.type === "store" && engineOf(c).operator)) egress.push(remoteRule(target, key));
  egress.push(...internetEgress(c));
  for (const dep of [...(c.dependsOn ?? [])].sort()) egress.push(dependencyEgress(target, dep));
  return egress;
}

/** Egress to one dependency: its pods, or the primary region's networks when it runs there. */
function dependencyEgress(target: ResolvedTarget, dep: string): EgressRule {
  if (isRemote(target, dep)) return remoteRule(target, dep);
  return {
    to: [{ podSelector: { matchLabels: selectorLabels(target, objectName(target, dep)) } }],
    ports: portsOf(target, dep),
  };
}

/** A pod policy: ingress and egress for the pods of `name`. */
function podPolicy(
  target: ResolvedTarget,
  name: string,
  ingress: IngressRule[],
  egress: EgressRule[],
): Made<typeof NetworkPolicy> {
  return make(NetworkPolicy, {
    metadata: { name, namespace: target.namespace, labels: platformLabels(target, "network-policy") },
    spec: {
      podSelector: { matchLabels: selectorLabels(target, name) },
      policyTypes: ["Ingress", "Egress"],
      ingress,
      egress,
    },
  });
}

/** One component's policy. */
function componentPolicy(target: ResolvedTarget, keys: string[], key: string): Made<typeof NetworkPolicy> {
  return podPolicy(target, objectName(target, key), componentIngress(target, keys, key), componentEgress(target, key));
}

/** One hook's policy: no ingress; egress to what it depends on, and HTTPS anywhere when it calls out. */
function hookPolicy(target: ResolvedTarget, hook: string): Made<typeof NetworkPolicy> {
  const spec = target.hooks[hook];
  const egress = spec.dependsOn
    .slice()
    .sort()
    .map((dep) => dependencyEgress(target, dep));
  if (spec.externalHttps) egress.push({ to: ANYWHERE, ports: [{ protocol: "TCP", port: 443 }] });
  return podPolicy(target, objectName(target, hook), [], egress);
}
