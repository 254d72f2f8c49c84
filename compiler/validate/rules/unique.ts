import type { Rule } from "../context.ts";
import { apiGroup } from "../../sync/health.ts";

/** No two objects share kind, namespace and name (the API server would keep only one). */
export const uniqueRule: Rule = {
  name: "unique",
  description: "no two objects share kind, namespace and name",
  check(ctx, report) {
    const seen = new Map<string, string | undefined>();
    for (const o of ctx.objects) {
      const { kind } = o.object;
      const group = apiGroup(o.object);
      const key = `${group}/${kind}/${o.object.metadata.namespace ?? ""}/${o.object.metadata.name}`;
      if (seen.has(key)) {
        const first = seen.get(key);
        report(o, {
          pointer: "/metadata/name",
          message: `two objects are both ${kind}/${o.object.metadata.name}${first !== o.component ? ` (components ${first ?? "platform"} and ${o.component ?? "platform"})` : ""}`,
          fix: "rename one of the components, or remove the duplicate",
        });
      } else seen.set(key, o.component);
    }
  },
};
