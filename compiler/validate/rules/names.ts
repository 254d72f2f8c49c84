import type { Rule } from "../context.ts";
import { DNS_LABEL, DNS_SUBDOMAIN } from "../../check/shape.ts";

const LABEL_NAMED = new Set(["Service", "Namespace"]);
const CLUSTER_SCOPED = new Set(["Namespace", "StorageClass", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "PersistentVolume", "PriorityClass", "IngressClass"]);

/** Names are DNS-1123 (labels for Services and Namespaces) and namespaced objects carry a namespace. */
export const namesRule: Rule = {
  name: "names",
  description: "object names are DNS-1123 and namespaced objects have a namespace",
  check(ctx, report) {
    for (const o of ctx.objects) {
      const { name, namespace } = o.object.metadata;
      const label = LABEL_NAMED.has(o.object.kind);
      const ok = typeof name === "string" && (label ? DNS_LABEL.test(name) : DNS_SUBDOMAIN.test(name));
      if (!ok) {
        report(o, {
          pointer: "/metadata/name",
          message: `"${name}" is not a DNS-1123 ${label ? "label (lower-case alphanumerics and '-', at most 63 characters)" : "subdomain"}`,
          fix: "use lower-case letters, digits and '-' (shorten the component key or prefix)",
        });
      }
      if (!CLUSTER_SCOPED.has(o.object.kind) && !namespace) report(o, { pointer: "/metadata/namespace", message: "a namespaced object has no namespace", fix: "set metadata.namespace" });
    }
  },
};
