/**
 * Istio's request checks on the server side of a connection, as Istio documents them: the PeerAuthentication mode
 * on the port (workload port-level over workload over namespace; PERMISSIVE when nothing is set), then the
 * AuthorizationPolicies (a matching DENY denies; with any ALLOW policy on the workload, only a request some ALLOW rule
 * matches passes). Principals and namespaces are known only over mutual TLS.
 */
import type { KubeObject } from "../model/object.ts";
import { blockAdmits } from "./cidr.ts";
import { list, obj, objects, str, type JsonObject } from "./loose.ts";
import type { Endpoint, PodEndpoint } from "./network-policy.ts";
import { selectorMatches } from "./selectors.ts";
import { compareNames } from "../name-order.ts";

export type MtlsMode = "STRICT" | "PERMISSIVE" | "DISABLE";

/** The mTLS mode a PeerAuthentication sets for `server` on `port`, and the policy that set it. */
export function peerAuthenticationMode(
  policies: KubeObject[],
  server: PodEndpoint,
  port: number,
): { mode: MtlsMode; by: string } {
  const mine = policies
    .filter((p) => p.kind === "PeerAuthentication" && (p.metadata.namespace ?? server.namespace) === server.namespace)
    .sort((a, b) => compareNames(a.metadata.name, b.metadata.name));
  const mode = (v: unknown): MtlsMode | undefined =>
    v === "STRICT" || v === "PERMISSIVE" || v === "DISABLE" ? v : undefined;
  for (const p of mine) {
    const spec = obj(p.spec);
    if (spec.selector === undefined || !selectorMatches(obj(spec.selector), server.labels)) continue;
    const portMode = mode(obj(obj(spec.portLevelMtls)[String(port)]).mode);
    if (portMode) return { mode: portMode, by: `PeerAuthentication/${p.metadata.name} (port ${port})` };
    const m = mode(obj(spec.mtls).mode);
    if (m) return { mode: m, by: `PeerAuthentication/${p.metadata.name}` };
  }
  const namespaceWide = mine.find((p) => obj(p.spec).selector === undefined);
  const m = namespaceWide && mode(obj(obj(namespaceWide.spec).mtls).mode);
  if (namespaceWide && m) return { mode: m, by: `PeerAuthentication/${namespaceWide.metadata.name}` };
  return { mode: "PERMISSIVE", by: "Istio's default (PERMISSIVE)" };
}

/** One request as the server's sidecar sees it. */
export interface MeshRequest {
  source: Endpoint;
  /** True over mutual TLS: only then are the source's principal and namespace known. */
  mtls: boolean;
  /** The destination (container) port. */
  port: number;
  /** True for HTTP traffic: HTTP-only fields (methods, paths, hosts) apply to it; on TCP they cannot match. */
  http: boolean;
}

function glob(pattern: string, value: string): boolean {
  if (pattern === "*") return true;
  if (pattern.startsWith("*")) return value.endsWith(pattern.slice(1));
  if (pattern.endsWith("*")) return value.startsWith(pattern.slice(0, -1));
  return pattern === value;
}

const strings = (v: unknown): string[] => list(v).filter((x): x is string => typeof x === "string");

function inBlocks(blocks: string[], source: Endpoint): boolean {
  return (
    source.kind === "network" &&
    source.cidrs.length > 0 &&
    source.cidrs.every((c) => blocks.some((b) => blockAdmits(b, [], c)))
  );
}

function sourceMatches(s: JsonObject, r: MeshRequest): boolean {
  const principal = r.mtls && r.source.kind === "pod" ? (r.source.principal ?? "") : "";
  const namespace = principal ? (/\/ns\/([^/]+)\//.exec(principal)?.[1] ?? "") : "";
  const checks: [unknown, (xs: string[]) => boolean][] = [
    [s.principals, (xs) => !!principal && xs.some((x) => glob(x, principal))],
    // A plain-text caller has no principal and no namespace: no pattern matches it, not even `*`.
    [s.notPrincipals, (xs) => !principal || !xs.some((x) => glob(x, principal))],
    [s.namespaces, (xs) => !!namespace && xs.some((x) => glob(x, namespace))],
    [s.notNamespaces, (xs) => !namespace || !xs.some((x) => glob(x, namespace))],
    [s.ipBlocks, (xs) => inBlocks(xs, r.source)],
    [s.remoteIpBlocks, (xs) => inBlocks(xs, r.source)],
    [s.notIpBlocks, (xs) => !inBlocks(xs, r.source)],
    [s.requestPrincipals, () => false],
  ];
  return checks.every(([v, f]) => v === undefined || f(strings(v)));
}

const HTTP_FIELDS = ["methods", "paths", "hosts", "notMethods", "notPaths", "notHosts"];

function operationMatches(op: JsonObject, r: MeshRequest, action: string): boolean {
  const port = String(r.port);
  if (op.ports !== undefined && !strings(op.ports).includes(port)) return false;
  if (op.notPorts !== undefined && strings(op.notPorts).includes(port)) return false;
  // On TCP traffic an ALLOW rule with HTTP-only fields matches nothing; a DENY rule ignores those fields.
  return r.http || action !== "ALLOW" || !HTTP_FIELDS.some((f) => op[f] !== undefined);
}

function ruleMatches(rule: JsonObject, r: MeshRequest, action: string): boolean {
  if (rule.when !== undefined) return action === "DENY"; // conditions are not evaluated: assume the worst
  const from = objects(rule.from);
  const to = objects(rule.to);
  const fromOk = rule.from === undefined || from.some(([f]) => sourceMatches(obj(f.source), r));
  const toOk = rule.to === undefined || to.some(([t]) => operationMatches(obj(t.operation), r, action));
  return fromOk && toOk;
}

/** What the server's AuthorizationPolicies decide for a request, and which policy (and rule) decided it. */
export function authorizationVerdict(
  policies: KubeObject[],
  server: PodEndpoint,
  r: MeshRequest,
): { allowed: boolean; by: string; rule?: string } {
  const applying = policies
    .filter(
      (p) =>
        p.kind === "AuthorizationPolicy" &&
        (p.metadata.namespace ?? server.namespace) === server.namespace &&
        (obj(p.spec).selector === undefined || selectorMatches(obj(obj(p.spec).selector), server.labels)),
    )
    .sort((a, b) => compareNames(a.metadata.name, b.metadata.name));
  const action = (p: KubeObject): string => str(obj(p.spec).action) ?? "ALLOW";
  for (const p of applying.filter((x) => action(x) === "DENY"))
    for (const [rule, i] of objects(obj(p.spec).rules))
      if (ruleMatches(rule, r, "DENY"))
        return {
          allowed: false,
          by: `AuthorizationPolicy/${p.metadata.name} (DENY)`,
          rule: `${p.metadata.name}/rules/${i}`,
        };
  const allows = applying.filter((x) => action(x) === "ALLOW");
  if (!allows.length) return { allowed: true, by: `no AuthorizationPolicy selects ${server.name}` };
  for (const p of allows)
    for (const [rule, i] of objects(obj(p.spec).rules))
      if (ruleMatches(rule, r, "ALLOW"))
        return { allowed: true, by: `AuthorizationPolicy/${p.metadata.name}`, rule: `${p.metadata.name}/rules/${i}` };
  return { allowed: false, by: allows.map((p) => `AuthorizationPolicy/${p.metadata.name}`).join(", ") };
}
