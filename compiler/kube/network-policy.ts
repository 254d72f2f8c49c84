/**
 * NetworkPolicy semantics, as the API documents them: a pod is isolated in a direction once a policy of its
 * namespace selects it with that policy type; then a connection passes only when some rule of such a policy admits
 * the peer (pods by podSelector in the policy's namespace, by namespaceSelector, or both; addresses outside the cluster
 * by ipBlock) on the port (by number, range or the destination pod's port name, TCP unless told).
 */
import type { KubeObject } from "../model/object.ts";
import { blockAdmits } from "./cidr.ts";
import { list, obj, objects, str, type JsonObject } from "./loose.ts";
import { selectorMatches } from "./selectors.ts";

/** A pod at one end of a connection: its namespace (and that namespace's labels), its labels, its named ports. */
export interface PodEndpoint {
  kind: "pod";
  /** How findings name it, e.g. `Deployment/ossa-api`. */
  name: string;
  namespace: string;
  namespaceLabels: Record<string, string>;
  labels: Record<string, string>;
  /** Container port numbers by name. */
  ports: Record<string, number>;
  /** True when an Istio sidecar runs beside it. */
  meshed: boolean;
  /** The mesh identity of its ServiceAccount (`<trust domain>/ns/<ns>/sa/<name>`), when meshed. */
  principal?: string;
}

/** Addresses outside this cluster (another region's network, the internet). */
export interface NetworkEndpoint {
  kind: "network";
  name: string;
  cidrs: string[];
}

export type Endpoint = PodEndpoint | NetworkEndpoint;

/** The port of a connection, at the destination pod. */
export interface Port {
  port: number;
  protocol: "TCP" | "UDP";
}

/** What NetworkPolicies decide for one direction of one connection, and which policy (and rule) decided it. */
export interface PolicyVerdict {
  allowed: boolean;
  /** `NetworkPolicy/<name>` that admits it, or the ones that isolate the pod when none admits it. */
  by: string;
  /** The admitting rule: `<policy name>/<ingress|egress>/<index>`. */
  rule?: string;
}

function policyTypes(spec: JsonObject): string[] {
  const types = list(spec.policyTypes).filter((t): t is string => typeof t === "string");
  if (types.length) return types;
  return spec.egress !== undefined ? ["Ingress", "Egress"] : ["Ingress"];
}

function portMatches(entry: JsonObject, port: Port, destination: Endpoint): boolean {
  const protocol = str(entry.protocol) ?? "TCP";
  if (protocol !== port.protocol) return false;
  if (entry.port === undefined) return true;
  if (typeof entry.port === "string") return destination.kind === "pod" && destination.ports[entry.port] === port.port;
  if (typeof entry.port !== "number") return false;
  const end = typeof entry.endPort === "number" ? entry.endPort : entry.port;
  return port.port >= entry.port && port.port <= end;
}

function peerMatches(peer: JsonObject, policyNamespace: string, other: Endpoint): boolean {
  if (peer.ipBlock !== undefined) {
    if (other.kind !== "network") return false;
    const block = obj(peer.ipBlock);
    const cidr = str(block.cidr);
    const except = list(block.except).filter((e): e is string => typeof e === "string");
    return !!cidr && other.cidrs.length > 0 && other.cidrs.every((c) => blockAdmits(cidr, except, c));
  }
  if (other.kind !== "pod") return false;
  const pods = peer.podSelector === undefined || selectorMatches(obj(peer.podSelector), other.labels);
  const namespaces =
    peer.namespaceSelector === undefined
      ? other.namespace === policyNamespace
      : selectorMatches(obj(peer.namespaceSelector), other.namespaceLabels);
  return pods && namespaces;
}

/** One rule of a policy, read once: its peers and ports (undefined when the rule admits any). */
interface ReadRule {
  index: number;
  peers?: JsonObject[];
  ports?: JsonObject[];
}

