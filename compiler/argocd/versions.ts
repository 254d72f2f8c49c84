/**
 * Version floors of the Argo CD layer: fields of Argo CD's own objects that
 * only newer Argo CD versions understand. An older Argo CD drops an unknown
 * field silently (a named whitelist entry becomes a whole-kind one, widening
 * a project), so rendering one for an older Argo CD than the layer declares
 * is an error, not a warning.
 */
import type { KubeObject } from "../model/object.ts";

/** A field that needs Argo CD `since` or later, and where it sits in the objects of one kind. */
interface Floor {
  kind: string;
  since: string;
  what: string;
  pointers(spec: Record<string, unknown>): string[];
}

const entries = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const field = (value: unknown, key: string): unknown =>
  value && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;

const FLOORS: Floor[] = [
  {
    kind: "ApplicationSet",
    since: "3.2",
    what: "an ApplicationSet deletion order (strategy.deletionOrder)",
    pointers: (spec) => (field(spec.strategy, "deletionOrder") !== undefined ? ["/spec/strategy/deletionOrder"] : []),
  },
  {
    kind: "ApplicationSet",
    since: "3.3",
    what: "an automated sync policy that is switched off (syncPolicy.automated.enabled)",
    pointers: (spec) =>
      field(field(field(field(spec.template, "spec"), "syncPolicy"), "automated"), "enabled") !== undefined
        ? ["/spec/template/spec/syncPolicy/automated/enabled"]
        : [],
  },
  {
    kind: "AppProject",
    since: "3.3",
    what: "a named clusterResourceWhitelist entry",
    pointers: (spec) =>
      entries(spec.clusterResourceWhitelist).flatMap((e, i) =>
        field(e, "name") !== undefined ? [`/spec/clusterResourceWhitelist/${i}/name`] : [],
      ),
  },
];

/** Compares two `major.minor` versions numerically. */
export function compareVersions(a: string, b: string): number {
  const [am, an] = a.split(".").map(Number);
  const [bm, bn] = b.split(".").map(Number);
  return am - bm || an - bn;
}

/** A rendered field that needs a newer Argo CD than the declared one. */
export interface VersionProblem {
  object: string;
  pointer: string;
  message: string;
}

/** Every field of the layer's Argo CD objects that Argo CD `declared` does not understand. */
export function versionProblems(objects: KubeObject[], declared: string): VersionProblem[] {
  const problems: VersionProblem[] = [];
  for (const o of objects) {
    if (o.apiVersion !== "argoproj.io/v1alpha1") continue;
    for (const floor of FLOORS) {
      if (floor.kind !== o.kind || compareVersions(declared, floor.since) >= 0) continue;
      for (const pointer of floor.pointers((o.spec ?? {}) as Record<string, unknown>))
        problems.push({
          object: `${o.kind}/${o.metadata.name}`,
          pointer,
          message: `${floor.what} needs Argo CD ${floor.since} or later; the layer declares ${declared}`,
        });
    }
  }
  return problems;
}
