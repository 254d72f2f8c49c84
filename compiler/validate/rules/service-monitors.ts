import type { Rule } from "../context.ts";
import { looseSpec } from "../../kube/loose.ts";
import { serviceSpec } from "../../kube/specs.ts";
import type { LabelSelector } from "../../kube/selectors.ts";

/** The fields of a ServiceMonitor's spec this rule reads. */
interface ServiceMonitorShape {
  namespaceSelector: { any: boolean; matchNames: string[] };
  selector: LabelSelector;
  endpoints: { port: unknown }[];
}
import { selectorMatches } from "../../kube/selectors.ts";

/** Each ServiceMonitor selects a Service of the target, and the named ports it scrapes exist on that Service. */
export const serviceMonitorsRule: Rule = {
  name: "service-monitors",
  description: "ServiceMonitor selectors match a Service and its named ports",
  check(ctx, report) {
    for (const o of ctx.objects) {
      if (o.object.kind !== "ServiceMonitor") continue;
      const spec = looseSpec<ServiceMonitorShape>(o.object);
      const ns = spec?.namespaceSelector;
      if (ns?.any === true || (ns?.matchNames ?? []).some((n) => n !== o.object.metadata.namespace)) continue; // other namespaces are not this Application's
      const services = ctx.objects.filter(
        (s) => s.object.kind === "Service" && selectorMatches(spec?.selector, s.object.metadata.labels),
      );
      if (services.length === 0) {
        report(o, {
          pointer: "/spec/selector",
          message: "selects no Service of this Application",
          fix: "match the labels of a rendered Service",
        });
        continue;
      }
      (spec?.endpoints ?? []).forEach((e, i) => {
        if (typeof e?.port !== "string") return;
        const named = services.some((s) => (serviceSpec(s.object)?.ports ?? []).some((p) => p.name === e.port));
        if (!named)
          report(o, {
            pointer: `/spec/endpoints/${i}/port`,
            message: `scrapes port "${e.port}", which no selected Service names`,
            fix: "use a port name of the selected Service",
          });
      });
    }
  },
};
