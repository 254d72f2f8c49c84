import type { KubeObject } from "../model/object.ts";

/** Workload kinds whose pods come from `spec.template` (CronJobs go through their job template). */
const TEMPLATE_OWNERS = new Set([
  "Deployment",
  "StatefulSet",
  "DaemonSet",
  "ReplicaSet",
  "ReplicationController",
  "Job",
]);

/**
 * The pod template inside a workload and the JSON pointer to it, or undefined
 * for anything else (an ApplicationSet's `spec.template` is an Application
 * template, not a pod template).
 */
export function podTemplateOf(o: KubeObject): { template: any; pointer: string } | undefined {
  const s = o.spec as any;
  if (o.kind === "CronJob")
    return s?.jobTemplate?.spec?.template
      ? { template: s.jobTemplate.spec.template, pointer: "/spec/jobTemplate/spec/template" }
      : undefined;
  if (TEMPLATE_OWNERS.has(o.kind)) return s?.template ? { template: s.template, pointer: "/spec/template" } : undefined;
  return undefined;
}

/** The pod spec inside a workload (or a Pod) and the JSON pointer to it, or undefined for non-workloads. */
export function podSpecOf(o: KubeObject): { spec: any; pointer: string } | undefined {
  if (o.kind === "Pod") return o.spec ? { spec: o.spec, pointer: "/spec" } : undefined;
  const t = podTemplateOf(o);
  return t?.template?.spec ? { spec: t.template.spec, pointer: `${t.pointer}/spec` } : undefined;
}

/** Every container (init containers included) with its pointer. */
export function containersOf(o: KubeObject): { container: any; pointer: string }[] {
  const pod = podSpecOf(o);
  if (!pod) return [];
  const out: { container: any; pointer: string }[] = [];
  if (typeof pod.spec !== "object" || pod.spec === null) return out;
  for (const field of ["initContainers", "containers"]) {
    const list = pod.spec[field];
    if (!Array.isArray(list)) continue;
    list.forEach((c: any, i: number) => {
      if (typeof c === "object" && c !== null) out.push({ container: c, pointer: `${pod.pointer}/${field}/${i}` });
    });
  }
  return out;
}
