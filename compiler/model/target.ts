/**
 * A target (platform × environment × region) at each stage of the pipeline:
 * resolved, built, ordered and compiled.
 */
import type { Band, RenderedObject } from "./object.ts";
import type { HookSpec } from "./hook.ts";
import type {
  ClusterDescription,
  SecretStoreDescription,
  Component,
  EnvironmentPolicy,
  EnvValue,
  IngressDescription,
  ObjectStoreDescription,
  PatchRule,
  PlatformDescription,
  RegionRole,
} from "../describe/types.ts";
import type { ManagedCapabilities } from "../describe/addon-capabilities.ts";

export interface Provenance {
  /** The layer's label, e.g. `environment dev`. */
  layer: string;
  file: string;
  /** Position in the layering order; later layers win. */
  rank: number;
}

export interface ResolvedTarget {
  /** `platform/environment/region`. */
  id: string;
  platform: string;
  environment: string;
  region: string;
  role: RegionRole;
  namespace: string;
  namePrefix: string;
  description?: string;
  cluster: ClusterDescription;
  /** The primary region of this environment, which runs the writable databases. */
  primary: {
    region: string;
    cluster: ClusterDescription;
    objectStore?: ObjectStoreDescription;
    /** The region the primary's databases are being handed to (step one of a planned switchover). */
    handover?: string;
    /** Demotion tokens of the old primary's databases, keyed `<environment>/<platform>/<component>`. */
    promotionTokens?: Record<string, string>;
  };
  /** Every other region of this environment with its role, cluster and object store (peers of cross-region traffic). */
  peers: { region: string; role: RegionRole; cluster: ClusterDescription; objectStore?: ObjectStoreDescription }[];
  secretStore: SecretStoreDescription;
  /** What the cluster layer's add-ons give this target's cluster, besides its region file's capability contract. */
  managedCapabilities?: ManagedCapabilities[];
  /** Where this region's stores send backups (the region's `backups`). */
  objectStore?: ObjectStoreDescription;
  /** Each environment's primary region and its object store: where `backup.restoreFrom` reads its backups. */
  backupSources?: Record<string, { region: string; objectStore?: ObjectStoreDescription }>;
  policy: EnvironmentPolicy;
  config: Record<string, EnvValue>;
  components: Record<string, Component>;
  patches: PatchRule[];
  /** The Jobs Argo CD runs around the sync in this target (migrations, smoke test, failure notice), by name. */
  hooks: Record<string, HookSpec>;
  /** Sync-phase hooks that take a place in the wave order, rendered here or not (see HookSpec.render). */
  waveHooks: Record<string, HookSpec>;
  /** Grafana dashboards, by name. */
  dashboards?: Record<string, Record<string, unknown>>;
  /** Platform-level ingresses, by object name. */
  ingresses?: Record<string, IngressDescription>;
  /** Platform-wide blocks, copied from the platform description (not layered). */
  storageClasses?: PlatformDescription["storageClasses"];
  volumes?: PlatformDescription["volumes"];
  mesh?: PlatformDescription["mesh"];
  alerts?: PlatformDescription["alerts"];
  recordingRules?: PlatformDescription["recordingRules"];
  prometheusStack?: PlatformDescription["prometheusStack"];
  /** The environment's global domain: public hosts are also served under it, routed between regions by latency. */
  globalDomain?: string;
  /** The Route 53 hosted zone of the global domain (set whenever `globalDomain` is). */
  globalZoneId?: string;
  /** Receivers and routes of the platform's alerts (thresholds and `off` as every layer left them). */
  alerting?: PlatformDescription["alerting"];
  slos?: PlatformDescription["slos"];
  tracing?: PlatformDescription["tracing"];
  /**
   * Which override layer (environment, region, target) set each leaf field, keyed by dotted path
   * (`components.gateway.replicas`). A field not listed is the platform's own, from `sources[0]`.
   */
  provenance: Record<string, Provenance>;
  /** The description files this target was built from. */
  sources: string[];
}

export interface TargetFilter {
  platform?: string;
  environment?: string;
  region?: string;
}

export interface BuiltTarget {
  target: ResolvedTarget;
  objects: RenderedObject[];
}

export interface WavePlan {
  /** Wave of each band (the workload band's first wave). */
  bands: Partial<Record<Band, number>>;
  /** Wave of each component's workload (and of each Sync hook). */
  components: Record<string, number>;
}

export interface CompiledTarget {
  target: ResolvedTarget;
  /** Final objects, in Argo CD's sync order. */
  objects: RenderedObject[];
  waves: WavePlan;
}
