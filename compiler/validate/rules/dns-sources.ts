import { matchesAnnotationFilter } from "../../kube/annotation-filter.ts";
import type { Rule } from "../context.ts";

const EXTERNAL_DNS_PREFIX = "external-dns.alpha.kubernetes.io/";

/** The external-dns source that reads each kind's records, by `apiVersion group/kind`. */
const SOURCE_OF: Record<string, string> = {
  "networking.k8s.io/Ingress": "ingress",
  "/Service": "service",
  "externaldns.k8s.io/DNSEndpoint": "crd",
  "networking.istio.io/Gateway": "istio-gateway",
  "networking.istio.io/VirtualService": "istio-virtualservice",
  "gateway.networking.k8s.io/HTTPRoute": "gateway-httproute",
};

/**
 * DNS sources: every object that asks external-dns for records (an `external-dns.alpha.kubernetes.io/` annotation, or a
 * DNSEndpoint) is of a kind that the cluster layer's external-dns reads (its `dnsSources`). external-dns ignores the
 * annotations of every other kind without a word: the hostname never resolves, while its certificate (DNS-01) is
 * issued all the same. Nor does it read an object its annotation filter leaves out (`capabilities.dnsAnnotationFilter`;
 * the global names' Gateways are marked to be left out): such an object asking for names by annotation is a finding
 * too. An external-dns the cluster runs outside Manifold has sources Manifold cannot see: not judged.
 */
export const dnsSourcesRule: Rule = {
  name: "dns-sources",
  description: "objects that ask external-dns for records are of a kind the cluster's external-dns reads",
  check(ctx, report) {
    const managed = (ctx.target.managedCapabilities ?? []).filter((m) => m.provided.includes("external-dns"));
    if (!managed.length && ctx.target.cluster.capabilities.provided.includes("external-dns")) return;
    const sources = new Set(managed.flatMap((m) => m.dnsSources ?? []));
    const filter = managed.find((m) => m.dnsAnnotationFilter)?.dnsAnnotationFilter;
    for (const o of ctx.objects) {
      const annotations = Object.keys(o.object.metadata.annotations ?? {});
      const key = annotations.find((a) => a.startsWith(EXTERNAL_DNS_PREFIX));
      const group = o.object.apiVersion.includes("/") ? o.object.apiVersion.split("/")[0] : "";
      const kind = `${group}/${o.object.kind}`;
      if (!key && kind !== "externaldns.k8s.io/DNSEndpoint") continue;
      const source = SOURCE_OF[kind];
      if (
        source &&
        sources.has(source) &&
        key &&
        !matchesAnnotationFilter(filter, o.object.metadata.annotations ?? {})
      ) {
        report(o, {
          pointer: `/metadata/annotations/${key.replace("/", "~1")}`,
          message: `asks external-dns for DNS records, but the cluster's external-dns leaves it out (annotation filter "${filter}"): the names never resolve`,
          fix: "drop the annotation the filter excludes, or publish the names through another object",
        });
        continue;
      }
      if (source && sources.has(source)) continue;
      const read = [...sources].sort().join(", ") || "none: no external-dns runs on this cluster";
      report(o, {
        pointer: key ? `/metadata/annotations/${key.replace("/", "~1")}` : "/spec",
        message: `asks external-dns for DNS records, but the cluster's external-dns does not read kind ${o.object.kind}${source ? ` (source ${source})` : ""}; it reads ${read}: the names never resolve`,
        fix: source
          ? `add "${source}" to the external-dns add-on's sources (values and capabilities.dnsSources)`
          : "publish the name through a kind external-dns reads (Ingress, Service, DNSEndpoint, Istio Gateway)",
      });
    }
  },
};
