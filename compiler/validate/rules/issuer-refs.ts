import type { Rule } from "../context.ts";
import { obj, str } from "../../kube/loose.ts";

const CLUSTER_ISSUER_ANNOTATION = "cert-manager.io/cluster-issuer";
const ISSUER_ANNOTATION = "cert-manager.io/issuer";

/**
 * Issuer references: every cert-manager Certificate, and every Ingress that asks cert-manager for its certificate,
 * names an issuer that exists: a ClusterIssuer the target or its cluster layer renders (where the cluster layer
 * installs cert-manager), or an Issuer the target renders in the same namespace. A Certificate whose issuer is
 * missing is never Ready, and Argo CD holds its wave.
 */
export const issuerRefsRule: Rule = {
  name: "issuer-refs",
  description: "Certificates and cert-manager Ingress annotations name an issuer that is rendered",
  check(ctx, report) {
    const managed = ctx.target.managedCapabilities ?? [];
    // Only a cert-manager the cluster layer installs says which ClusterIssuers exist; one the cluster runs outside
    // Manifold (the contract's `provided`) has issuers Manifold cannot see, so those references are not judged.
    const knowsClusterIssuers = managed.some((m) => m.provided.includes("cert-manager"));
    const clusterIssuers = new Set(managed.flatMap((m) => m.clusterIssuers ?? []));
    const issuers = new Set<string>();
    for (const { object: o } of ctx.objects) {
      if (!o.apiVersion.startsWith("cert-manager.io/")) continue;
      if (o.kind === "ClusterIssuer") clusterIssuers.add(o.metadata.name);
      if (o.kind === "Issuer") issuers.add(`${o.metadata.namespace ?? ctx.target.namespace}/${o.metadata.name}`);
    }
    const known = (kind: string, name: string, namespace: string): boolean =>
      kind === "ClusterIssuer" ? !knowsClusterIssuers || clusterIssuers.has(name) : issuers.has(`${namespace}/${name}`);
    const fix = "render the issuer (the cluster layer's clusterIssuers or caIssuers), or name one that exists";
    for (const o of ctx.objects) {
      const ns = o.object.metadata.namespace ?? ctx.target.namespace;
      if (o.object.kind === "Certificate" && o.object.apiVersion.startsWith("cert-manager.io/")) {
        const ref = obj(obj(o.object.spec).issuerRef);
        const name = str(ref.name);
        const kind = str(ref.kind) ?? "Issuer";
        if (name && !known(kind, name, ns))
          report(o, {
            pointer: "/spec/issuerRef/name",
            message: `names ${kind} ${name}, which nothing renders on its cluster or in its target: the Certificate is never issued and its wave never becomes Healthy`,
            fix,
          });
      }
      const annotations = o.object.metadata.annotations ?? {};
      for (const [key, kind] of [
        [CLUSTER_ISSUER_ANNOTATION, "ClusterIssuer"],
        [ISSUER_ANNOTATION, "Issuer"],
      ] as const) {
        const name = annotations[key];
        if (o.object.kind === "Ingress" && name && !known(kind, name, ns))
          report(o, {
            pointer: `/metadata/annotations/${key.replace("/", "~1")}`,
            message: `asks cert-manager for a certificate from ${kind} ${name}, which nothing renders on its cluster or in its target`,
            fix,
          });
      }
    }
  },
};
