import type { Rule } from "../context.ts";
import { obj, list, str } from "../../kube/loose.ts";
import { engineOf } from "../../stores/index.ts";
import type { RenderedObject } from "../../model/object.ts";

const WORKLOAD_KINDS = new Set(["Cluster", "StatefulSet"]);

/** True when a Velero Schedule of the target includes the namespace. */
function snapshotsNamespace(objects: RenderedObject[], namespace: string): boolean {
  return objects.some(
    (o) =>
      o.object.kind === "Schedule" &&
      o.object.apiVersion.startsWith("velero.io/") &&
      list(obj(obj(o.object.spec).template).includedNamespaces).includes(namespace),
  );
}

/** True when one of the component's objects is a scheduled backup (CloudNativePG's, or a backup CronJob). */
function hasScheduledBackup(objects: RenderedObject[], key: string): boolean {
  return objects.some(
    (o) =>
      o.component === key &&
      ((o.object.kind === "ScheduledBackup" && o.object.apiVersion.startsWith("postgresql.cnpg.io/")) ||
        (o.object.kind === "CronJob" && o.object.metadata.labels?.["app.kubernetes.io/component"] === "backup")),
  );
}

/**
 * Every database has a backup: a CloudNativePG ScheduledBackup or a backup CronJob for engines with a dump tool, a
 * Velero Schedule of the namespace for the others (volume snapshots). Reported on the store's workload.
 */
export const storeBackupsRule: Rule = {
  name: "store-backups",
  description: "every data store has a scheduled backup",
  check(ctx, report) {
    const { target, objects } = ctx;
    for (const key of Object.keys(target.components).sort()) {
      const c = target.components[key];
      if (c.type !== "store") continue;
      const workload = objects.find((o) => o.component === key && WORKLOAD_KINDS.has(o.object.kind));
      if (!workload) continue;
      const engine = engineOf(c);
      const dumps = engine.operator !== undefined || engine.dump !== undefined;
      if (dumps ? hasScheduledBackup(objects, key) : snapshotsNamespace(objects, target.namespace)) continue;
      const why =
        c.backup === false
          ? "its backups are off (backup: false)"
          : !target.objectStore
            ? `region ${target.region} names no object store (\`backups\`)`
            : dumps
              ? "nothing schedules one"
              : `no Velero Schedule snapshots namespace ${target.namespace}`;
      report(workload, {
        pointer: "",
        message: `store ${key} (${c.engine}${str(c.flavor) ? `, ${c.flavor}` : ""}) has no scheduled backup: ${why}`,
        fix: "give the region `backups` (an object store) and the store a `backup` schedule, or waive the rule with the reason",
      });
    }
  },
};
