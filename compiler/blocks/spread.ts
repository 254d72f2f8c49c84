/**
 * Spread for replicated workloads: pods of one workload spread across zones and nodes, so one node or zone failure
 * takes down at most its share. Zones spread as a preference (a region may have fewer zones than replicas); nodes
 * as a rule with a skew of one, which still lets more pods than nodes schedule.
 */
import type { IIoK8sApiCoreV1TopologySpreadConstraint as TopologySpreadConstraint } from "kubernetes-models/v1";

export const ZONE_KEY = "topology.kubernetes.io/zone";
export const HOST_KEY = "kubernetes.io/hostname";

/** The topology spread constraints for pods with these selector labels. */
export function spreadConstraints(matchLabels: Record<string, string>): TopologySpreadConstraint[] {
  return [
    { maxSkew: 1, topologyKey: ZONE_KEY, whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels } },
    { maxSkew: 1, topologyKey: HOST_KEY, whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels } },
  ];
}
