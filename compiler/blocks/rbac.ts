/** Least-privilege API access: a Role with the component's `access` rules, bound to its ServiceAccount. */
import { Role } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import { RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import type { Component } from "../describe/types.ts";
import type { ResolvedTarget } from "../model/target.ts";
import { objectName, standardLabels } from "./naming.ts";
import { make, plain } from "./objects.ts";
import { type RenderedObject } from "../model/object.ts";

/** The Role and RoleBinding of a component, or nothing when it needs no API access. */
export function buildAccess(target: ResolvedTarget, key: string, c: Component): RenderedObject[] {
  if (!c.access?.length) return [];
  const name = objectName(target, key);
  const labels = standardLabels(target, name, "rbac", c);
  const meta = { name, namespace: target.namespace, labels };
  const role = make(Role, {
    metadata: meta,
    rules: c.access.map((r) => ({
      apiGroups: r.apiGroups,
      resources: r.resources,
      verbs: r.verbs,
      resourceNames: r.resourceNames,
    })),
  });
  const binding = make(RoleBinding, {
    metadata: meta,
    subjects: [{ kind: "ServiceAccount", name, namespace: target.namespace }],
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name },
  });
  return [
    { object: plain(role), component: key, band: "foundation" },
    { object: plain(binding), component: key, band: "foundation" },
  ];
}
