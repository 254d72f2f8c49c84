import type { RenderedObject } from "../../model/object.ts";
import { serviceSpec } from "../../kube/specs.ts";
import type { Reporter, Rule } from "../context.ts";
import { escapeKey } from "../../kube/pointer.ts";
import { findObject } from "../../kube/selectors.ts";
import { containersOf } from "../../kube/pods.ts";
import { serviceUrls } from "../../kube/service-urls.ts";

function checkValue(
  o: RenderedObject,
  objects: RenderedObject[],
  namespace: string,
  prefix: string,
  report: Reporter,
  pointer: string,
  value: unknown,
): void {
  if (typeof value !== "string") return;
  for (const u of serviceUrls(value, namespace)) {
    const name = u.service;
    if (!name) continue;
    const service = findObject(objects, "Service", name);
    const port = u.port;
    if (!service) {
      // a bare host that is no Service of ours may be another host (localhost, a sidecar); flag it when it is qualified
      // with our namespace or carries our prefix
      if (u.host.includes(".") || (prefix !== "" && name.startsWith(prefix))) {
        report(o, {
          pointer,
          message: `points at ${u.text}, but this Application renders no Service "${name}"`,
          fix: "use url() to refer to a component, or correct the host",
        });
      }
      continue;
    }
    const ports = (serviceSpec(service.object)?.ports ?? []).map((p) => p.port);
    if (!ports.includes(port))
      report(o, {
        pointer,
        message: `points at ${u.text}, but Service ${name} exposes ${ports.join(", ") || "no ports"}`,
        fix: `use one of the Service's ports (${ports.join(", ")}), or url() to refer to a component`,
      });
  }
}

/**
 * URLs in env values and ConfigMap data that point at a Service of the target name a Service that exists and a port it
 * exposes.
 */
export const urlReferencesRule: Rule = {
  name: "url-references",
  description: "in-cluster URLs in env and ConfigMaps name a rendered Service and one of its ports",
  check(ctx, report) {
    for (const o of ctx.objects) {
      const namespace = o.object.metadata.namespace ?? ctx.target.namespace;
      if (o.object.kind === "ConfigMap") {
        for (const [k, v] of Object.entries((o.object.data as Record<string, unknown>) ?? {}))
          checkValue(o, ctx.objects, namespace, ctx.target.namePrefix, report, `/data/${escapeKey(k)}`, v);
      }
      for (const { container, pointer } of containersOf(o.object)) {
        (Array.isArray(container.env) ? container.env : []).forEach((e, j) =>
          checkValue(o, ctx.objects, namespace, ctx.target.namePrefix, report, `${pointer}/env/${j}/value`, e?.value),
        );
      }
    }
  },
};
