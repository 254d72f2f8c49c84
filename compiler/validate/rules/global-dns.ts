import type { RenderedObject } from "../../model/object.ts";
import { externalDnsNames } from "../../kube/external-dns.ts";
import { list, obj, str } from "../../kube/loose.ts";
import { ROUTE53_API_VERSION } from "../../kube/route53.ts";
import type { Rule } from "../context.ts";

/** The hosts an Ingress or Istio Gateway serves (rule hosts, server hosts). */
function servedHosts(o: RenderedObject): string[] {
  const spec = obj(o.object.spec);
  if (o.object.kind === "Ingress" && o.object.apiVersion.startsWith("networking.k8s.io/"))
    return list(spec.rules).flatMap((r) => str(obj(r).host) ?? []);
  if (o.object.kind === "Gateway" && o.object.apiVersion.startsWith("networking.istio.io/"))
    return list(spec.servers).flatMap((s) => list(obj(s).hosts).flatMap((h) => str(h)?.split("/").pop() ?? []));
  return [];
}

const isRoute53 = (o: RenderedObject, kind: string) =>
  o.object.apiVersion === ROUTE53_API_VERSION && o.object.kind === kind;

/**
 * Global DNS: in a target whose environment has a global domain, every global name its Ingresses and Istio Gateways
 * serve has exactly one health-checked latency record for this region (an ACK RecordSet: a CNAME whose set
 * identifier and latency region are the target's region, in the environment's zone), pointing at the region's name
 * of the same host, which external-dns publishes, and tied to a HealthCheck in the same folder that checks that
 * region name. external-dns publishes no global name (its A/ALIAS record cannot coexist with the CNAME, and a record
 * without a health check keeps a failing region in the name). Every RecordSet is of a name the target serves.
 */
export const globalDnsRule: Rule = {
  name: "global-dns",
  description: "global names have one health-checked latency record per region, and external-dns publishes none",
  check(ctx, report) {
    const { globalDomain, globalZoneId, region, cluster } = ctx.target;
    if (!globalDomain) return;
    const managed = (ctx.target.managedCapabilities ?? []).filter((m) => m.provided.includes("external-dns"));
    const sources = new Set(managed.flatMap((m) => m.dnsSources ?? []));
    const filter = managed.find((m) => m.dnsAnnotationFilter)?.dnsAnnotationFilter;
    // An external-dns the cluster runs outside Manifold: what it publishes is not known, so nothing is judged by it.
    const published = managed.length
      ? externalDnsNames(ctx.objects, sources, filter)
      : new Map<string, RenderedObject[]>();
    const isGlobal = (h: string) => h.endsWith(`.${globalDomain}`) && !h.endsWith(`.${cluster.ingressDomain}`);
    const regionOf = (h: string) => `${h.slice(0, -globalDomain.length - 1)}.${cluster.ingressDomain}`;
    const records = ctx.objects.filter((o) => isRoute53(o, "RecordSet"));
    const checks = new Map(
      ctx.objects.filter((o) => isRoute53(o, "HealthCheck")).map((o) => [o.object.metadata.name, o]),
    );
    const recordName = (o: RenderedObject) => {
      const name = (str(obj(o.object.spec).name) ?? "").toLowerCase();
      return name.endsWith(".") ? name.slice(0, -1) : name ? `${name}.${globalDomain}` : globalDomain;
    };
    const served = new Map<string, RenderedObject>();
    for (const o of ctx.objects)
      for (const h of servedHosts(o))
        if (isGlobal(h.toLowerCase()) && !served.has(h.toLowerCase())) served.set(h.toLowerCase(), o);

    for (const [host, o] of [...published]
      .filter(([h]) => isGlobal(h))
      .flatMap(([h, os]) => os.map((x) => [h, x] as const)))
      report(o, {
        pointer: "/metadata/annotations",
        message: `external-dns publishes the global name ${host}: its record cannot coexist with the health-checked latency CNAME, and it keeps a failing region in the name`,
        fix: "publish only the region names (Ingress: ingress-hostname-source annotation-only; Gateway: the global host on a Gateway external-dns filters out)",
      });

    for (const [host, o] of served) {
      const mine = records.filter((r) => recordName(r) === host);
      if (mine.length !== 1) {
        report(o, {
          pointer: "/spec",
          message: `serves the global name ${host}, which has ${mine.length ? `${mine.length} RecordSets` : "no RecordSet"} in this region: ${mine.length ? "Route 53 takes one record per set identifier" : "the region never joins the global name"}`,
          fix: "render exactly one health-checked latency RecordSet per global name and region",
        });
        continue;
      }
      const record = mine[0];
      const spec = obj(record.object.spec);
      const problems: [string, string][] = [];
      if (spec.setIdentifier !== region || spec.region !== region)
        problems.push([
          "/spec/setIdentifier",
          `has setIdentifier ${str(spec.setIdentifier) ?? "(none)"} and latency region ${str(spec.region) ?? "(none)"}; both must be ${region}`,
        ]);
      if (spec.recordType !== "CNAME")
        problems.push([
          "/spec/recordType",
          `is a ${str(spec.recordType) ?? "(none)"} record, not a CNAME to the region's name`,
        ]);
      if (globalZoneId && spec.hostedZoneID !== globalZoneId)
        problems.push([
          "/spec/hostedZoneID",
          `is in zone ${str(spec.hostedZoneID) ?? "(none)"}, not the environment's ${globalZoneId}`,
        ]);
      const values = list(spec.resourceRecords).map((v) => (str(obj(v).value) ?? "").replace(/\.$/, "").toLowerCase());
      const expected = regionOf(host);
      if (values.length !== 1 || values[0] !== expected)
        problems.push([
          "/spec/resourceRecords",
          `points at ${values.join(", ") || "nothing"}, not the region's name ${expected}`,
        ]);
      else if (managed.length && !published.has(expected))
        problems.push([
          "/spec/resourceRecords/0/value",
          `points at ${expected}, which external-dns does not publish: the CNAME leads nowhere`,
        ]);
      const ref = obj(obj(spec.healthCheckRef).from);
      const check = checks.get(str(ref.name) ?? "");
      if (!check || (ref.namespace !== undefined && ref.namespace !== check.object.metadata.namespace))
        problems.push([
          "/spec/healthCheckRef",
          `names no HealthCheck in this folder (${str(ref.name) ?? "none"}): a failing region stays in the global name`,
        ]);
      else {
        const fqdn = str(obj(obj(check.object.spec).healthCheckConfig).fullyQualifiedDomainName);
        if (fqdn?.toLowerCase() !== expected)
          problems.push([
            "/spec/healthCheckRef/from/name",
            `names HealthCheck ${check.object.metadata.name}, which checks ${fqdn ?? "no domain name"}, not ${expected}`,
          ]);
      }
      for (const [pointer, message] of problems)
        report(record, {
          pointer,
          message: `global name ${host}: ${message}`,
          fix: "render the RecordSet with the global-DNS building block",
        });
    }

    for (const r of records)
      if (!served.has(recordName(r)))
        report(r, {
          pointer: "/spec/name",
          message: `is a record of ${recordName(r)}, which no Ingress or Gateway of this target serves: its clients get the ingress's 404`,
          fix: "serve the host, or remove the record",
        });
  },
};
