import type { RenderedObject } from "../../model/object.ts";
import type { Rule, Reporter } from "../context.ts";
import { judgePath, trafficPaths, type PathVerdict } from "../../graph/traffic.ts";
import { containersOf, podSpecOf } from "../../kube/pods.ts";
import { list, obj, objects } from "../../kube/loose.ts";
import { podTemplates, selectorMatches } from "../../kube/selectors.ts";

/** How a path is named in a finding: both ends, the port, and what implies it. */
export function describePath(v: PathVerdict): string {
  const p = v.path;
  return `${p.client.endpoint.name} -> ${p.server.endpoint.name} on port ${p.port.port}/${p.port.protocol} (${p.via.join(", ")})`;
}

/** Where a workload's pods are described: its pod spec, or the spec of the resource an operator runs pods for. */
function podSpecPointer(o: RenderedObject): string {
  return podSpecOf(o.object)?.pointer ?? "/spec";
}

function reportDenied(ctx: Parameters<Rule["check"]>[0], v: PathVerdict, report: Reporter): void {
  const denied = v.checks.filter((c) => !c.allowed);
  const egress = denied.every((c) => c.check === "egress");
  const at =
    (egress ? v.path.client.workload : v.path.server.workload) ?? v.path.client.workload ?? v.path.server.workload;
  if (!at) return reportUnanchored(ctx, v, report);
  const why = denied.map((c) => `${c.check} denied by ${c.by}`).join("; ");
  report(at, {
    pointer: podSpecPointer(at),
    message: `${describePath(v)} is not allowed: ${why}`,
    fix:
      denied.some((c) => c.check === "exposure") && v.path.server.endpoint.kind === "network"
        ? "reach the primary region only on the ports its ExternalName Service declares, over TLS, or read from this region's replicas"
        : denied.some((c) => c.check === "exposure")
          ? "expose the store to the other regions (crossRegion engines get a LoadBalancer in the primary region) and declare each region's networks"
          : "allow the path in the policy that denies it (the blocks derive policies from dependsOn), or remove the edge",
  });
}

/** A denied path with no workload of the target at either end (an ACME solver): reported on the Namespace. */
function reportUnanchored(ctx: Parameters<Rule["check"]>[0], v: PathVerdict, report: Reporter): void {
  const ns = ctx.objects.find((o) => o.object.kind === "Namespace");
  if (!ns) return;
  const why = v.checks
    .filter((c) => !c.allowed)
    .map((c) => `${c.check} denied by ${c.by}`)
    .join("; ");
  report(ns, {
    pointer: "/metadata/labels",
    message: `${describePath(v)} is not allowed: ${why}`,
    fix: "admit the ingress controller to the solver pods (acme.cert-manager.io/http01-solver) on 8089, or solve DNS-01",
  });
}

/**
 * URLs that pods receive with a whole ConfigMap (envFrom) but may not reach: one warning per URL and server, naming
 * the pods. They may never use the URL, so it is least privilege (the value should go only to its users), not an error.
 */
function reportWholesale(denied: PathVerdict[], report: Reporter): void {
  const groups = new Map<string, PathVerdict[]>();
  for (const v of denied) {
    const key = `${v.path.via.join(", ")}|${v.path.server.endpoint.name}|${v.path.port.port}`;
    groups.set(key, [...(groups.get(key) ?? []), v]);
  }
  for (const vs of groups.values()) {
    const first = vs[0].path;
    const at = first.server.workload ?? first.client.workload;
    if (!at) continue;
    const clients = [...new Set(vs.map((v) => v.path.client.endpoint.name))].sort();
    report(at, {
      severity: "warning",
      pointer: podSpecPointer(at),
      message: `${clients.join(", ")} receive ${first.via.join(", ")} (with the whole ConfigMap) but may not reach ${first.server.endpoint.name} on port ${first.port.port}/${first.port.protocol}`,
      fix: "give the URL only to the components that depend on it (env with configRef), or declare their dependsOn",
    });
  }
}

