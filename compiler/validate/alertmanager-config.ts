/**
 * AlertmanagerConfig read leniently for the alerting rules: its routes (nested, each with its JSON pointer), its
 * receivers and the Secret keys they read, and whether a route's matchers accept a set of alert labels.
 */
import type { KubeObject } from "../model/object.ts";
import { obj, objects, str } from "../kube/loose.ts";
import type { JsonObject } from "../kube/loose.ts";

/** One route of the tree, with its matchers and the routes above it. */
export interface RouteNode {
  pointer: string;
  receiver?: string;
  matchers: { name: string; value: string; matchType: string }[];
  continue: boolean;
  children: RouteNode[];
}

function node(r: JsonObject, pointer: string): RouteNode {
  return {
    pointer,
    receiver: str(r.receiver),
    matchers: objects(r.matchers).map(([m]) => ({
      name: str(m.name) ?? "",
      value: str(m.value) ?? "",
      matchType: str(m.matchType) ?? "=",
    })),
    continue: r.continue === true,
    children: objects(r.routes).map(([c, i]) => node(c, `${pointer}/routes/${i}`)),
  };
}

/** Whether `o` is a prometheus-operator AlertmanagerConfig. */
export function isAlertmanagerConfig(o: KubeObject): boolean {
  return o.kind === "AlertmanagerConfig" && o.apiVersion.startsWith("monitoring.coreos.com/");
}

/** The route tree of an AlertmanagerConfig, or none. */
export function routeOf(o: KubeObject): RouteNode | undefined {
  const route = obj(o.spec).route;
  return route && typeof route === "object" ? node(obj(route), "/spec/route") : undefined;
}

/** Every route of the tree, depth first. */
export function allRoutes(root: RouteNode | undefined): RouteNode[] {
  return root ? [root, ...root.children.flatMap(allRoutes)] : [];
}

/** The receivers by name, with their pointer and the integrations they configure (`pagerdutyConfigs`...). */
export function receiversOf(o: KubeObject): Map<string, { pointer: string; body: JsonObject }> {
  return new Map(
    objects(obj(o.spec).receivers).map(([r, i]) => [str(r.name) ?? "", { pointer: `/spec/receivers/${i}`, body: r }]),
  );
}

/** Whether one matcher accepts a label value (an absent label is the empty string, as in Alertmanager). */
function accepts(m: RouteNode["matchers"][number], value: string): boolean {
  const full = (re: string) => new RegExp(`^(?:${re})$`).test(value);
  if (m.matchType === "=") return value === m.value;
  if (m.matchType === "!=") return value !== m.value;
  if (m.matchType === "=~") return full(m.value);
  return !full(m.value);
}

/**
 * The receivers an alert with `labels` reaches from `route`, walked as Alertmanager does: a matching route hands
 * the alert to its first matching child (and on, while children say `continue`), else keeps it; a route without a
 * receiver uses its parent's. `undefined` when the route does not match at all.
 */
export function receiversFor(
  route: RouteNode,
  labels: Record<string, string>,
  inherited?: string,
): string[] | undefined {
  if (!route.matchers.every((m) => accepts(m, labels[m.name] ?? ""))) return undefined;
  const own = route.receiver ?? inherited;
  const out: string[] = [];
  let matched = false;
  for (const child of route.children) {
    const reached = receiversFor(child, labels, own);
    if (!reached) continue;
    matched = true;
    out.push(...reached);
    if (!child.continue) break;
  }
  return matched ? out : own ? [own] : [];
}