/** A NetworkPolicy read once: what every verdict reads of it. */
interface ReadPolicy {
  name: string;
  namespace?: string;
  types: string[];
  podSelector: JsonObject;
  rules: { Ingress: ReadRule[]; Egress: ReadRule[] };
}

const READ = new WeakMap<KubeObject, ReadPolicy>();

/** A rule's list under `key`: undefined when absent or empty (any peer, any port), else its object entries. */
function entries(rule: JsonObject, key: string): JsonObject[] | undefined {
  return rule[key] === undefined || list(rule[key]).length === 0 ? undefined : objects(rule[key]).map(([x]) => x);
}

/** `p` as a verdict reads it, read once per object (validation does not change the objects it reads). */
function readPolicy(p: KubeObject): ReadPolicy {
  let read = READ.get(p);
  if (read) return read;
  const spec = obj(p.spec);
  const rules = (field: string, peers: string): ReadRule[] =>
    objects(spec[field]).map(([rule, index]) => ({
      index,
      peers: entries(rule, peers),
      ports: entries(rule, "ports"),
    }));
  read = {
    name: p.metadata.name,
    namespace: p.metadata.namespace,
    types: policyTypes(spec),
    podSelector: obj(spec.podSelector),
    rules: { Ingress: rules("ingress", "from"), Egress: rules("egress", "to") },
  };
  READ.set(p, read);
  return read;
}

type Direction = "Ingress" | "Egress";

const SELECTING = new WeakMap<KubeObject[], WeakMap<PodEndpoint, Partial<Record<Direction, ReadPolicy[]>>>>();

/**
 * The NetworkPolicies among `policies` that isolate `subject` in `direction` (of its namespace, of that type, their
 * pod selector matching it), in order; worked out once per list, endpoint and direction, since a target's paths
 * share their ends (neither may change after a verdict, as validation does not change what it reads).
 */
function isolatingPolicies(policies: KubeObject[], direction: Direction, subject: PodEndpoint): ReadPolicy[] {
  let bySubject = SELECTING.get(policies);
  if (!bySubject) SELECTING.set(policies, (bySubject = new WeakMap()));
  let known = bySubject.get(subject);
  if (!known) bySubject.set(subject, (known = {}));
  let out = known[direction];
  if (out) return out;
  out = [];
  for (const policy of policies) {
    if (policy.kind !== "NetworkPolicy") continue;
    const p = readPolicy(policy);
    if ((p.namespace ?? subject.namespace) !== subject.namespace) continue;
    if (p.types.includes(direction) && selectorMatches(p.podSelector, subject.labels)) out.push(p);
  }
  return (known[direction] = out);
}

/**
 * Whether the NetworkPolicies of `subject`'s namespace let it take (`Ingress`) or make (`Egress`) a connection with
 * `other` on `port`. `destination` is the end that owns the port (the subject for Ingress, the peer for Egress).
 */
export function networkPolicyVerdict(
  policies: KubeObject[],
  direction: Direction,
  subject: PodEndpoint,
  other: Endpoint,
  port: Port,
): PolicyVerdict {
  const destination = direction === "Ingress" ? subject : other;
  const field = direction === "Ingress" ? "ingress" : "egress";
  const isolating = isolatingPolicies(policies, direction, subject);
  for (const p of isolating)
    for (const rule of p.rules[direction]) {
      const peerOk = !rule.peers || rule.peers.some((x) => peerMatches(x, subject.namespace, other));
      const portOk = !rule.ports || rule.ports.some((x) => portMatches(x, port, destination));
      if (peerOk && portOk)
        return { allowed: true, by: `NetworkPolicy/${p.name}`, rule: `${p.name}/${field}/${rule.index}` };
    }
  if (!isolating.length) return { allowed: true, by: `no NetworkPolicy selects ${subject.name}` };
  return { allowed: false, by: isolating.map((p) => `NetworkPolicy/${p.name}`).join(", ") };
}