/** Allow rules that only name this target's component pods, as `policy/field/index` with the object and pointer. */
function podToPodRules(ctx: Parameters<Rule["check"]>[0]): { id: string; o: RenderedObject; pointer: string }[] {
  const known = new Set([...Object.keys(ctx.target.components), ...Object.keys(ctx.target.hooks)]);
  const templates = podTemplates(ctx.objects);
  const accounts = new Set(
    templates
      .filter((t) => t.owner.component !== undefined && known.has(t.owner.component))
      .map((t) => `/ns/${ctx.target.namespace}/sa/${t.spec.serviceAccountName ?? "default"}`),
  );
  // A selector's verdict, by its JSON: the same peer selectors recur in many rules of many policies.
  const verdicts = new Map<string, boolean>();
  const componentOnly = (selector: unknown): boolean => {
    const key = JSON.stringify(selector);
    let verdict = verdicts.get(key);
    if (verdict === undefined) {
      const selected = templates.filter((t) => selectorMatches(obj(selector), t.labels));
      verdict =
        selected.length > 0 && selected.every((t) => t.owner.component !== undefined && known.has(t.owner.component));
      verdicts.set(key, verdict);
    }
    return verdict;
  };
  const out: { id: string; o: RenderedObject; pointer: string }[] = [];
  for (const o of ctx.objects) {
    const spec = obj(o.object.spec);
    const name = o.object.metadata.name;
    if (o.object.kind === "NetworkPolicy")
      for (const [field, peers] of [
        ["ingress", "from"],
        ["egress", "to"],
      ] as const)
        for (const [rule, i] of objects(spec[field])) {
          const ps = objects(rule[peers]).map(([p]) => p);
          if (
            !ps.length ||
            !ps.every(
              (p) =>
                p.podSelector !== undefined &&
                p.namespaceSelector === undefined &&
                p.ipBlock === undefined &&
                componentOnly(p.podSelector),
            )
          )
            continue;
          out.push({ id: `${name}/${field}/${i}`, o, pointer: `/spec/${field}/${i}` });
        }
    if (o.object.kind === "AuthorizationPolicy" && (spec.action ?? "ALLOW") === "ALLOW")
      for (const [rule, i] of objects(spec.rules)) {
        const sources = objects(rule.from).map(([f]) => obj(f.source));
        const principals = sources.flatMap((s) => list(s.principals));
        if (!sources.length || sources.some((s) => Object.keys(s).some((k) => k !== "principals"))) continue;
        if (
          !principals.length ||
          !principals.every((p) => typeof p === "string" && [...accounts].some((a) => p.endsWith(a)))
        )
          continue;
        out.push({ id: `${name}/rules/${i}`, o, pointer: `/spec/rules/${i}` });
      }
  }
  return out;
}

/** Whether a workload's pods read key `key` of Secret `name` (an env reference to it, or the whole Secret). */
function readsSecret(o: RenderedObject, name: string, key: string): boolean {
  return containersOf(o.object).some(
    ({ container }) =>
      (container.env ?? []).some(
        (e) => e?.valueFrom?.secretKeyRef?.name === name && e.valueFrom.secretKeyRef.key === key,
      ) || (container.envFrom ?? []).some((e) => e?.secretRef?.name === name),
  );
}

/**
 * Reachability: every connection the description implies (dependsOn, in-cluster URLs, replication, cross-region
 * writes and replication, store members) is allowed on its port by the client's egress and the server's ingress
 * NetworkPolicies, the server's PeerAuthentication and AuthorizationPolicies, and, from another region, an exposure.
 * Least privilege, as warnings: an allow rule between this target's pods that no connection uses, a store credential
 * read by a workload that never connects to the store, and a replica Service nothing reads from.
 */
export const reachabilityRule: Rule = {
  name: "reachability",
  description: "every implied connection is allowed on its port; allow rules, credentials and replicas are used",
  check(ctx, report) {
    const verdicts = trafficPaths(ctx.target, ctx.objects).map((p) => judgePath(ctx.objects, p));
    for (const v of verdicts) if (!v.allowed && !v.path.wholesale) reportDenied(ctx, v, report);
    reportWholesale(
      verdicts.filter((v) => !v.allowed && v.path.wholesale),
      report,
    );
    const used = new Set(verdicts.flatMap((v) => v.checks.map((c) => c.rule)).filter((r) => r !== undefined));
    for (const r of podToPodRules(ctx))
      if (!used.has(r.id))
        report(r.o, {
          severity: "warning",
          pointer: r.pointer,
          message: "allows traffic between this platform's pods that no dependsOn edge, URL or replication link uses",
          fix: "remove the rule, or add the dependsOn edge it stands for",
        });
    const reached = (client: string | undefined, server: string): boolean =>
      verdicts.some((v) => v.path.client.component === client && v.path.server.component === server);
    for (const [key, c] of Object.entries(ctx.target.components)) {
      if (c.type !== "store") continue;
      const secret = c.password;
      if (secret)
        for (const o of ctx.objects) {
          if (o.component === key || !o.component || !readsSecret(o, secret.name, secret.key)) continue;
          if (reached(o.component, key)) continue;
          report(o, {
            severity: "warning",
            pointer: "/spec/template/spec/containers",
            message: `reads the credential of ${key} (Secret ${secret.name}, key ${secret.key}) but never connects to ${key}`,
            fix: `drop the credential, or declare dependsOn: ["${key}"] if it does connect`,
          });
        }
      const replica = ctx.objects.find(
        (o) =>
          o.component === key &&
          o.object.kind === "Service" &&
          o.object.metadata.name === `${ctx.target.namePrefix}${key}-replica`,
      );
      // In the primary region, in-region replicas are standbys of the primary; elsewhere they exist to serve reads.
      // (Its backup reads from them too, but only a client's reads make them worth running.)
      const read = (v: PathVerdict) =>
        v.path.service === replica && v.path.kinds.some((k) => k === "dependsOn" || k === "url");
      if (replica && ctx.target.role !== "primary" && !verdicts.some(read))
        report(replica, {
          severity: "warning",
          pointer: "/spec/selector",
          message: `no dependsOn edge or URL reads from the replicas of ${key} in this region: every path goes to the primary region`,
          fix: `send this region's reads to ${replica.object.metadata.name}, or run the replicas only where they are read`,
        });
    }
  },
};
