import type { Rule } from "../context.ts";
import { serviceSpec } from "../../kube/specs.ts";
import { DNS_LABEL, DNS_SUBDOMAIN } from "../../check/shape.ts";
import { containersOf } from "../../kube/pods.ts";

/**
 * A port name (IANA service name): at most 15 lower-case alphanumerics and '-', with a letter, no '--', no dash at
 * either end.
 */
const PORT_NAME = /^(?=.{1,15}$)(?=.*[a-z])(?!.*--)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const LABEL_NAMED = new Set(["Service", "Namespace"]);
const CLUSTER_SCOPED = new Set([
  "Namespace",
  "StorageClass",
  "ClusterRole",
  "ClusterRoleBinding",
  "CustomResourceDefinition",
  "PersistentVolume",
  "PriorityClass",
  "IngressClass",
]);

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
      for (const { container, pointer } of containersOf(o.object)) {
        if (typeof container.name !== "string" || !DNS_LABEL.test(container.name))
          report(o, {
            pointer: `${pointer}/name`,
            message: `container name ${JSON.stringify(container.name)} is not a DNS-1123 label`,
            fix: "use lower-case letters, digits and '-'",
          });
        (Array.isArray(container.ports) ? container.ports : []).forEach((p, i) => {
          if (p?.name !== undefined && !PORT_NAME.test(String(p.name)))
            report(o, {
              pointer: `${pointer}/ports/${i}/name`,
              message: `port name ${JSON.stringify(p.name)} is not a valid port name (at most 15 lower-case letters, digits and '-')`,
              fix: "shorten or correct the port name",
            });
        });
      }
      const servicePorts = serviceSpec(o.object)?.ports;
      if (o.object.kind === "Service" && Array.isArray(servicePorts)) {
        servicePorts.forEach((p, i) => {
          if (p?.name !== undefined && (typeof p.name !== "string" || !DNS_LABEL.test(p.name)))
            report(o, {
              pointer: `/spec/ports/${i}/name`,
              message: `port name ${JSON.stringify(p.name)} is not a DNS-1123 label`,
              fix: "use lower-case letters, digits and '-'",
            });
        });
      }
      if (!CLUSTER_SCOPED.has(o.object.kind) && !namespace)
        report(o, {
          pointer: "/metadata/namespace",
          message: "a namespaced object has no namespace",
          fix: "set metadata.namespace",
        });
    }
  },
};
