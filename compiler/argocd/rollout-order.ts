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
interface Placed {
  name: string;
  step: number;
  rolling: boolean;
  target: CompiledTarget;
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

/** The rollout-order problems of the generated Applications, blamed on the layer's description file. */
export function rolloutOrderProblems(
  applications: GeneratedApplication[],
  byFolder: Map<string, CompiledTarget>,
  file: string,
): ManifoldError[] {
  const groups = new Map<string, Placed[]>();
  for (const g of applications) {
    const target = byFolder.get(g.application.spec.source.path);
    if (!target || (g.rolling && g.step === undefined)) continue;
    const key = `${target.target.platform}/${target.target.environment}`;
    const placed = { name: g.application.metadata.name, step: g.rolling ? g.step! : 0, rolling: g.rolling, target };
    groups.set(key, [...(groups.get(key) ?? []), placed]);
  }
  const errors: ManifoldError[] = [];
  for (const apps of groups.values()) {
    const env = apps[0].target.target.environment;
    const field = `environments.${env}.rollout${apps[0].rolling ? ".steps" : ""}`;
    const fail = (p: Placed, message: string) =>
      errors.push(
        new ManifoldError(`Application ${p.name} (${when(p)}): ${message}`, {
          file,
          field,
          target: p.target.target.id,
        }),
      );
    const primaries = apps.filter((p) => p.target.target.role === "primary");
    const migrating = apps.filter((p) => p.target.target.hooks.migrate);
    for (const p of apps) {
      const stores = followedStores(p.target);
      for (const primary of stores.length ? primaries : [])
        if (p.step <= primary.step)
          fail(
            p,
            `its ${stores.join(", ")} follow${stores.length === 1 ? "s" : ""} the primary in Application ${primary.name} (${when(primary)}), which is not Healthy first: on empty clusters its replicas wait for a primary that does not exist yet; roll ${primary.target.target.role} out in an earlier step than ${p.target.target.role}`,
          );
      if (!p.target.target.waveHooks.migrate || p.target.target.hooks.migrate) continue;
      for (const m of migrating)
        if (p.step <= m.step)
          fail(
            p,
            `runs new code on the schema that the migration Job of Application ${m.name} (${when(m)}) changes, without waiting for it; roll ${m.target.target.role} out in an earlier step than ${p.target.target.role}`,
          );
    }
  }
  return errors;
}
