/**
 * Cross-region exposure of the stores other regions write to and replicate from (engines with `crossRegion`).
 *
 * In the primary region, a store's writable pods get an internal load-balanced endpoint, `<name>-cross-region`: a
 * Service of type LoadBalancer with the AWS internal-scheme annotations, external-dns's hostname annotation for
 * `<name>.<namespace>.<primary serviceDomain>` (the name the other regions' ExternalName Services point at),
 * `loadBalancerSourceRanges` and a NetworkPolicy rule that admit only the declared networks of the environment's other
 * regions, on the engine's TLS port only. Traffic between regions is encrypted by TLS on the store: a cert-manager
 * Certificate `<name>-tls` (from the environment-wide CA ClusterIssuer, `CROSS_REGION_ISSUER`) is mounted into the
 * primary and into the other regions' replicas, and the engine's `tls` settings turn TLS on there.
 */
import { Certificate } from "@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate";
import { Service } from "kubernetes-models/v1/Service";
import type { IIoK8sApiNetworkingV1NetworkPolicyIngressRule as IngressRule } from "kubernetes-models/networking.k8s.io/v1";
import type { StoreComponent } from "../describe/types.ts";
import { ManifoldError } from "../errors.ts";
import type { RenderedObject } from "../model/object.ts";
import type { ResolvedTarget } from "../model/target.ts";
import type { StoreEngineDefinition, StoreMode, StoreTls } from "../stores/engine.ts";
import { engineOf } from "../stores/index.ts";
import { hasFailover } from "./failover.ts";
import { INTERNAL_LB_ANNOTATIONS } from "./load-balancer.ts";
import { make, plain } from "./objects.ts";

/**
 * The cert-manager ClusterIssuer that signs the stores' cross-region certificates. The cluster layer provides it in
 * every cluster of an environment from one CA key pair (so a replica in one region trusts the primary in another).
 */
export const CROSS_REGION_ISSUER = "manifold-cross-region-ca";
/** Where the cross-region certificate is mounted in a store's pods. */
export const CROSS_REGION_TLS_DIR = "/etc/manifold/cross-region-tls";
/** The AWS annotation that asks for a Network Load Balancer. */
const NLB_ANNOTATION = "service.beta.kubernetes.io/aws-load-balancer-type";
/** external-dns's annotation for the DNS name of a LoadBalancer Service. */
export const EXTERNAL_DNS_HOSTNAME = "external-dns.alpha.kubernetes.io/hostname";

/** The store's engine and TLS settings when it carries traffic between regions in this target, else undefined. */
export function crossRegionTls(
  target: ResolvedTarget,
  c: StoreComponent,
): { engine: StoreEngineDefinition; tls: StoreTls } | undefined {
  const engine = engineOf(c);
  if (!engine.crossRegion || !engine.tls || target.peers.length === 0) return undefined;
  return { engine, tls: engine.tls };
}

/**
 * True for the pod sets that take (the primary) or make (other regions' replicas) cross-region connections. Under
 * automatic failover every member of the primary region may become the primary, so all of them take them.
 */
export function usesCrossRegionTls(target: ResolvedTarget, c: StoreComponent, mode: StoreMode): boolean {
  if (!crossRegionTls(target, c)) return false;
  if (target.role === "primary") return mode === "primary" || (mode === "replica" && hasFailover(target, c));
  return mode === "replica";
}

/** The Secret the store's cross-region certificate is written to. */
export function crossRegionSecret(name: string): string {
  return `${name}-tls`;
}

/** The DNS name other regions reach the primary region's store at (what their ExternalName Services point at). */
export function crossRegionHost(target: ResolvedTarget, name: string): string {
  return `${name}.${target.namespace}.${target.primary.cluster.serviceDomain}`;
}

/** The declared networks of the regions that reach this target's store (primary) or that it reaches (others). */
export function crossRegionNetworks(target: ResolvedTarget, key: string): string[] {
  const regions =
    target.role === "primary"
      ? target.peers.map((p) => ({ region: p.region, cluster: p.cluster }))
      : [{ region: target.primary.region, cluster: target.primary.cluster }];
  return regions.flatMap(({ region, cluster }) => {
    if (!cluster.networks?.length)
      throw new ManifoldError(
        `component ${key} carries writes and replication between regions, but region ${region} declares no networks for its ${target.environment} cluster`,
        { file: `regions/${region}.ts`, field: `clusters.${target.environment}.networks`, target: target.id },
      );
    return cluster.networks;
  });
}

/** How a store's exposure differs from the default (a certificate in every region, mounted by the store's pods). */
export interface ExposureOptions {
  /**
   * Which regions render the certificate: all (the primary takes, the replicas make, cross-region connections), only
   * the primary (an operator that serves it from the Secret, while its replicas follow through an object store).
   */
  certificate?: "all" | "primary";
  /** The port the load balancer forwards to, when not the TLS port's name. */
  targetPort?: number | string;
  /** More names the primary's server certificate carries (the operator's own Services). */
  serverNames?: string[];
  /** Labels the certificate's Secret carries (one an operator watches, to reload the certificate on renewal). */
  secretLabels?: Record<string, string>;
}

