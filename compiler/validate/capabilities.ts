/**
 * What a cluster offers the objects deployed to it: the union of its capability contract (`capabilities` of the
 * cluster in its region file) and of what the cluster layer's managed add-ons contribute. Each capability serves
 * the APIs and ingress classes the catalogue (`describe/capabilities.ts`) lists.
 */
import { CAPABILITIES } from "../describe/capabilities.ts";
import type { Capability } from "../describe/types.ts";
import type { ResolvedTarget } from "../model/target.ts";

/** A contribution to a cluster's capabilities: its contract, or one add-on the cluster layer manages. */
export interface CapabilitySource {
  /** Who contributes: `contract`, or the managed add-on's name. */
  from: string;
  provided: readonly Capability[];
  /** Extra `group/version`s served (the CRDs a managed add-on installs). */
  apis?: readonly string[];
  customMetrics?: readonly string[];
  externalMetrics?: readonly string[];
}

/** Everything a cluster offers, resolved: versions, CNI, capabilities, APIs, ingress classes and served metrics. */
export interface ClusterOffer {
  cluster: string;
  environment: string;
  /** The Kubernetes minor version. */
  kubernetes: number;
  argocdVersion: string;
  cni: string;
  networkPolicy: boolean;
  provided: Set<Capability>;
  apis: Set<string>;
  ingressClasses: Set<string>;
  customMetrics: Set<string>;
  externalMetrics: Set<string>;
}

/**
 * The capabilities of a target's cluster: its contract's, plus `managed` (what the cluster layer's add-ons on that
 * cluster contribute; the seam where managed add-ons join the contract).
 */
export function clusterCapabilities(target: ResolvedTarget, managed: readonly CapabilitySource[] = []): ClusterOffer {
  const contract = target.cluster.capabilities;
  const sources: CapabilitySource[] = [{ from: "contract", ...contract }, ...managed];
  const provided = new Set(sources.flatMap((s) => s.provided));
  const specs = [...provided].map((c) => CAPABILITIES[c]);
  return {
    cluster: target.cluster.name,
    environment: target.environment,
    kubernetes: Number(contract.kubernetesVersion.split(".")[1]),
    argocdVersion: contract.argocdVersion,
    cni: contract.cni.name,
    networkPolicy: contract.cni.networkPolicy,
    provided,
    apis: new Set([...specs.flatMap((s) => s.apis), ...sources.flatMap((s) => s.apis ?? [])]),
    ingressClasses: new Set(specs.flatMap((s) => ("ingressClasses" in s ? s.ingressClasses : []))),
    customMetrics: new Set(sources.flatMap((s) => s.customMetrics ?? [])),
    externalMetrics: new Set(sources.flatMap((s) => s.externalMetrics ?? [])),
  };
}

/** The capabilities of the catalogue that serve an API version (for a hint). */
export function servingCapabilities(apiVersion: string): Capability[] {
  return (Object.keys(CAPABILITIES) as Capability[]).filter((c) =>
    (CAPABILITIES[c].apis as readonly string[]).includes(apiVersion),
  );
}
