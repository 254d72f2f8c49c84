/**
 * The VerticalPodAutoscaler object (autoscaling.k8s.io/v1), typed here because no model package has it, and its
 * structural check.
 */
import type { KubeObject } from "../model/object.ts";
import { looseSpec } from "./loose.ts";

/** The fields of a VPA's spec the check reads, each unknown until checked. */
interface VpaShape {
  targetRef: { name: unknown; kind: unknown; apiVersion: unknown };
  updatePolicy: { updateMode: unknown };
}

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

/** A structural check of a VPA (no model package exists): the validate phase's schema rule uses it. */
export function checkVerticalPodAutoscaler(o: KubeObject): { pointer: string; message: string }[] {
  const spec = looseSpec<VpaShape>(o);
  const problems: { pointer: string; message: string }[] = [];
  if (!spec || typeof spec !== "object") return [{ pointer: "/spec", message: "must be an object" }];
  const ref = spec.targetRef;
  if (typeof ref?.name !== "string" || typeof ref?.kind !== "string" || typeof ref?.apiVersion !== "string")
    problems.push({ pointer: "/spec/targetRef", message: "must name apiVersion, kind and name" });
  const mode = spec.updatePolicy?.updateMode;
  const modes = ["Off", "Initial", "Recreate", "Auto", "InPlaceOrRecreate"];
  if (mode !== undefined && (typeof mode !== "string" || !modes.includes(mode)))
    problems.push({
      pointer: "/spec/updatePolicy/updateMode",
      message: "must be Off, Initial, Recreate, Auto or InPlaceOrRecreate",
    });
  const allowed = new Set(["targetRef", "updatePolicy", "resourcePolicy", "recommenders"]);
  for (const k of Object.keys(spec))
    if (!allowed.has(k)) problems.push({ pointer: `/spec/${k}`, message: "is not a VerticalPodAutoscaler field" });
  return problems;
}