/** The names a Service is dialed by from its namespace and from others: short, `.<ns>`, `.<ns>.svc`, the full one. */
export function serviceNames(target: ResolvedTarget, service: string): string[] {
  const ns = target.namespace;
  return [service, `${service}.${ns}`, `${service}.${ns}.svc`, `${service}.${ns}.svc.cluster.local`];
}

/**
 * The exposure of one store in this target: in the primary region its internal LoadBalancer and certificate, in the
 * other regions the replicas' certificate; nothing for engines without cross-region traffic or a single region.
 *
 * Contract, for any `crossRegion` engine (its `tls` says which port and settings): `selector` selects the writable
 * pods (the ones the client Service of the primary region selects), `labels` are the store's labels. The Service
 * exposes exactly `tls.port` (by its container port name, or `options.targetPort`), to exactly the other regions'
 * declared networks. The certificate's names are every name clients dial the store by: the cross-region host, and the
 * store's Service (other regions' clients dial an ExternalName Service of the same name in the same namespace, and
 * verify the server against the name they dial). An engine whose operator serves TLS (CloudNativePG) passes
 * `certificate: "primary"` and the operator's Service names; its Cluster names the Secret.
 */
export function buildExposure(
  target: ResolvedTarget,
  key: string,
  name: string,
  c: StoreComponent,
  selector: Record<string, string>,
  labels: Record<string, string>,
  options: ExposureOptions = {},
): RenderedObject[] {
  const found = crossRegionTls(target, c);
  if (!found) return [];
  const { certificate: which = "all", targetPort } = options;
  const { tls } = found;
  const replicas = `${name}-replica`;
  const dnsNames =
    target.role === "primary"
      ? [crossRegionHost(target, name), ...serviceNames(target, name), ...(options.serverNames ?? [])]
      : serviceNames(target, replicas);
  const certificate: RenderedObject = {
    band: "foundation",
    component: key,
    object: make(Certificate, {
      metadata: { name: crossRegionSecret(name), namespace: target.namespace, labels },
      spec: {
        secretName: crossRegionSecret(name),
        ...(options.secretLabels ? { secretTemplate: { labels: options.secretLabels } } : {}),
        commonName: dnsNames[0],
        dnsNames,
        usages: ["server auth", "client auth"],
        privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
        issuerRef: { kind: "ClusterIssuer", name: CROSS_REGION_ISSUER, group: "cert-manager.io" },
      },
    }),
  };
  const certificates = which === "all" || (which === "primary" && target.role === "primary") ? [certificate] : [];
  if (target.role !== "primary") return certificates;
  const service = make(Service, {
    metadata: {
      name: `${name}-cross-region`,
      namespace: target.namespace,
      labels,
      // A Network Load Balancer keeps the client's address (with externalTrafficPolicy Local), which the source ranges,
      // the NetworkPolicy and the AuthorizationPolicy admit by; a Classic ELB (the in-tree default) would not.
      annotations: {
        ...INTERNAL_LB_ANNOTATIONS,
        [NLB_ANNOTATION]: "nlb",
        [EXTERNAL_DNS_HOSTNAME]: crossRegionHost(target, name),
      },
    },
    spec: {
      type: "LoadBalancer",
      externalTrafficPolicy: "Local",
      loadBalancerSourceRanges: crossRegionNetworks(target, key),
      selector,
      ports: [{ name: tls.port.name, port: tls.port.number, targetPort: targetPort ?? tls.port.name, protocol: "TCP" }],
    },
  });
  // The edge band: Argo CD holds a wave until a LoadBalancer has an address, which must not hold up the workloads.
  return [...certificates, { band: "edge", component: key, object: plain(service) }];
}

/** The NetworkPolicy ingress rule that admits the other regions' networks to the primary's TLS port, if any. */
export function exposureIngress(target: ResolvedTarget, key: string, c: StoreComponent): IngressRule[] {
  const found = crossRegionTls(target, c);
  if (!found || target.role !== "primary") return [];
  return [
    {
      from: crossRegionNetworks(target, key).map((cidr) => ({ ipBlock: { cidr } })),
      ports: [{ protocol: "TCP", port: found.tls.port.number }],
    },
  ];
}

/** The pod volume and mount of the cross-region certificate for a pod set that uses it (else empty lists). */
export function crossRegionMounts(
  target: ResolvedTarget,
  name: string,
  c: StoreComponent,
  mode: StoreMode,
): {
  volumes: { name: string; secret: { secretName: string; defaultMode: number } }[];
  mounts: { name: string; mountPath: string; readOnly: boolean }[];
} {
  if (!usesCrossRegionTls(target, c, mode)) return { volumes: [], mounts: [] };
  return {
    // 0440: readable by the pod's fsGroup; PostgreSQL accepts a root-owned key file with group read (u=rw,g=r or less).
    volumes: [{ name: "cross-region-tls", secret: { secretName: crossRegionSecret(name), defaultMode: 0o440 } }],
    mounts: [{ name: "cross-region-tls", mountPath: CROSS_REGION_TLS_DIR, readOnly: true }],
  };
}
