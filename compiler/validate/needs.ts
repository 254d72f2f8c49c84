/**
 * What a rendered object needs from its cluster, read off the object itself (its API version, labels and fields),
 * never from a list per platform: a custom resource needs what serves its API, a built-in API version a Kubernetes
 * release that serves it, a NetworkPolicy an enforcing CNI, a meshed namespace Istio (and Istio's CNI plugin when
 * Pod Security forbids the privileged istio-init container), a claim without a class a default StorageClass, an
 * Ingress its class's controller, and an HPA the metrics APIs and the very metrics it scales on.
 */
import type { Capability } from "../describe/types.ts";
import type { KubeObject } from "../model/object.ts";
import { builtInApi, fieldFloors } from "../kube/builtin-apis.ts";
import { obj, objects, str } from "../kube/loose.ts";
import { isCustomResource } from "../sync/hazards.ts";

/** One need of an object, at a JSON pointer inside it. */
export type Need = { pointer: string; what: string } & (
  | { type: "api"; apiVersion: string }
  | { type: "kubernetes"; since: number; removed?: number }
  | { type: "capability"; capability: Capability }
  | { type: "network-policy" }
  | { type: "ingress-class"; name: string }
  | { type: "metric"; api: "custom" | "external"; name: string }
);

/** Pod Security levels under which an injected pod cannot run Istio's privileged init container. */
const STRICT_POD_SECURITY = new Set(["baseline", "restricted"]);

function apiNeeds(o: KubeObject): Need[] {
  const what = `${o.kind} (${o.apiVersion})`;
  if (isCustomResource(o)) return [{ type: "api", pointer: "/apiVersion", what, apiVersion: o.apiVersion }];
  const served = builtInApi(o.apiVersion, o.kind);
  const floors: Need[] = fieldFloors(o).map((f) => ({
    type: "kubernetes",
    pointer: f.pointer,
    what: f.what,
    since: f.since,
  }));
  if (!served) return floors;
  return [
    { type: "kubernetes", pointer: "/apiVersion", what, since: served.since, removed: served.removed },
    ...floors,
  ];
}

function namespaceNeeds(o: KubeObject): Need[] {
  const labels = o.metadata.labels ?? {};
  const label =
    labels["istio-injection"] === "enabled" ? "istio-injection" : labels["istio.io/rev"] ? "istio.io/rev" : undefined;
  if (!label) return [];
  const pointer = `/metadata/labels/${label.replace(/\//g, "~1")}`;
  const needs: Need[] = [{ type: "capability", pointer, what: "a meshed namespace", capability: "istio" }];
  const enforce = labels["pod-security.kubernetes.io/enforce"];
  if (enforce && STRICT_POD_SECURITY.has(enforce))
    needs.push({
      type: "capability",
      pointer,
      what: `a meshed namespace that enforces Pod Security ${enforce}`,
      capability: "istio-cni",
    });
  return needs;
}

function claimNeeds(o: KubeObject): Need[] {
  const claims: [Record<string, unknown>, string][] =
    o.kind === "PersistentVolumeClaim"
      ? [[obj(o.spec), "/spec"]]
      : o.kind === "StatefulSet"
        ? objects(obj(o.spec).volumeClaimTemplates).map(([t, i]) => [
            obj(t.spec),
            `/spec/volumeClaimTemplates/${i}/spec`,
          ])
        : [];
  return claims
    .filter(([spec]) => spec.storageClassName === undefined)
    .map(([, pointer]) => ({
      type: "capability" as const,
      pointer,
      what: "a claim without a storageClassName",
      capability: "default-storage-class" as const,
    }));
}

function hpaNeeds(o: KubeObject): Need[] {
  const needs: Need[] = [];
  for (const [m, i] of objects(obj(o.spec).metrics)) {
    const type = str(m.type);
    const at = `/spec/metrics/${i}`;
    if (type === "Resource" || type === "ContainerResource")
      needs.push({ type: "capability", pointer: `${at}/type`, what: `a ${type} metric`, capability: "metrics-server" });
    const source =
      type === "Pods" ? "pods" : type === "Object" ? "object" : type === "External" ? "external" : undefined;
    const name = source && str(obj(obj(m[source]).metric).name);
    if (source && name)
      needs.push({
        type: "metric",
        pointer: `${at}/${source}/metric/name`,
        what: `a ${type} metric`,
        api: source === "external" ? "external" : "custom",
        name,
      });
  }
  return needs;
}

/** Every need of one object. */
export function needsOf(o: KubeObject): Need[] {
  const needs = apiNeeds(o);
  if (o.kind === "NetworkPolicy" && o.apiVersion === "networking.k8s.io/v1")
    needs.push({ type: "network-policy", pointer: "/spec", what: "a NetworkPolicy" });
  if (o.kind === "Namespace") needs.push(...namespaceNeeds(o));
  needs.push(...claimNeeds(o));
  const ingressClass = o.kind === "Ingress" ? str(obj(o.spec).ingressClassName) : undefined;
  if (ingressClass)
    needs.push({ type: "ingress-class", pointer: "/spec/ingressClassName", what: "an Ingress", name: ingressClass });
  if (o.kind === "HorizontalPodAutoscaler") needs.push(...hpaNeeds(o));
  return needs;
}
