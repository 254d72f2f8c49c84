import type { Rule } from "../context.ts";
import type { RenderedObject } from "../../model/object.ts";
import { HOOK_ANNOTATION } from "../../sync/annotations.ts";
import { isRelational, writableIn } from "../../stores/writable.ts";

/** The Sync-phase hook Jobs rendered in this target, by the component key they belong to. */
function syncJobs(objects: RenderedObject[]): Set<string> {
  const keys = new Set<string>();
  for (const o of objects) {
    const phases = (o.object.metadata.annotations?.[HOOK_ANNOTATION] ?? "").split(",").map((p) => p.trim());
    if (o.object.kind === "Job" && o.component !== undefined && phases.includes("Sync")) keys.add(o.component);
  }
  return keys;
}

/**
 * Every writable database is migrated where it is writable: a relational store that takes writes in this target's
 * region (the primary for replicated engines, every region for a stand-alone server) is named by a migration Job
 * rendered in this target, which runs before the code that uses the schema.
 */
export const migratedDatabasesRule: Rule = {
  name: "migrated-databases",
  description: "every writable relational database is migrated by a Sync hook in each region where it is writable",
  check(ctx, report) {
    const { target } = ctx;
    const jobs = syncJobs(ctx.objects);
    for (const [key, c] of Object.entries(target.components)) {
      if (!isRelational(c) || !writableIn(c, target.role === "primary")) continue;
      const migrated = Object.entries(target.hooks).some(
        ([hook, h]) => h.phase === "Sync" && h.dependsOn.includes(key) && jobs.has(hook),
      );
      if (migrated) continue;
      const own = ctx.objects.filter((o) => o.component === key);
      const at = own.find((o) => o.object.kind === "StatefulSet") ?? own[0];
      if (!at) continue;
      report(at, {
        pointer: "",
        message: `database ${key} takes writes in this region, but no migration Job here migrates it: new code would run on an unmigrated schema`,
        fix: `name ${key} in migrations.dependsOn, so the migration Job runs wherever ${key} is writable`,
      });
    }
  },
};
