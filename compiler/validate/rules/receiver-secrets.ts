import type { KubeObject } from "../../model/object.ts";
import type { Rule } from "../context.ts";
import { obj, objects, str } from "../../kube/loose.ts";
import { isAlertmanagerConfig, receiversOf } from "../alertmanager-config.ts";

/** Every `{ name, key }` Secret key selector under `node`, with its pointer. */
function keySelectors(node: unknown, pointer: string): { name: string; key: string; pointer: string }[] {
  if (Array.isArray(node)) return node.flatMap((n, i) => keySelectors(n, `${pointer}/${i}`));
  if (typeof node !== "object" || node === null) return [];
  const o = node as Record<string, unknown>;
  if (Object.keys(o).length === 2 && typeof o.name === "string" && typeof o.key === "string")
    return [{ name: o.name, key: o.key, pointer }];
  return Object.entries(o).flatMap(([k, v]) => keySelectors(v, `${pointer}/${k}`));
}

/** The keys of every Secret the target makes: ExternalSecrets' targets and plain Secrets, by Secret name. */
function madeKeys(objs: KubeObject[]): Map<string, Set<string>> {
  const made = new Map<string, Set<string>>();
  const add = (name: string, keys: string[]) => made.set(name, new Set([...(made.get(name) ?? []), ...keys]));
  for (const o of objs) {
    const spec = obj(o.spec);
    if (o.kind === "ExternalSecret")
      add(
        str(obj(spec.target).name) ?? o.metadata.name,
        objects(spec.data).map(([d]) => str(d.secretKey) ?? ""),
      );
    if (o.kind === "Secret" && o.apiVersion === "v1")
      add(o.metadata.name, [...Object.keys(obj(o.data)), ...Object.keys(obj(o.stringData))]);
  }
  return made;
}

/**
 * Every receiver's secret exists: each Secret key an AlertmanagerConfig receiver reads (a webhook URL, a routing
 * key, an SMTP password) is made in the namespace, by an ExternalSecret or a Secret of the target, with that key.
 */
export const receiverSecretsRule: Rule = {
  name: "receiver-secrets",
  description: "Secret keys read by AlertmanagerConfig receivers are made by an ExternalSecret or Secret",
  check(ctx, report) {
    const made = madeKeys(ctx.objects.map((o) => o.object));
    for (const c of ctx.objects.filter((o) => isAlertmanagerConfig(o.object)))
      for (const [name, r] of receiversOf(c.object))
        for (const s of keySelectors(r.body, r.pointer))
          if (!made.get(s.name)?.has(s.key))
            report(c, {
              pointer: s.pointer,
              message: `receiver ${name} reads key ${s.key} of Secret ${s.name}, which nothing in the target makes`,
              fix: "reference the secret with secretRef() in alerting.receivers, so an ExternalSecret makes it",
            });
  },
};
