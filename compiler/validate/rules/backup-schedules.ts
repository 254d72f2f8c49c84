import type { Rule } from "../context.ts";
import { obj, str } from "../../kube/loose.ts";
import { cronProblem } from "../../kube/cron.ts";

/** The schedule fields this rule reads, by kind: where the schedule is and how many fields it has. */
const SCHEDULED: Record<string, { group: string; fields: 5 | 6 }> = {
  CronJob: { group: "batch/", fields: 5 },
  Schedule: { group: "velero.io/", fields: 5 },
  ScheduledBackup: { group: "postgresql.cnpg.io/", fields: 6 },
};

/**
 * Schedules are valid cron expressions: CronJobs and Velero Schedules take five fields (or a macro), CloudNativePG's
 * ScheduledBackup six (seconds first). An invalid schedule never fires, and nothing reports it but the controller.
 */
export const backupSchedulesRule: Rule = {
  name: "backup-schedules",
  description: "CronJob, Velero Schedule and ScheduledBackup schedules are valid cron expressions",
  check(ctx, report) {
    for (const o of ctx.objects) {
      const kind = SCHEDULED[o.object.kind];
      if (!kind || !o.object.apiVersion.startsWith(kind.group)) continue;
      const schedule = str(obj(o.object.spec).schedule);
      if (schedule === undefined) continue;
      const problem = cronProblem(schedule, kind.fields);
      if (problem)
        report(o, {
          pointer: "/spec/schedule",
          message: `schedule "${schedule}" is not a valid ${kind.fields}-field cron expression: ${problem}`,
          fix:
            kind.fields === 6
              ? "write six fields, seconds first, e.g. `0 0 2 * * *`"
              : "write five fields (minute hour day-of-month month day-of-week), e.g. `0 2 * * *`",
        });
    }
  },
};
