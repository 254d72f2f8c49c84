/**
 * The public hosts of a target and what each one routes where: the hosts of its platform Ingresses, of its exposed
 * services and of its Istio Gateway, each with its path routes as the ingress controller matches them. A host's
 * health path is a readiness probe of a component behind it that a request for that path, sent to the host,
 * reaches: Route 53's health checker then proves the service answers, through the same ingress as its users.
 */
import { ManifoldError } from "../errors.ts";
import type { ResolvedTarget } from "../model/target.ts";
import { componentPort } from "./pod.ts";

/** One path route of a public host: requests matching `path` go to `port` of `component`. */
export interface PublicRoute {
  path: string;
  /** `Prefix` matches whole path elements (an Ingress), `string` any string prefix (an Istio `uri.prefix`). */
  match: "Prefix" | "Exact" | "string";
  component: string;
  port: number;
}

/** A public host prefix (`ossa-api`, served as `ossa-api.<region domain>`), where it is declared, and its routes. */
export interface PublicHost {
  prefix: string;
  /** The description field that declares it, for errors. */
  field: string;
  routes: PublicRoute[];
  /** True when the ingress rewrites paths: which path reaches a component is then not known. */
  rewrites?: boolean;
}

/** Every public host prefix of a target, in a stable order (one entry per prefix). */
export function publicHosts(target: ResolvedTarget): PublicHost[] {
  const out = new Map<string, PublicHost>();
  const add = (h: PublicHost) => {
    if (!out.has(h.prefix)) out.set(h.prefix, h);
  };
  const port = (component: string, name?: string) => componentPort(target, component, name).port;
  for (const name of Object.keys(target.ingresses ?? {}).sort()) {
    const spec = target.ingresses![name];
    const rewrites = Object.keys(spec.annotations ?? {}).some((a) => a.endsWith("/rewrite-target"));
    spec.rules.forEach((rule, r) =>
      add({
        prefix: rule.host,
        field: `ingresses.${name}.rules[${r}].host`,
        rewrites,
        routes: rule.paths.map((p) => ({
          path: p.path ?? "/",
          match: p.pathType ?? "Prefix",
          component: p.component,
          port: port(p.component, p.port),
        })),
      }),
    );
  }
  for (const key of Object.keys(target.components).sort()) {
    const c = target.components[key];
    if (c.type !== "service" || !c.expose) continue;
    const expose = c.expose;
    add({
      prefix: expose.host,
      field: `components.${key}.expose.host`,
      routes: [{ path: expose.path ?? "/", match: "Prefix", component: key, port: port(key, expose.port) }],
    });
  }
  const gateway = target.mesh?.gateway;
  if (gateway)
    add({
      prefix: gateway.host,
      field: "mesh.gateway.host",
      routes: gateway.routes.map((r) => ({
        path: r.prefix ?? "/",
        match: "string" as const,
        component: r.component,
        port: port(r.component, r.port),
      })),
    });
  return [...out.values()];
}

function matches(route: PublicRoute, path: string): boolean {
  if (route.match === "Exact") return path === route.path;
  if (route.match === "string") return path.startsWith(route.path);
  const prefix = route.path.replace(/\/+$/, "");
  return prefix === "" || path === prefix || path.startsWith(prefix + "/");
}

/** The route a request for `path` takes: exact matches first, then the longest matching prefix (as NGINX and Envoy). */
export function routeOf(host: PublicHost, path: string): PublicRoute | undefined {
  const exact = host.routes.find((r) => r.match === "Exact" && r.path === path);
  if (exact) return exact;
  const candidates = host.routes.filter((r) => r.match !== "Exact" && matches(r, path));
  if (host.routes.every((r) => r.match === "string")) return candidates[0];
  return candidates.sort((a, b) => b.path.length - a.path.length)[0];
}

/**
 * The path Route 53 checks on a host: the readiness probe path of the first component behind it (in route order)
 * whose probe is served on the routed port and which a request for that path reaches. Throws where none is.
 */
export function healthPath(target: ResolvedTarget, host: PublicHost): { path: string; component: string } {
  if (!host.rewrites)
    for (const route of host.routes) {
      const c = target.components[route.component];
      if (c?.type !== "service") continue;
      const readiness = c.probes?.readiness ?? { path: "/health" };
      if (readiness === false) continue;
      if (componentPort(target, route.component, readiness.port).port !== route.port) continue;
      const reached = routeOf(host, readiness.path);
      if (reached?.component === route.component && reached.port === route.port)
        return { path: readiness.path, component: route.component };
    }
  throw new ManifoldError(
    `no component behind host "${host.prefix}" has an HTTP readiness probe that a request to the host reaches (same port, path routed to it${host.rewrites ? ", no rewrite-target" : ""}): Route 53 cannot check the region's health`,
    { field: host.field, target: target.id },
  );
}
