/**
 * What the cluster layer's add-ons give a cluster, in the capability contract's terms: the seam where a managed
 * add-on joins the contract (`clusters.<env>.capabilities` in a region file lists only what Manifold does not
 * install). Read by the resolve phase for every platform target and by the cluster layer alike.
 */
import type { AddonCapabilities, AddonDescription, AddonLayer, ClusterStorageClass } from "./types.ts";
import { compareNames } from "../name-order.ts";

/** One add-on's contribution to a cluster's capabilities, named after the add-on. */
export interface ManagedCapabilities extends AddonCapabilities {
  from: string;
  /** The StorageClasses it renders on the cluster, by name (claims of every platform there use them). */
  storageClasses?: Record<string, ClusterStorageClass>;
  /** The cert-manager ClusterIssuers it renders on the cluster (ACME and CA), by name. */
  clusterIssuers?: string[];
}

/** The layers of an add-on that apply on one cluster, with the field path each is found at, in order. */
export function addonLayers(d: AddonDescription, environment: string, region: string): [string, AddonLayer][] {
  const layers: [string, AddonLayer | undefined][] = [
    [`environments.${environment}`, d.environments?.[environment]],
    [`regions.${region}`, d.regions?.[region]],
    [`targets.${environment}/${region}`, d.targets?.[`${environment}/${region}`]],
  ];
  return layers.filter((l): l is [string, AddonLayer] => l[1] !== undefined);
}

/** True when an add-on runs on the cluster of `environment` in `region`: `runsIn`, then `enabled` layer by layer. */
export function addonRuns(d: AddonDescription, environment: string, region: string): boolean {
  if (d.runsIn && !d.runsIn.includes(environment)) return false;
  let enabled = true;
  for (const [, layer] of addonLayers(d, environment, region)) if (layer.enabled !== undefined) enabled = layer.enabled;
  return enabled;
}

/**
 * What one add-on gives every cluster it runs on: its declared capabilities, its StorageClasses and ClusterIssuers,
 * and a default StorageClass if it has one.
 */
export function capabilitiesOf(d: AddonDescription): ManagedCapabilities | undefined {
  const provided = [...(d.capabilities?.provided ?? [])];
  if (Object.values(d.storageClasses ?? {}).some((c) => c.default) && !provided.includes("default-storage-class"))
    provided.push("default-storage-class");
  const storageClasses = d.storageClasses && Object.keys(d.storageClasses).length ? d.storageClasses : undefined;
  const issuers = [...Object.keys(d.clusterIssuers ?? {}), ...Object.keys(d.caIssuers ?? {})].sort();
  if (!provided.length && !d.capabilities?.customMetrics && !d.capabilities?.externalMetrics && !storageClasses)
    if (!issuers.length) return undefined;
  return {
    from: d.name,
    ...d.capabilities,
    provided,
    ...(storageClasses ? { storageClasses } : {}),
    ...(issuers.length ? { clusterIssuers: issuers } : {}),
  };
}

/** What the add-ons that run on one cluster give it, in add-on name order. */
export function managedCapabilities(
  addons: readonly AddonDescription[],
  environment: string,
  region: string,
): ManagedCapabilities[] {
  return [...addons]
    .sort((a, b) => compareNames(a.name, b.name))
    .filter((d) => addonRuns(d, environment, region))
    .flatMap((d) => capabilitiesOf(d) ?? []);
}
