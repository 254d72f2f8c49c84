/**
 * Rollout order against data dependencies, across the Applications of one platform in one environment:
 * - an Application whose stores follow another region's (replicas of the primary region's primary, writes sent
 *   there) syncs in a later step than that region's Application: on empty clusters its replicas wait for a primary
 *   that must already exist, or the step never becomes Healthy;
 * - an Application that runs the platform's code without migrating its own database syncs in a later step than
 *   every Application whose migration Job changes the schema it reads: a migration precedes new code everywhere.
 * Without RollingSync every Application syncs at once, so neither holds where such a dependency exists.
 */
import { ManifoldError } from "../errors.ts";
import type { CompiledTarget } from "../model/target.ts";
import { followsPrimary } from "../stores/writable.ts";
import type { GeneratedApplication } from "./expand.ts";

/** One generated Application, placed in its rollout step (0 for everything at once). */
export interface Placed {
  name: string;
  step: number;
  rolling: boolean;
  target: CompiledTarget;
}

/** One Application that must sync after another: it follows that one's stores, or reads the schema it migrates. */
export interface DataDependency {
  dependent: Placed;
  on: Placed;
  /** The dependent's stores that follow the other's primaries (empty for a migration dependency). */
  stores: string[];
  migration: boolean;
}

function when(p: Placed): string {
  return p.rolling ? `step ${p.step}` : "all at once";
}

/** The stores of a target that follow the primary region's. */
function followedStores(t: CompiledTarget): string[] {
  const { components, role } = t.target;
  return Object.entries(components)
    .filter(([, c]) => c.type === "store" && followsPrimary(c, role === "primary"))
    .map(([key]) => key)
    .sort();
}

/** The generated Applications of each platform and environment, placed in their steps. */
function placedGroups(applications: GeneratedApplication[], byFolder: Map<string, CompiledTarget>): Placed[][] {
  const groups = new Map<string, Placed[]>();
  for (const g of applications) {
    const target = byFolder.get(g.application.spec.source.path);
    if (!target || (g.rolling && g.step === undefined)) continue;
    const key = `${target.target.platform}/${target.target.environment}`;
    const placed = { name: g.application.metadata.name, step: g.rolling ? g.step! : 0, rolling: g.rolling, target };
    groups.set(key, [...(groups.get(key) ?? []), placed]);
  }
  return [...groups.values()];
}

/** Every data dependency between the generated Applications, whatever their steps. */
export function dataDependencies(
  applications: GeneratedApplication[],
  byFolder: Map<string, CompiledTarget>,
): DataDependency[] {
  const out: DataDependency[] = [];
  for (const apps of placedGroups(applications, byFolder)) {
    const primaries = apps.filter((p) => p.target.target.role === "primary");
    const migrating = apps.filter((p) => p.target.target.hooks.migrate);
    for (const p of apps) {
      const stores = followedStores(p.target);
      for (const on of stores.length ? primaries : []) out.push({ dependent: p, on, stores, migration: false });
      if (!p.target.target.waveHooks.migrate || p.target.target.hooks.migrate) continue;
      for (const on of migrating) out.push({ dependent: p, on, stores: [], migration: true });
    }
  }
  return out;
}

/** What a dependency is, in words: `its cache, db follow that primary` or `its schema is migrated there`. */
export function dependencyReason(d: DataDependency): string {
  return d.migration
    ? "its schema is migrated there"
    : `its ${d.stores.join(", ")} follow${d.stores.length === 1 ? "s" : ""} the primary there`;
}

/** The rollout-order problems of the generated Applications, blamed on the layer's description file. */
export function rolloutOrderProblems(
  applications: GeneratedApplication[],
  byFolder: Map<string, CompiledTarget>,
  file: string,
): ManifoldError[] {
  return dataDependencies(applications, byFolder)
    .filter((d) => d.dependent.step <= d.on.step)
    .map(({ dependent: p, on, stores, migration }) => {
      const env = p.target.target.environment;
      const field = `environments.${env}.rollout${p.rolling ? ".steps" : ""}`;
      const order = `roll ${on.target.target.role} out in an earlier step than ${p.target.target.role}`;
      const message = migration
        ? `runs new code on the schema that the migration Job of Application ${on.name} (${when(on)}) changes, before that Job has run; ${order}`
        : `its ${stores.join(", ")} follow${stores.length === 1 ? "s" : ""} the primary in Application ${on.name} (${when(on)}), which is not Healthy before it: on empty clusters its replicas wait for a primary that does not exist yet; ${order}`;
      return new ManifoldError(`Application ${p.name} (${when(p)}): rollout order: ${message}`, {
        file,
        field,
        target: p.target.target.id,
      });
    });
}
