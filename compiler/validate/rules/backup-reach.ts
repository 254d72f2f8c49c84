import type { Rule } from "../context.ts";
import { list, obj, objects as loose, str } from "../../kube/loose.ts";
import { podTemplateOf } from "../../kube/pods.ts";
import { selectorMatches, type LabelSelector } from "../../kube/selectors.ts";
import type { KubeObject, RenderedObject } from "../../model/object.ts";

/** The pod labels of what moves backups: backup and restore CronJobs, CloudNativePG Clusters with a backup. */
function backupPods(objects: RenderedObject[]): { owner: RenderedObject; labels: Record<string, string> }[] {
  const out: { owner: RenderedObject; labels: Record<string, string> }[] = [];
  for (const o of objects) {
    const { kind, apiVersion, metadata } = o.object;
    const role = metadata.labels?.["app.kubernetes.io/component"];
    if (kind === "CronJob" && (role === "backup" || role === "restore")) {
      out.push({ owner: o, labels: podTemplateOf(o.object)?.template.metadata?.labels ?? {} });
    } else if (kind === "Cluster" && apiVersion.startsWith("postgresql.cnpg.io/") && obj(o.object.spec).backup) {
      const inherited = obj(obj(obj(o.object.spec).inheritedMetadata).labels) as Record<string, string>;
      out.push({ owner: o, labels: { ...inherited, "cnpg.io/cluster": metadata.name } });
    }
  }
  return out;
}

/** True when an egress rule lets traffic out to outside addresses on TCP 443. */
function allowsHttpsOut(rule: Record<string, unknown>): boolean {
  const ports = loose(rule.ports);
  const portOk =
    ports.length === 0 ||
    ports.some(([p]) => (p.port === 443 || p.port === undefined) && (p.protocol ?? "TCP") === "TCP");
  const to = loose(rule.to);
  const toOk = to.length === 0 || to.some(([peer]) => peer.ipBlock !== undefined);
  return portOk && toOk;
}

/** True when a NetworkPolicy restricts the egress of pods with these labels. */
function restrictsEgress(policy: KubeObject, labels: Record<string, string>): boolean {
  const spec = obj(policy.spec);
  const types = list(spec.policyTypes).map(String);
  const egress = types.includes("Egress") || (types.length === 0 && spec.egress !== undefined);
  return egress && selectorMatches(spec.podSelector as LabelSelector, labels);
}

/**
 * Every backup has somewhere to go that it can reach: the region names an object store, and when NetworkPolicies
 * restrict the egress of the pods that ship backups out, one of them allows HTTPS (TCP 443) to outside addresses.
 */
export const backupReachRule: Rule = {
  name: "backup-reach",
  description: "backups have an object store to go to, and NetworkPolicies let them reach it",
  check(ctx, report) {
    const policies = ctx.objects
      .map((o) => o.object)
      .filter((o) => o.kind === "NetworkPolicy" && o.apiVersion.startsWith("networking.k8s.io/"));
    for (const { owner, labels } of backupPods(ctx.objects)) {
      const selecting = policies.filter((p) => restrictsEgress(p, labels));
      if (selecting.length === 0) continue;
      if (selecting.some((p) => loose(obj(p.spec).egress).some(([rule]) => allowsHttpsOut(rule)))) continue;
      const store = ctx.target.objectStore;
      report(owner, {
        pointer: "",
        message: `backups cannot reach the object store${store ? ` ${store.bucket}` : ""}: NetworkPolicies ${selecting
          .map((p) => str(p.metadata.name))
          .join(", ")} restrict its pods' egress and none allows TCP 443 out`,
        fix: "allow egress on TCP 443 to the object store's addresses in a NetworkPolicy that selects these pods",
      });
    }
  },
};
