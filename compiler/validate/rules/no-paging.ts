import type { Rule } from "../context.ts";
import { allRoutes, isAlertmanagerConfig, receiversOf, routeOf } from "../alertmanager-config.ts";

/** The receiver integrations that wake someone up. */
const PAGERS = ["pagerdutyConfigs", "opsgenieConfigs", "victoropsConfigs"];

/**
 * No route pages from an environment that does not page (dev and staging: `policy.paging` is not true): no route
 * of an AlertmanagerConfig there sends to a receiver with a paging integration (PagerDuty, Opsgenie, VictorOps).
 */
export const noPagingRule: Rule = {
  name: "no-paging",
  description: "Environments that do not page route no alert to a paging receiver",
  check(ctx, report) {
    if (ctx.target.policy.paging === true) return;
    for (const c of ctx.objects.filter((o) => isAlertmanagerConfig(o.object))) {
      const receivers = receiversOf(c.object);
      for (const r of allRoutes(routeOf(c.object))) {
        const body = r.receiver === undefined ? undefined : receivers.get(r.receiver)?.body;
        const pager = PAGERS.find((p) => Array.isArray(body?.[p]) && (body[p] as unknown[]).length > 0);
        if (pager)
          report(c, {
            pointer: `${r.pointer}/receiver`,
            message: `route sends to receiver "${r.receiver}" (${pager}), which pages, but environment ${ctx.target.environment} does not page`,
            fix: "route critical alerts to chat here, or set policy.paging: true on the environment",
          });
      }
    }
  },
};
