/** The specs the validate rules read most, as rendered (any field may be missing). */
import type { IStatefulSetSpec } from "kubernetes-models/apps/v1/StatefulSetSpec";
import type { IHorizontalPodAutoscalerSpec } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscalerSpec";
import type { IPodDisruptionBudgetSpec } from "kubernetes-models/policy/v1/PodDisruptionBudgetSpec";
import type { IServiceSpec } from "kubernetes-models/v1/ServiceSpec";
import type { KubeObject } from "../model/object.ts";
import { looseSpec, type Loose } from "./loose.ts";

/**
 * A Deployment's or StatefulSet's spec (the StatefulSet's fields are a superset of the ones the rules read: replicas,
 * selector, template, volumeClaimTemplates).
 */
export function workloadSpec(o: KubeObject): Loose<IStatefulSetSpec> | undefined {
  return looseSpec<IStatefulSetSpec>(o);
}

/** A HorizontalPodAutoscaler's spec (autoscaling/v2). */
export function hpaSpec(o: KubeObject): Loose<IHorizontalPodAutoscalerSpec> | undefined {
  return looseSpec<IHorizontalPodAutoscalerSpec>(o);
}

/** The HorizontalPodAutoscaler among `objects` that scales `workload` (same kind and name), if any. */
export function scalerOf<T extends { object: KubeObject }>(workload: T, objects: T[]): T | undefined {
  return objects.find((h) => {
    if (h.object.kind !== "HorizontalPodAutoscaler") return false;
    const ref = hpaSpec(h.object)?.scaleTargetRef;
    return ref?.kind === workload.object.kind && ref?.name === workload.object.metadata.name;
  });
}

/** A PodDisruptionBudget's spec. */
export function pdbSpec(o: KubeObject): Loose<IPodDisruptionBudgetSpec> | undefined {
  return looseSpec<IPodDisruptionBudgetSpec>(o);
}

/** A Service's spec. */
export function serviceSpec(o: KubeObject): Loose<IServiceSpec> | undefined {
  return looseSpec<IServiceSpec>(o);
}
