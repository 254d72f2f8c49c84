/**
 * Distributed tracing (`tracing`): every pod of the platform, Istio sidecars
 * included, may send spans to the collector component on its receiver ports.
 * Renders the NetworkPolicies for that path (where the environment asks for
 * NetworkPolicies) and, in a mesh with authorization, the AuthorizationPolicy
 * that admits the namespace's workloads on those ports.
 */
import { AuthorizationPolicy } from "@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { ManifoldError } from "../errors.ts";
import type { ResolvedTarget } from "../model/target.ts";
import { objectName, platformLabels, selectorLabels } from "./naming.ts";
import { SKIP_DRY_RUN } from "../sync/annotations.ts";
import { make } from "./objects.ts";
import { type RenderedObject } from "../model/object.ts";
import { componentPort } from "./pod.ts";

/** The tracing objects of a target, or nothing when the platform declares no collector. */
export function buildTracing(target: ResolvedTarget): RenderedObject[] {
  const tracing = target.tracing;
  if (!tracing) return [];
  if (!target.components[tracing.collector])
    throw new ManifoldError(`names unknown component "${tracing.collector}"`, { field: "tracing.collector" });
  const ports = tracing.ports.map((p, i) => {
    try {
      return componentPort(target, tracing.collector, p).port;
    } catch (e) {
      throw new ManifoldError((e as Error).message, { field: `tracing.ports[${i}]` });
    }
  });
  const name = objectName(target, tracing.collector);
  const collector = { podSelector: { matchLabels: selectorLabels(target, name) } };
  const policyPorts = ports.map((port) => ({ protocol: "TCP" as const, port }));
  const out: RenderedObject[] = [];
  if (target.policy.networkPolicies) {
    const labels = platformLabels(target, "network-policy");
    out.push(
      {
        band: "foundation",
        object: make(NetworkPolicy, {
          metadata: { name: "allow-tracing", namespace: target.namespace, labels },
          spec: { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [collector], ports: policyPorts }] },
        }),
      },
      {
        band: "foundation",
        component: tracing.collector,
        object: make(NetworkPolicy, {
          metadata: { name: `${name}-spans`, namespace: target.namespace, labels },
          spec: {
            ...collector,
            policyTypes: ["Ingress"],
            ingress: [{ from: [{ podSelector: {} }], ports: policyPorts }],
          },
        }),
      },
    );
  }
  if (target.mesh && target.mesh.authorization !== false) {
    out.push({
      band: "foundation",
      component: tracing.collector,
      object: make(AuthorizationPolicy, {
        metadata: {
          name: `${name}-spans`,
          namespace: target.namespace,
          labels: platformLabels(target, "mesh"),
          annotations: { ...SKIP_DRY_RUN },
        },
        spec: {
          action: "ALLOW",
          selector: { matchLabels: selectorLabels(target, name) },
          rules: [
            {
              from: [{ source: { namespaces: [target.namespace] } }],
              to: [{ operation: { ports: ports.map(String) } }],
            },
          ],
        },
      }),
    });
  }
  return out;
}
