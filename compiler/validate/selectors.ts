/** Label selectors as the API server evaluates them, and the pod templates they can select. */
import type { RenderedObject } from "../build/objects.ts";

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** Whether `labels` satisfy a LabelSelector (`matchLabels` and `matchExpressions`). An empty selector matches everything. */
export function selectorMatches(selector: LabelSelector | undefined, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  for (const [k, v] of Object.entries(selector?.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const e of selector?.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(l, e.key);
    const ok =
      e.operator === "In" ? has && (e.values ?? []).includes(l[e.key])
      : e.operator === "NotIn" ? !has || !(e.values ?? []).includes(l[e.key])
      : e.operator === "Exists" ? has
      : e.operator === "DoesNotExist" ? !has
      : false;
    if (!ok) return false;
  }
  return true;
}

/** Whether `labels` satisfy a plain map selector (a Service's `spec.selector`). */
export function mapMatches(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

export interface PodTemplate {
  owner: RenderedObject;
  labels: Record<string, string>;
  spec: any;
}

/** Every pod template of the target's workloads, with its labels. */
export function podTemplates(objects: RenderedObject[]): PodTemplate[] {
  const out: PodTemplate[] = [];
  for (const o of objects) {
    const spec = o.object.spec as any;
    const template = o.object.kind === "CronJob" ? spec?.jobTemplate?.spec?.template : ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"].includes(o.object.kind) ? spec?.template : undefined;
    if (template) out.push({ owner: o, labels: template.metadata?.labels ?? {}, spec: template.spec ?? {} });
    else if (o.object.kind === "Pod") out.push({ owner: o, labels: o.object.metadata.labels ?? {}, spec: spec ?? {} });
  }
  return out;
}

/** The named container ports of a pod template. */
export function containerPortNames(spec: any): Set<string> {
  const names = new Set<string>();
  for (const c of spec?.containers ?? []) for (const p of c.ports ?? []) if (p.name) names.add(p.name);
  return names;
}

/** Finds a rendered object by kind and name. */
export function findObject(objects: RenderedObject[], kind: string, name: unknown): RenderedObject | undefined {
  return objects.find((o) => o.object.kind === kind && o.object.metadata.name === name);
}
