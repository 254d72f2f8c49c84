import type { KubeObject } from "../build/objects.ts";

/** The pod spec inside a workload and the JSON pointer to it, or undefined for non-workloads. */
export function podSpecOf(o: KubeObject): { spec: any; pointer: string } | undefined {
  const s = o.spec as any;
  switch (o.kind) {
    case "Deployment":
    case "StatefulSet":
    case "DaemonSet":
    case "ReplicaSet":
    case "Job":
      return s?.template?.spec ? { spec: s.template.spec, pointer: "/spec/template/spec" } : undefined;
    case "CronJob":
      return s?.jobTemplate?.spec?.template?.spec ? { spec: s.jobTemplate.spec.template.spec, pointer: "/spec/jobTemplate/spec/template/spec" } : undefined;
    case "Pod":
      return s ? { spec: s, pointer: "/spec" } : undefined;
    default:
      return undefined;
  }
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
