import { IRSA_ROLE_ANNOTATION, secretPrefix, secretRoleArn, secretStoreName } from "../../blocks/secrets.ts";
import { obj, objects, str } from "../../kube/loose.ts";
import type { RenderedObject } from "../../model/object.ts";
import type { Rule } from "../context.ts";

const FIX_KEY = "read only the platform's own keys; a secret two platforms need is stored under each one's prefix";

/** The remote keys an ExternalSecret reads, with their pointers; a `find` (a search) reads any key it matches. */
function remoteKeys(spec: Record<string, unknown>): { pointer: string; key?: string; search?: boolean }[] {
  const out: { pointer: string; key?: string; search?: boolean }[] = [];
  for (const [d, i] of objects(spec.data))
    out.push({ pointer: `/spec/data/${i}/remoteRef/key`, key: str(obj(d.remoteRef).key) });
  for (const [d, i] of objects(spec.dataFrom)) {
    if (d.extract !== undefined) out.push({ pointer: `/spec/dataFrom/${i}/extract/key`, key: str(obj(d.extract).key) });
    if (d.find !== undefined) out.push({ pointer: `/spec/dataFrom/${i}/find`, search: true });
  }
  return out;
}

/**
 * Secret isolation: no platform can read another's secrets. Every ExternalSecret reads through the platform's own
 * namespaced SecretStore (never a ClusterSecretStore, which any namespace may use) and only keys under the
 * platform's prefix (`<environment>/<platform>/`); the store authenticates as the platform's own ServiceAccount,
 * bound to the platform's own IAM role, whose policy allows that prefix only.
 */
export const secretIsolationRule: Rule = {
  name: "secret-isolation",
  description: "ExternalSecrets read only their platform's keys, through the platform's own SecretStore and IAM role",
  check(ctx, report) {
    const own = secretStoreName(ctx.target);
    const prefix = secretPrefix(ctx.target);
    const role = secretRoleArn(ctx.target);
    const find = (kind: string, name: string, namespace?: string): RenderedObject | undefined =>
      ctx.objects.find(
        (o) => o.object.kind === kind && o.object.metadata.name === name && o.object.metadata.namespace === namespace,
      );
    for (const o of ctx.objects) {
      if (o.object.apiVersion.startsWith("external-secrets.io/") && o.object.kind === "ExternalSecret") {
        const spec = obj(o.object.spec);
        const ref = obj(spec.secretStoreRef);
        const kind = str(ref.kind) ?? "SecretStore";
        const name = str(ref.name);
        if (kind !== "SecretStore" || name !== own || !find("SecretStore", own, o.object.metadata.namespace))
          report(o, {
            pointer: "/spec/secretStoreRef",
            message: `reads through ${kind} ${name ?? "(unnamed)"}, not the platform's own SecretStore ${own} in its namespace`,
            fix: `read through SecretStore ${own}, which only this platform's namespace can use`,
          });
        for (const k of remoteKeys(spec)) {
          if (k.search)
            report(o, {
              pointer: k.pointer,
              message: `searches the store for keys, which can match other platforms' secrets`,
              fix: FIX_KEY,
            });
          else if (k.key === undefined || !k.key.startsWith(prefix))
            report(o, {
              pointer: k.pointer,
              message: `reads ${k.key ?? "(no key)"}, outside this platform's secrets (${prefix})`,
              fix: FIX_KEY,
            });
        }
      }
      if (o.object.kind === "SecretStore" && o.object.metadata.name === own) {
        const account = obj(obj(obj(obj(obj(obj(o.object.spec).provider).aws).auth).jwt).serviceAccountRef);
        const sa = find("ServiceAccount", str(account.name) ?? "", o.object.metadata.namespace);
        if (account.namespace !== undefined || sa?.object.metadata.annotations?.[IRSA_ROLE_ANNOTATION] !== role)
          report(o, {
            pointer: "/spec/provider/aws/auth/jwt/serviceAccountRef",
            message: `does not authenticate as this platform's own ServiceAccount bound to the IAM role ${role}`,
            fix: `authenticate as ServiceAccount ${own}, annotated ${IRSA_ROLE_ANNOTATION}: ${role}`,
          });
      }
    }
  },
};
