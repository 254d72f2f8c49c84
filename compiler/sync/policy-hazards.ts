/**
 * Policies that arrive late: a NetworkPolicy or Istio AuthorizationPolicy applied in a later wave than a workload it
 * selects. Until it arrives the workload runs under whatever the earlier policies say (a default deny, or nothing),
 * so a change that adds a dependency edge can leave a workload waiting for traffic its allow rule has not yet let in.
 * Policies belong in the foundation, before every workload.
 */
import type { KubeObject } from "../model/object.ts";
import { podTemplateOf } from "../kube/pods.ts";
import { selectorMatches, type LabelSelector } from "../kube/selectors.ts";
import { syncPhase, syncWave } from "./apply-order.ts";
import type { Hazard } from "./hazards.ts";

/**
 * The pod selector of a traffic policy (an absent one selects every pod), or undefined when the object is none or
 * its selector has a shape no API server would accept.
 */
export function policySelector(o: KubeObject): LabelSelector | undefined {
  const spec = typeof o.spec === "object" && o.spec !== null ? (o.spec as Record<string, unknown>) : {};
  const field =
    o.kind === "NetworkPolicy" && o.apiVersion.startsWith("networking.k8s.io/")
      ? "podSelector"
      : o.kind === "AuthorizationPolicy" && o.apiVersion.startsWith("security.istio.io/")
        ? "selector"
        : undefined;
  if (!field) return undefined;
  const selector = spec[field] ?? {};
  if (typeof selector !== "object" || selector === null || Array.isArray(selector)) return undefined;
  const { matchLabels, matchExpressions } = selector as LabelSelector;
  if (matchLabels !== undefined && (typeof matchLabels !== "object" || matchLabels === null)) return undefined;
  if (matchExpressions !== undefined && !Array.isArray(matchExpressions)) return undefined;
  if (
    (matchExpressions ?? []).some(
      (e) => typeof e !== "object" || e === null || (e.values !== undefined && !Array.isArray(e.values)),
    )
  )
    return undefined;
  return selector as LabelSelector;
}

/** One hazard per (policy, workload) pair: the policy is applied after a Sync-phase workload it selects. */
export function latePolicyHazards(objects: KubeObject[]): Hazard[] {
  const hazards: Hazard[] = [];
  const workloads = objects.filter((o) => podTemplateOf(o) && syncPhase(o) === "Sync");
  for (const policy of objects) {
    const selector = policySelector(policy);
    if (!selector || syncPhase(policy) !== "Sync") continue;
    const wave = syncWave(policy);
    for (const w of workloads) {
      if (w.metadata.namespace !== policy.metadata.namespace) continue;
      if (syncWave(w) >= wave || !selectorMatches(selector, podTemplateOf(w)?.template?.metadata?.labels)) continue;
      hazards.push({
        rule: "late-policy",
        severity: "error",
        object: `${policy.kind}/${policy.metadata.name}`,
        message: `is applied in wave ${wave}, after ${w.kind}/${w.metadata.name} (wave ${syncWave(w)}) whose traffic it governs; policies belong in the foundation`,
      });
    }
  }
  return hazards;
}
