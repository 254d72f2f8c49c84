/** Label selectors as the API server evaluates them, and the pod templates they can select. */
import { isCnpgCluster } from "./cnpg.ts";
import type { RenderedObject } from "../model/object.ts";
import { podTemplateOf, type PodSpecShape } from "./pods.ts";
import { looseSpec, type Loose } from "./loose.ts";

/** One requirement of a LabelSelector's `matchExpressions`. */
export interface MatchExpression {
  key: string;
  operator: string;
  values?: string[];
}

/** A Kubernetes LabelSelector (`matchLabels` and `matchExpressions`). */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: MatchExpression[];
}

/**
 * Whether one requirement holds for `labels`, or undefined when the requirement is invalid (an unknown operator,
 * `In`/`NotIn` without values, `Exists`/`DoesNotExist` with values), as the API server's validation has it.
 */
function requirementHolds(e: Loose<MatchExpression>, labels: Record<string, string>): boolean | undefined {
  if (typeof e.key !== "string") return undefined;
  const has = Object.hasOwn(labels, e.key);
  const values = e.values ?? [];
  switch (e.operator) {
    case "In":
      return values.length ? has && values.includes(labels[e.key]) : undefined;
    case "NotIn":
      return values.length ? !has || !values.includes(labels[e.key]) : undefined;
    case "Exists":
      return values.length ? undefined : has;
    case "DoesNotExist":
      return values.length ? undefined : !has;
    default:
      return undefined;
  }
}

/**
 * Whether `labels` satisfy a LabelSelector: every `matchLabels` entry and every `matchExpressions` requirement
 * holds. An empty (or absent) selector matches everything; an invalid one matches nothing, as the API server and
 * Argo CD's cluster generator reject it rather than select with it.
 */
export function selectorMatches(
  selector: Loose<LabelSelector> | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  const l = labels ?? NO_LABELS;
  // No arrays or objects made: this runs for every pair of selector and pod the relation rules look at.
  let holds = true;
  const expressions = selector?.matchExpressions;
  if (expressions != null)
    for (const e of expressions) {
      const requirement = requirementHolds(e, l);
      if (requirement === undefined) return false; // an invalid requirement: the selector matches nothing
      if (!requirement) holds = false;
    }
  const matchLabels = selector?.matchLabels;
  return holds && (matchLabels == null || mapMatches(matchLabels, l));
}

/** The labels of a pod that has none. */
const NO_LABELS: Record<string, string> = Object.freeze({});

/** Whether `labels` satisfy a plain map selector (a Service's `spec.selector`). */
export function mapMatches(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  // for-in and hasOwn: the selector's own enumerable keys, as Object.keys lists them, without making its array
  for (const k in selector) if (Object.hasOwn(selector, k) && labels?.[k] !== selector[k]) return false;
  return true;
}

export interface PodTemplate {
  owner: RenderedObject;
  labels: Record<string, string>;
  /** The pod's annotations, where the template names them. */
  annotations?: Record<string, string>;
  spec: PodSpecShape;
}

/**
 * The labels of the pods prometheus-operator runs for a Prometheus or
 * Alertmanager custom resource (its documented pod labels), plus the
 * resource's `spec.podMetadata.labels`.
 */
function operatorPodLabels(o: RenderedObject): Record<string, string> | undefined {
  if (!o.object.apiVersion.startsWith("monitoring.coreos.com/")) return undefined;
  const name = o.object.metadata.name;
  const app =
    o.object.kind === "Prometheus" ? "prometheus" : o.object.kind === "Alertmanager" ? "alertmanager" : undefined;
  if (!app) return undefined;
  const extra = looseSpec<{ podMetadata: { labels: Record<string, string> } }>(o.object)?.podMetadata?.labels ?? {};
  return {
    ...extra,
    "app.kubernetes.io/name": app,
    "app.kubernetes.io/instance": name,
    "app.kubernetes.io/managed-by": "prometheus-operator",
    "operator.prometheus.io/name": name,
    [app]: name,
  };
}

/**
 * The labels CloudNativePG puts on a Cluster's instance pods (its `inheritedMetadata.labels` and its own), one set
 * per instance role: the primary, and the replicas when it runs more than one instance.
 */
