/**
 * Platform-level ingresses (`ingresses`): one NGINX Ingress per entry, with
 * several hosts under the region's ingress domain, path routing to service
 * components, and one TLS certificate from a cert-manager ClusterIssuer.
 */
import { Ingress } from "kubernetes-models/networking.k8s.io/v1/Ingress";
import { ManifoldError } from "../errors.ts";
import type { ResolvedTarget } from "../model/target.ts";
import { hostsOf, regionNamesOnly } from "./global-dns.ts";
import { objectName, platformLabels } from "./naming.ts";
import { make, plain } from "./objects.ts";
import { type RenderedObject } from "../model/object.ts";
import { componentPort } from "./pod.ts";

/** The ingress class every Ingress uses. */
export const INGRESS_CLASS = "nginx";
/** The cert-manager ClusterIssuer used when an ingress names none. */
export const DEFAULT_ISSUER = "letsencrypt-prod";

/**
 * The ports of a component that an ingress controller must reach: its `expose` port and every platform ingress backend
 * on it.
 */
export function ingressPorts(target: ResolvedTarget, key: string): number[] {
  const c = target.components[key];
  if (c.type !== "service") return [];
  const ports = new Set<number>();
  if (c.expose) ports.add(c.ports[c.expose.port ?? Object.keys(c.ports)[0]]);
  for (const ingress of Object.values(target.ingresses ?? {})) {
    for (const rule of ingress.rules)
      for (const p of rule.paths) if (p.component === key) ports.add(componentPort(target, key, p.port).port);
  }
  return [...ports].sort((a, b) => a - b);
}

/** Every platform-level Ingress of a target. */
export function buildIngresses(target: ResolvedTarget): RenderedObject[] {
  return Object.keys(target.ingresses ?? {})
    .sort()
    .map((name) => {
      const spec = target.ingresses![name];
      const rules = spec.rules.flatMap((rule, r) => {
        const http = {
          paths: rule.paths.map((p, i) => {
            const field = `ingresses.${name}.rules[${r}].paths[${i}]`;
            const c = target.components[p.component];
            if (!c)
              throw new ManifoldError(`routes to unknown component "${p.component}"`, {
                field: `${field}.component`,
                target: target.id,
              });
            if (c.type !== "service")
              throw new ManifoldError(
                `routes to "${p.component}", which is a ${c.type}; only services can be routed to`,
                { field: `${field}.component`, target: target.id },
              );
            let port: string;
            try {
              port = componentPort(target, p.component, p.port).name;
            } catch (e) {
              if (e instanceof ManifoldError)
                throw new ManifoldError(e.message, { field: `${field}.port`, target: target.id });
              throw e;
            }
            return {
              path: p.path ?? "/",
              pathType: p.pathType ?? "Prefix",
              backend: { service: { name: objectName(target, p.component), port: { name: port } } },
            };
          }),
        };
        return hostsOf(target, rule.host).map((host) => ({ host, http }));
      });
      const ingress = make(Ingress, {
        metadata: {
          name,
          namespace: target.namespace,
          labels: platformLabels(target, "ingress"),
          annotations: {
            ...(spec.annotations ?? {}),
            "cert-manager.io/cluster-issuer": spec.issuer ?? DEFAULT_ISSUER,
            "nginx.ingress.kubernetes.io/ssl-redirect": "true",
            ...regionNamesOnly(
              target,
              spec.rules.map((r) => r.host),
            ),
          },
        },
        spec: {
          ingressClassName: INGRESS_CLASS,
          tls: [{ hosts: [...new Set(rules.map((r) => r.host))], secretName: spec.tlsSecret ?? `${name}-tls` }],
          rules,
        },
      });
      return { object: plain(ingress), band: "edge" as const };
    });
}
