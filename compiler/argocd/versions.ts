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

/** The pointers of an Application spec's sources (`source`, or each of `sources`) whose repoURL is an OCI one. */
function ociSources(spec: Record<string, unknown>, prefix = ""): string[] {
  const oci = (s: unknown) => String(field(s, "repoURL") ?? "").startsWith("oci://");
  return [
    ...(oci(spec.source) ? [`${prefix}/source/repoURL`] : []),
    ...entries(spec.sources).flatMap((s, i) => (oci(s) ? [`${prefix}/sources/${i}/repoURL`] : [])),
  ];
}

const FLOORS: Floor[] = [
  {
    kind: "Application",
    since: "3.1",
    what: "an OCI source (repoURL oci://)",
    pointers: (spec) => ociSources(spec).map((p) => `/spec${p}`),
  },
  {
    kind: "ApplicationSet",
    since: "3.1",
    what: "an OCI source (repoURL oci://)",
    pointers: (spec) =>
      ociSources((field(spec.template, "spec") ?? {}) as Record<string, unknown>, "/spec/template/spec"),
  },
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

/** Every field of the layer's Argo CD objects that Argo CD `declared` (by `who`) does not understand. */
export function versionProblems(objects: KubeObject[], declared: string, who = "the layer"): VersionProblem[] {
  const problems: VersionProblem[] = [];
  for (const o of objects) {
    if (o.apiVersion !== "argoproj.io/v1alpha1") continue;
    for (const floor of FLOORS) {
      if (floor.kind !== o.kind || compareVersions(declared, floor.since) >= 0) continue;
      for (const pointer of floor.pointers((o.spec ?? {}) as Record<string, unknown>))
        problems.push({
          object: `${o.kind}/${o.metadata.name}`,
          pointer,
          message: `${floor.what} needs Argo CD ${floor.since} or later; ${who} declares ${declared}`,
        });
    }
  }
  return problems;
}

/** An Argo CD object and the servers of the clusters it reaches (an Application's, a project's destinations). */
export interface ReachingObject {
  object: KubeObject;
  servers: string[];
}

/** A cluster as the version check sees it: its server, its contract's Argo CD version, where it is declared. */
export interface VersionedCluster {
  name: string;
  server: string;
  environment: string;
  argocdVersion: string;
}

/**
 * Every field of the Argo CD objects that reach a cluster (the ApplicationSets that generate its Applications, the
 * projects that list it as a destination) that the Argo CD version of the cluster's contract does not understand;
 * and a contract that claims another Argo CD than the layer's, which registers and syncs every cluster.
 */
export function clusterVersionProblems(
  clusters: VersionedCluster[],
  objects: ReachingObject[],
  layerVersion: string,
): (VersionProblem & { cluster: VersionedCluster })[] {
  const problems: (VersionProblem & { cluster: VersionedCluster })[] = [];
  for (const cluster of clusters) {
    // The same version as the layer's: the layer's own check covers every object.
    if (cluster.argocdVersion === layerVersion) continue;
    problems.push({
      cluster,
      object: `cluster ${cluster.name}`,
      pointer: "",
      message: `its contract declares Argo CD ${cluster.argocdVersion}, but the layer's Argo CD ${layerVersion} syncs it`,
    });
    const reaching = objects.filter((o) => o.servers.includes(cluster.server)).map((o) => o.object);
    for (const p of versionProblems(reaching, cluster.argocdVersion, `cluster ${cluster.name}`))
      problems.push({ ...p, cluster });
  }
  return problems;
}
