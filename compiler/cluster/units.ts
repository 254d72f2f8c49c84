/**
 * An add-on on a cluster becomes one or two parts, each one Application: its chart, and its cluster-wide objects in
 * a folder of their own when the chart is a Helm source (they use the kinds the chart installs, so they wait for
 * it). A hydrated add-on is one folder holding both. Each part waits for the parts it needs: the add-ons it
 * `dependsOn`, and the providers of every kind it creates. Its wave is the longest chain of such needs below it.
 */
import { ManifoldError, combineErrors } from "../errors.ts";
import type { AddonDelivery } from "../describe/types.ts";
import type { KubeObject } from "../model/object.ts";
import { groupKindOf } from "./objects.ts";
import type { ClusterTarget, ResolvedAddon } from "./resolve.ts";

export interface AddonUnit {
  /** The part's name: the add-on's, or `<add-on>-objects` for the objects of a Helm-source add-on. */
  name: string;
  addon: ResolvedAddon;
  /** `folder`: a directory of rendered objects; otherwise how the chart is delivered. */
  delivery: AddonDelivery | "folder";
  /** The rendered objects of a folder part (hydrated chart and/or cluster-wide objects). */
  objects: KubeObject[];
  /** The parts that must be Healthy first. */
  needs: string[];
  /** Depth in the dependency order (0: needs nothing). */
  depth: number;
}

/** Which add-on provides each kind (`<group>/<Kind>`) on a cluster. */
export function providersOf(cluster: ClusterTarget): Map<string, string> {
  const out = new Map<string, string>();
  for (const a of cluster.addons) for (const k of a.description.provides ?? []) out.set(k, a.name);
  return out;
}

/** The kinds a part creates that are not built in: its `uses`, and the custom resources among its objects. */
function kindsUsed(addon: ResolvedAddon, objects: KubeObject[]): string[] {
  const own = new Set(addon.description.provides ?? []);
  const kinds = new Set([...(addon.description.uses ?? []), ...objects.map(groupKindOf)]);
  return [...kinds].filter((k) => !own.has(k) && k.includes(".") && !k.split("/")[0].endsWith("k8s.io"));
}

/**
 * The parts of every add-on on a cluster, with their needs and depths. `objectsOf` gives an add-on's objects
 * (hydrated and cluster-wide) for a folder part. Throws when a part uses a kind no add-on on the cluster provides.
 */
export function clusterUnits(
  cluster: ClusterTarget,
  objectsOf: (addon: ResolvedAddon) => { chart: KubeObject[]; cluster: KubeObject[] },
): AddonUnit[] {
  const providers = providersOf(cluster);
  const units: AddonUnit[] = [];
  const lastUnit = new Map<string, string>();
  const errors: ManifoldError[] = [];
  for (const addon of cluster.addons) {
    const d = addon.description;
    const { chart, cluster: own } = objectsOf(addon);
    const explicit = d.dependsOn ?? [];
    const needsFor = (objects: KubeObject[], extra: string[] = []): string[] => {
      const out = new Set(explicit);
      for (const kind of kindsUsed(addon, objects)) {
        const provider = providers.get(kind);
        if (provider) out.add(provider);
        else
          errors.push(
            new ManifoldError(
              `creates ${kind} objects, but no add-on on cluster ${cluster.cluster.name} provides that kind (list it in an add-on's provides)`,
              { file: addon.file, field: "provides", target: cluster.id },
            ),
          );
      }
      return [...[...out].filter((n) => n !== addon.name), ...extra];
    };
    if (d.chart && d.delivery !== "hydrated") {
      units.push({ name: d.name, addon, delivery: "helm-source", objects: [], needs: needsFor([]), depth: 0 });
      lastUnit.set(d.name, d.name);
      if (own.length) {
        const name = `${d.name}-objects`;
        units.push({ name, addon, delivery: "folder", objects: own, needs: needsFor(own, [d.name]), depth: 0 });
        lastUnit.set(d.name, name);
      }
    } else {
      const objects = [...chart, ...own];
      units.push({
        name: d.name,
        addon,
        delivery: d.chart ? "hydrated" : "folder",
        objects,
        needs: needsFor(objects),
        depth: 0,
      });
      lastUnit.set(d.name, d.name);
    }
  }
  if (errors.length) throw combineErrors(errors);
  // a need names an add-on: its first part (the chart, which provides the kinds), or its only one
  const byName = new Map(units.map((u) => [u.name, u]));
  const depth = (u: AddonUnit, seen: string[]): number => {
    if (seen.includes(u.name))
      throw new ManifoldError(`add-ons need each other in a cycle: ${[...seen, u.name].join(" → ")}`);
    if (u.depth > 0 || u.needs.length === 0) return u.depth;
    u.depth =
      1 +
      Math.max(...u.needs.map((n) => depth((byName.get(n) ?? byName.get(lastUnit.get(n) ?? n))!, [...seen, u.name])));
    return u.depth;
  };
  for (const u of units) depth(u, []);
  return units;
}
