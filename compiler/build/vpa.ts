/**
 * Vertical scaling: an `autoscaling.k8s.io/v1` VerticalPodAutoscaler for a
 * workload that declares `verticalScaling`. No model package exists for the
 * VPA, so this is a typed plain object, checked against the upstream schema
 * in tests and by a structural check in the validate phase.
 */
import type { Component, ResourceAmounts } from "../describe/types.ts";
import { ManifoldError } from "../errors.ts";
import { canonicalQuantity } from "../quantity.ts";
import type { ResolvedTarget } from "../resolve.ts";
import { storePodSets } from "./store.ts";
import { objectName, standardLabels } from "./naming.ts";
import { SKIP_DRY_RUN, type KubeObject, type RenderedObject } from "./objects.ts";

export interface VerticalPodAutoscaler extends KubeObject {
  apiVersion: "autoscaling.k8s.io/v1";
  kind: "VerticalPodAutoscaler";
  spec: {
    targetRef: { apiVersion: string; kind: "Deployment" | "StatefulSet"; name: string };
    updatePolicy: { updateMode: "Off" | "Initial" | "Recreate" | "Auto" };
    resourcePolicy: {
      containerPolicies: {
        containerName: string;
        controlledResources: ("cpu" | "memory")[];
        controlledValues: "RequestsAndLimits" | "RequestsOnly";
        minAllowed?: Record<string, string>;
        maxAllowed?: Record<string, string>;
      }[];
    };
  };
}

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
  if (c.type === "service" && c.autoscale && (c.autoscale.cpu !== undefined || c.autoscale.memory !== undefined) && v.mode !== "Off") {
    throw new ManifoldError(`verticalScaling mode "${v.mode}" would fight the HPA that scales on cpu or memory; use mode "Off" (recommendations only)`, {
      field: `components.${key}.verticalScaling.mode`,
    });
  }
  const name = objectName(target, key);
  const workloads = c.type === "service" ? [{ kind: "Deployment" as const, name }] : storePodSets(target, name, c).map((s) => ({ kind: "StatefulSet" as const, name: s.setName }));
  return workloads.map((w) => {
    const vpa: VerticalPodAutoscaler = {
      apiVersion: "autoscaling.k8s.io/v1",
      kind: "VerticalPodAutoscaler",
      metadata: { name: w.name, namespace: target.namespace, labels: standardLabels(target, name, "autoscaling", c), annotations: { ...SKIP_DRY_RUN } },
      spec: {
        targetRef: { apiVersion: "apps/v1", kind: w.kind, name: w.name },
        updatePolicy: { updateMode: v.mode },
        resourcePolicy: {
          containerPolicies: [
            {
              containerName: c.type === "service" ? key : c.engine,
              controlledResources: ["cpu", "memory"],
              // Limits stay as declared (and cap the recommendation); the ResourceQuota is sized for requests at the VPA maximum.
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

/** A structural check of a VPA (no model package exists): the validate phase's schema rule uses it. */
export function checkVerticalPodAutoscaler(o: KubeObject): { pointer: string; message: string }[] {
  const spec = o.spec as any;
  const problems: { pointer: string; message: string }[] = [];
  if (!spec || typeof spec !== "object") return [{ pointer: "/spec", message: "must be an object" }];
  const ref = spec.targetRef;
  if (typeof ref?.name !== "string" || typeof ref?.kind !== "string" || typeof ref?.apiVersion !== "string") problems.push({ pointer: "/spec/targetRef", message: "must name apiVersion, kind and name" });
  const mode = spec.updatePolicy?.updateMode;
  if (mode !== undefined && !["Off", "Initial", "Recreate", "Auto", "InPlaceOrRecreate"].includes(mode)) problems.push({ pointer: "/spec/updatePolicy/updateMode", message: "must be Off, Initial, Recreate, Auto or InPlaceOrRecreate" });
  const allowed = new Set(["targetRef", "updatePolicy", "resourcePolicy", "recommenders"]);
  for (const k of Object.keys(spec)) if (!allowed.has(k)) problems.push({ pointer: `/spec/${k}`, message: "is not a VerticalPodAutoscaler field" });
  return problems;
}
