import type { RenderedObject } from "../../model/object.ts";
import type { Reporter, Rule } from "../context.ts";
import { findObject } from "../../kube/selectors.ts";
import { looseSpec } from "../../kube/loose.ts";
import { serviceSpec } from "../../kube/specs.ts";
import type { IIngressSpec } from "kubernetes-models/networking.k8s.io/v1/IngressSpec";

/** An Istio VirtualService route list: each route's destinations. */
interface IstioRoutes {
  route: { destination: { host: unknown; port: { number: number } } }[];
}

/** The routes of an Istio VirtualService, by protocol. */
interface VirtualServiceShape {
  http: IstioRoutes[];
  tcp: IstioRoutes[];
  tls: IstioRoutes[];
}

/** Whether a Service exposes `port` (a number, or a port name). */
export function servicePort(service: RenderedObject, port: { number?: unknown; name?: unknown }): boolean {
  const ports = serviceSpec(service.object)?.ports ?? [];
  return ports.some((p) => (port.number !== undefined ? p.port === port.number : p.name === port.name));
}

function checkBackend(
  o: RenderedObject,
  objects: RenderedObject[],
  report: Reporter,
  at: { name: string; port: string },
  name: string | undefined,
  port: { number?: unknown; name?: unknown } | undefined,
): void {
  const service = findObject(objects, "Service", name);
  if (!service) {
    report(o, {
      pointer: at.name,
      message: `routes to Service "${name}", which this Application does not render`,
      fix: "route to a rendered Service (check the component name and prefix)",
    });
    return;
  }
  if (port && (port.number !== undefined || port.name !== undefined) && !servicePort(service, port)) {
    const ports = (serviceSpec(service.object)?.ports ?? []).map((p) => `${p.name ?? "-"}:${p.port}`).join(", ");
    report(o, {
      pointer: at.port,
      message: `routes to port ${port.number ?? port.name} of Service ${name}, which exposes ${ports || "no ports"}`,
      fix: "use a port the Service exposes",
    });
  }
}

/** The Service name a VirtualService destination host means, when it is a Service of this namespace. */
function hostService(host: string, namespace: string | undefined): string | undefined {
  const parts = host.split(".");
  if (parts.length === 1) return parts[0];
  if (parts[1] === namespace && (parts.length === 2 || parts[2] === "svc")) return parts[0];
  return undefined;
}

/** Ingress and Istio VirtualService backends name a Service of the target and a port it exposes. */
export const backendsRule: Rule = {
  name: "backends",
  description: "Ingress and VirtualService backends are rendered Services and ports",
  check(ctx, report) {
    for (const o of ctx.objects) {
      if (o.object.kind === "Ingress" && o.object.apiVersion.startsWith("networking.k8s.io/")) {
        const spec = looseSpec<IIngressSpec>(o.object);
        const backend = spec?.defaultBackend?.service;
        if (backend)
          checkBackend(
            o,
            ctx.objects,
            report,
            { name: "/spec/defaultBackend/service/name", port: "/spec/defaultBackend/service/port" },
            backend.name,
            backend.port,
          );
        (spec?.rules ?? []).forEach((r, i) =>
          (r?.http?.paths ?? []).forEach((p, j) => {
            const s = p?.backend?.service;
            const at = `/spec/rules/${i}/http/paths/${j}/backend/service`;
            if (s) checkBackend(o, ctx.objects, report, { name: `${at}/name`, port: `${at}/port` }, s.name, s.port);
          }),
        );
      }
      if (o.object.kind === "VirtualService" && o.object.apiVersion.startsWith("networking.istio.io/")) {
        for (const protocol of ["http", "tcp", "tls"] as const) {
          (looseSpec<VirtualServiceShape>(o.object)?.[protocol] ?? []).forEach((route, i) =>
            (route?.route ?? []).forEach((r, j) => {
              const host = r?.destination?.host;
              if (typeof host !== "string") return;
              const name = hostService(host, o.object.metadata.namespace);
              const at = `/spec/${protocol}/${i}/route/${j}/destination`;
              if (name)
                checkBackend(
                  o,
                  ctx.objects,
                  report,
                  { name: `${at}/host`, port: `${at}/port` },
                  name,
                  r.destination?.port ? { number: r.destination.port.number } : undefined,
                );
            }),
          );
        }
      }
    }
  },
};
