/**
 * External access to a data store (`loadBalancer`): a `<name>-external`
 * Service of type LoadBalancer on one port, internal (VPC-only) unless told
 * otherwise, accepting only its source ranges, with the client IP preserved
 * (`externalTrafficPolicy: Local`) so the NetworkPolicy can check the same ranges.
 */
import { Service } from "kubernetes-models/v1/Service";
import type { StoreComponent } from "../describe/types.ts";
import { ManifoldError } from "../errors.ts";
import type { ResolvedTarget } from "../model/target.ts";
import { engineOf } from "../stores/index.ts";
import { make, plain } from "./objects.ts";
import { type RenderedObject } from "../model/object.ts";

/** Annotations that make the cloud load balancer internal (AWS load balancer controller and in-tree provider). */
export const INTERNAL_LB_ANNOTATIONS: Record<string, string> = {
  "service.beta.kubernetes.io/aws-load-balancer-internal": "true",
  "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
};

/** The port a store's load balancer exposes. */
export function loadBalancerPort(
  target: ResolvedTarget,
  key: string,
  c: StoreComponent,
): { name: string; port: number } {
  const ports = engineOf(c).ports;
  const name = c.loadBalancer?.port ?? Object.keys(ports)[0];
  if (!(name in ports)) {
    throw new ManifoldError(
      `loadBalancer.port "${name}" is not a port of ${c.engine}; it has ${Object.keys(ports).join(", ")}`,
      { field: `components.${key}.loadBalancer.port`, target: target.id },
    );
  }
  return { name, port: ports[name] };
}

/** The LoadBalancer Service of a store, or nothing when it declares none. */
export function buildLoadBalancer(
  target: ResolvedTarget,
  key: string,
  name: string,
  c: StoreComponent,
  selector: Record<string, string>,
  labels: Record<string, string>,
): RenderedObject[] {
  if (!c.loadBalancer) return [];
  const { name: portName, port } = loadBalancerPort(target, key, c);
  const internal = c.loadBalancer.internal ?? true;
  const service = make(Service, {
    metadata: {
      name: `${name}-external`,
      namespace: target.namespace,
      labels,
      annotations: internal ? INTERNAL_LB_ANNOTATIONS : undefined,
    },
    spec: {
      type: "LoadBalancer",
      externalTrafficPolicy: "Local",
      loadBalancerSourceRanges: [...c.loadBalancer.sourceRanges],
      selector,
      ports: [{ name: portName, port, targetPort: portName, protocol: "TCP" }],
    },
  });
  // The edge band: Argo CD holds a wave until a LoadBalancer has an address, which must not hold up the workloads.
  return [{ object: plain(service), component: key, band: "edge" }];
}
