import { CAPABILITIES } from "../../describe/capabilities.ts";
import type { Rule } from "../context.ts";
import { clusterCapabilities, servingCapabilities, type ClusterOffer } from "../capabilities.ts";
import { needsOf, type Need } from "../needs.ts";
import { installsCrd } from "../../sync/hazards.ts";

/** Why the cluster cannot meet a need (naming the contract field), and how to fix it; undefined when it can. */
function unmet(need: Need, c: ClusterOffer): { message: string; fix: string } | undefined {
  const field = (f: string) => `clusters.${c.environment}.capabilities.${f}`;
  const lacks = (cap: string) => `${field("provided")} lacks ${cap}`;
  switch (need.type) {
    case "api": {
      if (c.apis.has(need.apiVersion)) return undefined;
      const hint = servingCapabilities(need.apiVersion);
      return {
        message: `${need.what} is served by nothing on cluster ${c.cluster} (${hint.length ? lacks(hint.join(" or ")) : `no capability in ${field("provided")} serves ${need.apiVersion}`})`,
        fix: "install what serves the API on the cluster and declare it in the cluster's capabilities, or do not render the object",
      };
    }
    case "kubernetes":
      if (c.kubernetes < need.since)
        return {
          message: `${need.what} needs Kubernetes 1.${need.since} or later; cluster ${c.cluster} runs 1.${c.kubernetes} (${field("kubernetesVersion")})`,
          fix: "upgrade the cluster and its contract, or render what its Kubernetes serves",
        };
      if (need.removed !== undefined && c.kubernetes >= need.removed)
        return {
          message: `${need.what} is no longer served from Kubernetes 1.${need.removed}; cluster ${c.cluster} runs 1.${c.kubernetes} (${field("kubernetesVersion")})`,
          fix: "render the API version the cluster's Kubernetes serves",
        };
      return undefined;
    case "capability":
      return c.provided.has(need.capability)
        ? undefined
        : {
            message: `${need.what} needs ${CAPABILITIES[need.capability].what}, which cluster ${c.cluster} does not run (${lacks(need.capability)})`,
            fix: `run ${need.capability} on the cluster and declare it in the cluster's capabilities`,
          };
    case "network-policy":
      return c.networkPolicy
        ? undefined
        : {
            message: `no NetworkPolicy of this target is enforced on cluster ${c.cluster}: its CNI ${c.cni} does not enforce NetworkPolicies (${field("cni.networkPolicy")})`,
            fix: "turn on NetworkPolicy enforcement in the cluster's CNI and declare it, or set policy.networkPolicies to false",
          };
    case "ingress-class":
      return c.ingressClasses.has(need.name)
        ? undefined
        : {
            message: `${need.what} of class ${need.name} is served by no controller on cluster ${c.cluster} (no capability in ${field("provided")} serves that class)`,
            fix: "run the class's ingress controller on the cluster and declare it, or use a class the cluster serves",
          };
    case "metric": {
      const [capability, served, list] =
        need.api === "custom"
          ? (["custom-metrics", c.customMetrics, "customMetrics"] as const)
          : (["external-metrics", c.externalMetrics, "externalMetrics"] as const);
      if (!c.provided.has(capability))
        return {
          message: `${need.what} (${need.name}) needs ${CAPABILITIES[capability].what}, which cluster ${c.cluster} does not run (${lacks(capability)})`,
          fix: "serve the metric from a metrics adapter on the cluster and declare it, or scale on cpu and memory",
        };
      return served.has(need.name)
        ? undefined
        : {
            message: `${need.what} ${need.name} is served by no adapter on cluster ${c.cluster} (${field(list)} does not list it)`,
            fix: `serve the metric from the cluster's adapter and list it in ${list}, or scale on cpu and memory`,
          };
    }
  }
}

/**
 * The capability contract: every object's needs (derived from the object: API versions, fields, labels, classes,
 * metrics) are met by the cluster its target deploys to, as its region file declares it. A need nothing meets is a
 * sync that stalls (a CRD that is missing, a claim that stays Pending, an HPA that never scales) or a protection
 * that silently is not there (a NetworkPolicy no CNI enforces). Blamed on the region file.
 */
export const clusterCapabilitiesRule: Rule = {
  name: "cluster-capabilities",
  description: "every object's needs are met by the capability contract of its target's cluster",
  check(ctx, report) {
    const offer = clusterCapabilities(ctx.target, ctx.target.managedCapabilities);
    // The region file declares the cluster (resolve lists a target's sources as platform, environment, region).
    const file = ctx.target.sources[2];
    const all = ctx.objects.map((o) => o.object);
    let policies = false;
    for (const o of ctx.objects) {
      for (const need of needsOf(o.object)) {
        if (need.type === "api" && installsCrd(all, o.object)) continue;
        // A CNI that enforces no NetworkPolicy fails them all alike: reported once, on the first.
        if (need.type === "network-policy" && policies) continue;
        const problem = unmet(need, offer);
        if (!problem) continue;
        policies ||= need.type === "network-policy";
        report(o, { pointer: need.pointer, ...problem, file });
      }
    }
  },
};