function cnpgPodLabels(o: RenderedObject): Record<string, string>[] {
  const spec = looseSpec<{ inheritedMetadata: { labels: Record<string, string> }; instances: number }>(o.object);
  const base = {
    ...(spec?.inheritedMetadata?.labels ?? {}),
    "cnpg.io/cluster": o.object.metadata.name,
    "cnpg.io/podRole": "instance",
  };
  const roles = (spec?.instances ?? 1) > 1 ? ["primary", "replica"] : ["primary"];
  return roles.map((role) => ({ ...base, "cnpg.io/instanceRole": role }));
}

/** The governing Services prometheus-operator creates for the Prometheus and Alertmanager resources of a target. */
export function operatorServices(objects: RenderedObject[]): RenderedObject[] {
  const out: RenderedObject[] = [];
  const made = (
    name: string,
    ports: number[],
    from: RenderedObject,
    selector?: Record<string, string>,
  ): RenderedObject => ({
    band: from.band,
    component: from.component,
    object: {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name, namespace: from.object.metadata.namespace },
      spec: { clusterIP: "None", ports: ports.map((port) => ({ port })), ...(selector ? { selector } : {}) },
    },
  });
  const prometheus = objects.find(
    (o) => o.object.apiVersion.startsWith("monitoring.coreos.com/") && o.object.kind === "Prometheus",
  );
  const alertmanager = objects.find(
    (o) => o.object.apiVersion.startsWith("monitoring.coreos.com/") && o.object.kind === "Alertmanager",
  );
  if (prometheus) out.push(made("prometheus-operated", [9090], prometheus));
  // CloudNativePG's Services of a Cluster: read-write (the primary), read-only (replicas) and read (any instance).
  for (const cluster of objects.filter((o) => isCnpgCluster(o.object)))
    for (const [suffix, role] of [
      ["rw", { "cnpg.io/instanceRole": "primary" }],
      ["ro", { "cnpg.io/instanceRole": "replica" }],
      ["r", { "cnpg.io/podRole": "instance" }],
    ] as const)
      out.push(
        made(`${cluster.object.metadata.name}-${suffix}`, [5432], cluster, {
          "cnpg.io/cluster": cluster.object.metadata.name,
          ...role,
        }),
      );
  if (alertmanager) out.push(made("alertmanager-operated", [9093, 9094], alertmanager));
  return out;
}

/**
 * Every pod template of the target's workloads, with its labels, including the pods operators run for custom resources.
 */
export function podTemplates(objects: RenderedObject[]): PodTemplate[] {
  const out: PodTemplate[] = [];
  for (const o of objects) {
    if (isCnpgCluster(o.object)) {
      // The instances carry the Cluster's inherited annotations (Istio's injection switch among them).
      const annotations = looseSpec<{ inheritedMetadata: { annotations: Record<string, string> } }>(o.object)
        ?.inheritedMetadata?.annotations;
      for (const labels of cnpgPodLabels(o)) out.push({ owner: o, labels, annotations: annotations ?? {}, spec: {} });
    }
    const labels = operatorPodLabels(o);
    if (labels) out.push({ owner: o, labels, spec: {} });
  }
  for (const o of objects) {
    const template = podTemplateOf(o.object)?.template;
    if (template)
      out.push({
        owner: o,
        labels: template.metadata?.labels ?? {},
        annotations: template.metadata?.annotations ?? {},
        spec: template.spec ?? {},
      });
    else if (o.object.kind === "Pod")
      out.push({ owner: o, labels: o.object.metadata.labels ?? {}, spec: looseSpec<PodSpecShape>(o.object) ?? {} });
  }
  return out;
}

/** The named container ports of a pod template. */
export function containerPortNames(spec: PodSpecShape | undefined): Set<string> {
  const names = new Set<string>();
  for (const c of spec?.containers ?? []) for (const p of c.ports ?? []) if (p.name) names.add(p.name);
  return names;
}

/** Finds a rendered object by kind and name (for Services, those operators create count too). */
export function findObject(objects: RenderedObject[], kind: unknown, name: unknown): RenderedObject | undefined {
  const found = objects.find((o) => o.object.kind === kind && o.object.metadata.name === name);
  if (found || kind !== "Service") return found;
  return operatorServices(objects).find((o) => o.object.metadata.name === name);
}
