import type { KubeObject } from "../../model/object.ts";
import type { Rule } from "../context.ts";
import { ISTIO_NAMESPACE } from "../../blocks/mesh.ts";
import { obj, objects, str } from "../../kube/loose.ts";

const ISSUER_ANNOTATIONS = ["cert-manager.io/cluster-issuer", "cert-manager.io/issuer"];

/** The `namespace/name` of every Secret a Certificate or an ExternalSecret of the target makes. */
function madeSecrets(objects: KubeObject[], defaultNamespace: string): Set<string> {
  const made = new Set<string>();
  for (const o of objects) {
    const ns = o.metadata.namespace ?? defaultNamespace;
    const spec = obj(o.spec);
    const secretName = str(spec.secretName);
    if (o.kind === "Certificate" && o.apiVersion.startsWith("cert-manager.io/") && secretName)
      made.add(`${ns}/${secretName}`);
    if (o.kind === "ExternalSecret") made.add(`${ns}/${str(obj(spec.target).name) ?? o.metadata.name}`);
  }
  return made;
}

/**
 * TLS provenance: every TLS Secret an Ingress or an Istio Gateway names is made by something in the namespace where
 * it is read: a cert-manager annotation on the Ingress, or a Certificate (or ExternalSecret) there. Istio reads a
 * Gateway's `credentialName` in the gateway deployment's namespace (`istio-system`), not the Gateway's.
 */
export const tlsProvenanceRule: Rule = {
  name: "tls-provenance",
  description: "TLS Secrets named by Ingresses and Gateways are made in the namespace that reads them",
  check(ctx, report) {
    const made = madeSecrets(
      ctx.objects.map((o) => o.object),
      ctx.target.namespace,
    );
    for (const o of ctx.objects) {
      const ns = o.object.metadata.namespace ?? ctx.target.namespace;
      if (o.object.kind === "Ingress" && o.object.apiVersion.startsWith("networking.k8s.io/")) {
        const annotated = ISSUER_ANNOTATIONS.some((a) => o.object.metadata.annotations?.[a]);
        for (const [t, i] of objects(obj(o.object.spec).tls)) {
          const secretName = str(t.secretName);
          if (!secretName || annotated || made.has(`${ns}/${secretName}`)) continue;
          report(o, {
            pointer: `/spec/tls/${i}/secretName`,
            message: `TLS Secret ${ns}/${secretName} is made by nothing (no cert-manager annotation, no Certificate)`,
            fix: "annotate the Ingress with cert-manager.io/cluster-issuer, or render a Certificate for the Secret",
          });
        }
      }
      if (o.object.kind === "Gateway" && o.object.apiVersion.startsWith("networking.istio.io/")) {
        for (const [s, i] of objects(obj(o.object.spec).servers)) {
          const name = str(obj(s.tls).credentialName);
          if (!name || made.has(`${ISTIO_NAMESPACE}/${name}`)) continue;
          report(o, {
            pointer: `/spec/servers/${i}/tls/credentialName`,
            message: `TLS Secret ${name} is read in ${ISTIO_NAMESPACE} (the gateway's namespace), where nothing makes it`,
            fix: `render a cert-manager Certificate with secretName ${name} in ${ISTIO_NAMESPACE}`,
          });
        }
      }
    }
  },
};
