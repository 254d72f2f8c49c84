import type { Rule } from "../context.ts";
import { obj, objects, str } from "../../kube/loose.ts";
import { allRoutes, isAlertmanagerConfig, receiversFor, receiversOf, routeOf } from "../alertmanager-config.ts";

/** Every alerting rule of the target's PrometheusRules: its labels and pointer, with the object it is in. */
function alertsOf(objs: Parameters<Rule["check"]>[0]["objects"]) {
  return objs
    .filter((o) => o.object.kind === "PrometheusRule")
    .flatMap((o) =>
      objects(obj(o.object.spec).groups).flatMap(([g, i]) =>
        objects(g.rules)
          .filter(([r]) => typeof r.alert === "string")
          .map(([r, j]) => ({
            o,
            alert: str(r.alert)!,
            pointer: `/spec/groups/${i}/rules/${j}`,
            labels: Object.fromEntries(
              Object.entries(obj(r.labels)).filter((e): e is [string, string] => typeof e[1] === "string"),
            ),
          })),
      ),
    );
}

/**
 * Alert routes reach a receiver: every route of an AlertmanagerConfig names a receiver the config defines, and
 * every alert the target's PrometheusRules raise (with their namespace, as the operator matches it) reaches at
 * least one receiver. A target that raises alerts and routes none is reported as a warning.
 */
export const alertRoutesRule: Rule = {
  name: "alert-routes",
  description: "AlertmanagerConfig routes name defined receivers, and every alert of the target reaches one",
  check(ctx, report) {
    const configs = ctx.objects.filter((o) => isAlertmanagerConfig(o.object));
    for (const c of configs) {
      const receivers = receiversOf(c.object);
      for (const r of allRoutes(routeOf(c.object)))
        if (r.receiver !== undefined && !receivers.has(r.receiver))
          report(c, {
            pointer: `${r.pointer}/receiver`,
            message: `route sends to receiver "${r.receiver}", which this config does not define (${[...receivers.keys()].join(", ") || "none"})`,
            fix: "name a receiver of spec.receivers, or define the receiver",
          });
    }
    const alerts = alertsOf(ctx.objects);
    if (!configs.length) {
      if (alerts.length)
        report(alerts[0].o, {
          pointer: alerts[0].pointer,
          severity: "warning",
          message: `${alerts.length} alert(s) reach no one: the target renders no AlertmanagerConfig`,
          fix: "declare alerting (receivers and runbooks) on the platform",
        });
      return;
    }
    for (const a of alerts) {
      const labels: Record<string, string> = { namespace: ctx.target.namespace, ...a.labels };
      const reached = configs.flatMap((c) => {
        const root = routeOf(c.object);
        const receivers = receiversOf(c.object);
        return (root ? (receiversFor(root, labels) ?? []) : []).filter((r) => receivers.has(r));
      });
      if (!reached.length)
        report(a.o, {
          pointer: `${a.pointer}/labels`,
          message: `alert ${a.alert} (severity ${labels.severity ?? "none"}) reaches no receiver of the target's AlertmanagerConfig`,
          fix: "give the alert the labels a route matches (severity, platform), or add a route for it",
        });
    }
  },
};
