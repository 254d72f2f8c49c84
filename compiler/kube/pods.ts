import type { IContainer } from "kubernetes-models/v1/Container";
import { isCnpgCluster } from "./cnpg.ts";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import type { IPodTemplateSpec } from "kubernetes-models/v1/PodTemplateSpec";
import type { KubeObject } from "../model/object.ts";
import { looseSpec, type Loose } from "./loose.ts";

/** A pod template as rendered: any field may be missing. */
export type PodTemplateShape = Loose<IPodTemplateSpec>;

/** A pod spec as rendered: any field may be missing. */
export type PodSpecShape = Loose<IPodSpec>;

/** A container as rendered: any field may be missing. */
export type ContainerShape = Loose<IContainer>;

/** The fields of a workload's spec that lead to its pod template. */
interface TemplateOwnerSpec {
  template: IPodTemplateSpec;
  jobTemplate: { spec: { template: IPodTemplateSpec } };
}

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
export function podTemplateOf(o: KubeObject): { template: PodTemplateShape; pointer: string } | undefined {
  const s = looseSpec<TemplateOwnerSpec>(o);
  if (o.kind === "CronJob")
    return s?.jobTemplate?.spec?.template
      ? { template: s.jobTemplate.spec.template, pointer: "/spec/jobTemplate/spec/template" }
      : undefined;
  if (TEMPLATE_OWNERS.has(o.kind)) return s?.template ? { template: s.template, pointer: "/spec/template" } : undefined;
  return undefined;
}

/** The pod spec inside a workload (or a Pod) and the JSON pointer to it, or undefined for non-workloads. */
export function podSpecOf(o: KubeObject): { spec: PodSpecShape; pointer: string } | undefined {
  if (o.kind === "Pod") {
    const spec = looseSpec<IPodSpec>(o);
    return spec ? { spec, pointer: "/spec" } : undefined;
  }
  const t = podTemplateOf(o);
  return t?.template?.spec ? { spec: t.template.spec, pointer: `${t.pointer}/spec` } : undefined;
}

/** Every container (init containers included) with its pointer. */
export function containersOf(o: KubeObject): { container: ContainerShape; pointer: string }[] {
  const pod = podSpecOf(o);
  if (!pod) return [];
  const out: { container: ContainerShape; pointer: string }[] = [];
  if (typeof pod.spec !== "object" || pod.spec === null) return out;
  for (const field of ["initContainers", "containers"] as const) {
    const list: unknown = pod.spec[field];
    if (!Array.isArray(list)) continue;
    list.forEach((c: ContainerShape | null, i: number) => {
      if (typeof c === "object" && c !== null) out.push({ container: c, pointer: `${pod.pointer}/${field}/${i}` });
    });
  }
  return out;
}

/**
 * Every image an object runs, with the pointer to the field that names it: each container's, and the image an
 * operator runs for a custom resource (a CloudNativePG Cluster's `spec.imageName`).
 */
export function imagesOf(o: KubeObject): { image: string; pointer: string }[] {
  const images = containersOf(o).map(({ container, pointer }) => ({
    image: String(container.image),
    pointer: `${pointer}/image`,
  }));
  if (isCnpgCluster(o)) {
    const name = looseSpec<{ imageName: string }>(o)?.imageName;
    if (typeof name === "string") images.push({ image: name, pointer: "/spec/imageName" });
  }
  return images;
}
