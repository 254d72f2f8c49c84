/**
 * Rolling-update surge: the extra pods a Deployment runs while it replaces its pods (`maxSurge`, 25% by default,
 * rounded up as Kubernetes does). StatefulSets replace pods in place and surge by none. An operator-run store
 * (CloudNativePG) runs one Job pod with an instance's resources beside its instances while it creates or joins one.
 */
import type { Component } from "../describe/types.ts";
import { engineOf } from "../stores/index.ts";

/** The surge pods for `replicas` pods under a `maxSurge` (an integer, or a percentage rounded up). */
export function surgePods(maxSurge: number | string | undefined, replicas: number): number {
  const value = maxSurge ?? "25%";
  if (typeof value === "number") return value;
  const percent = /^(\d+)%$/.exec(value);
  return percent ? Math.ceil((Number(percent[1]) * replicas) / 100) : Number(value) || 0;
}

/** The surge pods a component adds while it rolls out at its maximum scale. */
export function componentSurge(c: Component): number {
  if (c.type === "store") return engineOf(c).operator ? 1 : 0;
  return surgePods(c.rollout?.maxSurge, c.autoscale ? c.autoscale.max : c.replicas);
}
