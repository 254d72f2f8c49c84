/**
 * Built-in Kubernetes API versions by the minor release that first serves them (on by default) and the one that
 * stops serving them, from the Kubernetes deprecation guide. A kind-specific entry wins over its group version's
 * (an Ingress needs `networking.k8s.io/v1` from 1.19, a NetworkPolicy from 1.7). Also the few fields whose
 * meaning needs a newer release than their API version (an older API server drops them silently).
 */
import type { KubeObject } from "../model/object.ts";
import { obj, objects, str } from "./loose.ts";

/** Where a built-in API version or field is served: from minor `since`, up to (not including) minor `removed`. */
export interface Served {
  since: number;
  removed?: number;
}

interface BuiltIn extends Served {
  apiVersion: string;
  kinds?: string[];
}

const BUILT_IN: BuiltIn[] = [
  { apiVersion: "v1", since: 0 },
  { apiVersion: "apps/v1", since: 9 },
  { apiVersion: "batch/v1", since: 0 },
  { apiVersion: "batch/v1", kinds: ["CronJob"], since: 21 },
  { apiVersion: "batch/v1beta1", since: 8, removed: 25 },
  { apiVersion: "autoscaling/v1", since: 2 },
  { apiVersion: "autoscaling/v2", since: 23 },
  { apiVersion: "autoscaling/v2beta1", since: 8, removed: 25 },
  { apiVersion: "autoscaling/v2beta2", since: 12, removed: 26 },
  { apiVersion: "policy/v1", since: 21 },
  { apiVersion: "policy/v1beta1", since: 5, removed: 25 },
  { apiVersion: "networking.k8s.io/v1", since: 7 },
  { apiVersion: "networking.k8s.io/v1", kinds: ["Ingress", "IngressClass"], since: 19 },
  { apiVersion: "networking.k8s.io/v1beta1", since: 14, removed: 22 },
  { apiVersion: "rbac.authorization.k8s.io/v1", since: 8 },
  { apiVersion: "storage.k8s.io/v1", since: 6 },
  { apiVersion: "storage.k8s.io/v1", kinds: ["CSIDriver", "CSINode"], since: 18 },
  { apiVersion: "storage.k8s.io/v1", kinds: ["CSIStorageCapacity"], since: 24 },
  { apiVersion: "scheduling.k8s.io/v1", since: 14 },
  { apiVersion: "coordination.k8s.io/v1", since: 14 },
  { apiVersion: "discovery.k8s.io/v1", since: 21 },
  { apiVersion: "apiextensions.k8s.io/v1", since: 16 },
  { apiVersion: "admissionregistration.k8s.io/v1", since: 16 },
  { apiVersion: "apiregistration.k8s.io/v1", since: 10 },
  { apiVersion: "certificates.k8s.io/v1", since: 19 },
  { apiVersion: "node.k8s.io/v1", since: 20 },
  { apiVersion: "events.k8s.io/v1", since: 19 },
  { apiVersion: "flowcontrol.apiserver.k8s.io/v1", since: 29 },
];

/** Where Kubernetes serves this built-in API version (for this kind), or undefined for a version it never built in. */
export function builtInApi(apiVersion: string, kind: string): Served | undefined {
  const entries = BUILT_IN.filter((b) => b.apiVersion === apiVersion);
  return entries.find((b) => b.kinds?.includes(kind)) ?? entries.find((b) => !b.kinds);
}

/** A field of an object that needs a newer Kubernetes than its API version. */
export interface FieldFloor {
  pointer: string;
  what: string;
  since: number;
}

/**
 * The fields of `o` whose meaning needs a newer release than its API version: native sidecar containers (an init
 * container with `restartPolicy: Always`, on by default from 1.29) and a Service's `trafficDistribution` (1.31).
 */
export function fieldFloors(o: KubeObject): FieldFloor[] {
  const out: FieldFloor[] = [];
  const spec = obj(o.spec);
  if (o.kind === "Service" && spec.trafficDistribution !== undefined)
    out.push({ pointer: "/spec/trafficDistribution", what: "a Service's trafficDistribution", since: 31 });
  const podSpecs: [Record<string, unknown>, string][] = [[obj(obj(spec.template).spec), "/spec/template/spec"]];
  const jobTemplate = obj(obj(obj(spec.jobTemplate).spec).template);
  podSpecs.push([obj(jobTemplate.spec), "/spec/jobTemplate/spec/template/spec"]);
  for (const [pod, at] of podSpecs)
    for (const [c, i] of objects(pod.initContainers))
      if (str(c.restartPolicy) === "Always")
        out.push({
          pointer: `${at}/initContainers/${i}/restartPolicy`,
          what: "a native sidecar (an init container with restartPolicy: Always)",
          since: 29,
        });
  return out;
}
