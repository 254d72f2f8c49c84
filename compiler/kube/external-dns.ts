/**
 * The names external-dns publishes from a set of objects, as its sources read them (external-dns 0.18): an Ingress's
 * rule and TLS hosts plus its `hostname` annotation, or only one of them under `ingress-hostname-source`
 * (`defined-hosts-only`, `annotation-only`); an Istio Gateway's server hosts (`namespace/` dropped, `*` skipped) plus
 * its `hostname` annotation; a Service's `hostname` annotation; a DNSEndpoint's `dnsName`s. Only objects of the
 * sources it reads, and that its annotation filter matches.
 */
import type { RenderedObject } from "../model/object.ts";
import { matchesAnnotationFilter } from "./annotation-filter.ts";
import { list, obj, str } from "./loose.ts";

const HOSTNAME = "external-dns.alpha.kubernetes.io/hostname";
const HOSTNAME_SOURCE = "external-dns.alpha.kubernetes.io/ingress-hostname-source";

function annotated(annotations: Record<string, string>): string[] {
  const value = annotations[HOSTNAME];
  return value === undefined ? [] : value.replaceAll(" ", "").split(",").filter(Boolean);
}

function ingressNames(o: RenderedObject, annotations: Record<string, string>): string[] {
  const spec = obj(o.object.spec);
  const defined = [
    ...list(spec.rules).map((r) => str(obj(r).host)),
    ...list(spec.tls).flatMap((t) => list(obj(t).hosts).map(str)),
  ].filter((h): h is string => !!h);
  const source = annotations[HOSTNAME_SOURCE]?.toLowerCase();
  if (source === "defined-hosts-only") return defined;
  if (source === "annotation-only") return annotated(annotations);
  if (source !== undefined) return [];
  return [...defined, ...annotated(annotations)];
}

function gatewayNames(o: RenderedObject, annotations: Record<string, string>): string[] {
  const hosts = list(obj(o.object.spec).servers).flatMap((s) => list(obj(s).hosts).map(str));
  const names = hosts
    .filter((h): h is string => !!h)
    .map((h) => (h.split("/").length === 2 ? h.split("/")[1] : h))
    .filter((h) => h !== "*");
  return [...names, ...annotated(annotations)];
}

/** The source that reads an object and the names it publishes from it, or undefined for a kind no source reads. */
function namesOf(o: RenderedObject): { source: string; names: string[] } | undefined {
  const annotations = o.object.metadata.annotations ?? {};
  const group = o.object.apiVersion.includes("/") ? o.object.apiVersion.split("/")[0] : "";
  const kind = `${group}/${o.object.kind}`;
  if (kind === "networking.k8s.io/Ingress") return { source: "ingress", names: ingressNames(o, annotations) };
  if (kind === "networking.istio.io/Gateway") return { source: "istio-gateway", names: gatewayNames(o, annotations) };
  if (kind === "/Service") return { source: "service", names: annotated(annotations) };
  if (kind === "externaldns.k8s.io/DNSEndpoint")
    return {
      source: "crd",
      names: list(obj(o.object.spec).endpoints)
        .map((e) => str(obj(e).dnsName))
        .filter((n): n is string => !!n),
    };
  return undefined;
}

/** Every name external-dns (reading `sources`, filtering with `filter`) publishes from `objects`, with its objects. */
export function externalDnsNames(
  objects: readonly RenderedObject[],
  sources: ReadonlySet<string>,
  filter: string | undefined,
): Map<string, RenderedObject[]> {
  const out = new Map<string, RenderedObject[]>();
  for (const o of objects) {
    const read = namesOf(o);
    if (!read || !sources.has(read.source)) continue;
    if (!matchesAnnotationFilter(filter, o.object.metadata.annotations ?? {})) continue;
    for (const name of new Set(read.names.map((n) => n.replace(/\.$/, "").toLowerCase())))
      out.set(name, [...(out.get(name) ?? []), o]);
  }
  return out;
}
