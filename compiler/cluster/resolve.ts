/**
 * The cluster layer's resolve: every cluster (an environment's region) gets the add-ons that run in its environment,
 * their values layered add-on → environment → region → target, each layer that changed something recorded by file
 * and field, so a value is blamed on the layer that set it.
 */
import type { AddonDescription, ClusterDescription, RegionRole } from "../describe/types.ts";
import { addonLayers, addonRuns } from "../describe/addon-capabilities.ts";
import type { Loaded, Project } from "../model/project.ts";
import { compareNames } from "../name-order.ts";

/** One add-on on one cluster, with its values layered. */
export interface ResolvedAddon {
  name: string;
  /** The description file. */
  file: string;
  description: AddonDescription;
  values: Record<string, unknown>;
  /** The layers that changed the values, in order (`environments.production`, `targets.production/us-west-2`). */
  layers: string[];
}

/** One cluster and the add-ons it runs. */
export interface ClusterTarget {
  /** `<environment>/<region>`. */
  id: string;
  environment: string;
  region: string;
  role: RegionRole;
  cluster: ClusterDescription;
  addons: ResolvedAddon[];
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** `over` merged onto `base`: objects key by key, anything else (lists included) replaced. Neither is changed. */
export function mergeValues(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isPlainObject(b) && isPlainObject(v) ? mergeValues(b, v) : structuredClone(v);
  }
  return out;
}

/** The add-on on one cluster, or undefined when it does not run there. */
function resolveAddon(a: Loaded<AddonDescription>, environment: string, region: string): ResolvedAddon | undefined {
  const d = a.value;
  if (!addonRuns(d, environment, region)) return undefined;
  let values = structuredClone(d.values ?? {});
  const touched: string[] = [];
  for (const [name, layer] of addonLayers(d, environment, region)) {
    touched.push(name);
    if (layer.values) values = mergeValues(values, layer.values);
  }
  return { name: d.name, file: a.file, description: d, values, layers: touched };
}

/** Every cluster of every environment, in environment then region order, with its add-ons in name order. */
export function resolveClusters(project: Project): ClusterTarget[] {
  const addons = [...(project.addons ?? [])].sort((a, b) => compareNames(a.value.name, b.value.name));
  const regions = new Map(project.regions.map((r) => [r.value.name, r.value]));
  const out: ClusterTarget[] = [];
  for (const { value: env } of project.environments) {
    for (const regionName of env.regions) {
      const region = regions.get(regionName);
      const cluster = region?.clusters[env.name];
      if (!region || !cluster) continue;
      out.push({
        id: `${env.name}/${regionName}`,
        environment: env.name,
        region: regionName,
        role: region.role,
        cluster,
        addons: addons.flatMap((a) => resolveAddon(a, env.name, regionName) ?? []),
      });
    }
  }
  return out;
}
