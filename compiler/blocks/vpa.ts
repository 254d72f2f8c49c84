/**
 * Vertical scaling: an `autoscaling.k8s.io/v1` VerticalPodAutoscaler for a
 * workload that declares `verticalScaling`. No model package exists for the
 * VPA, so this is a typed plain object, checked against the upstream schema
 * in tests and by a structural check in the validate phase.
 */
import type { Component, ResourceAmounts } from "../describe/types.ts";
import { ManifoldError } from "../errors.ts";
import { canonicalQuantity } from "../quantity.ts";
import type { ResolvedTarget } from "../model/target.ts";
import { storePodSets } from "./store.ts";
import { objectName, standardLabels } from "./naming.ts";
import { SKIP_DRY_RUN } from "../sync/annotations.ts";
import { type KubeObject, type RenderedObject } from "../model/object.ts";
import type { VerticalPodAutoscaler } from "../kube/vpa.ts";

function amounts(a: ResourceAmounts | undefined): Record<string, string> | undefined {
  if (!a) return undefined;
  const out: Record<string, string> = {};
  for (const k of ["cpu", "memory"] as const) if (a[k] !== undefined) out[k] = canonicalQuantity(a[k]!);
  return Object.keys(out).length ? out : undefined;
}

/** One VPA per workload of the component (a store may run several StatefulSets), or nothing. */
export function buildVerticalScaling(target: ResolvedTarget, key: string, c: Component): RenderedObject[] {
  const v = c.verticalScaling;
  if (!v) return [];
  if (
    c.type === "service" &&
    c.autoscale &&
    (c.autoscale.cpu !== undefined || c.autoscale.memory !== undefined) &&
    v.mode !== "Off"
  ) {
    throw new ManifoldError(
      `verticalScaling mode "${v.mode}" would fight the HPA that scales on cpu or memory; use mode "Off" (recommendations only)`,
      {
        field: `components.${key}.verticalScaling.mode`,
      },
    );
  }
  const name = objectName(target, key);
  const workloads =
    c.type === "service"
      ? [{ kind: "Deployment" as const, name }]
      : storePodSets(target, name, c).map((s) => ({ kind: "StatefulSet" as const, name: s.setName }));
  return workloads.map((w) => {
    const vpa: VerticalPodAutoscaler = {
      apiVersion: "autoscaling.k8s.io/v1",
      kind: "VerticalPodAutoscaler",
      metadata: {
        name: w.name,
        namespace: target.namespace,
        labels: standardLabels(target, name, "autoscaling", c),
        annotations: { ...SKIP_DRY_RUN },
      },
      spec: {
        targetRef: { apiVersion: "apps/v1", kind: w.kind, name: w.name },
        updatePolicy: { updateMode: v.mode },
        resourcePolicy: {
          containerPolicies: [
            {
              containerName: c.type === "service" ? key : c.engine,
              controlledResources: ["cpu", "memory"],
              // Limits stay as declared (and cap the recommendation); the ResourceQuota is sized for requests at the
              // VPA maximum.
              controlledValues: "RequestsOnly",
              minAllowed: amounts(v.min),
              maxAllowed: amounts(v.max),
            },
          ],
        },
      },
    };
    return { object: JSON.parse(JSON.stringify(vpa)) as KubeObject, component: key, band: "scaling" as const };
  });
}
