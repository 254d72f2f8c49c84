import type { KubeObject } from "../../model/object.ts";
import type { Rule } from "../context.ts";
import { ISTIO_NAMESPACE } from "../../blocks/mesh.ts";

const ISSUER_ANNOTATIONS = ["cert-manager.io/cluster-issuer", "cert-manager.io/issuer"];

/** The `namespace/name` of every Secret a Certificate or an ExternalSecret of the target makes. */
function madeSecrets(objects: KubeObject[], defaultNamespace: string): Set<string> {
  const made = new Set<string>();
  for (const o of objects) {
    const ns = o.metadata.namespace ?? defaultNamespace;
    const spec = (o.spec ?? {}) as { secretName?: string; target?: { name?: string } };
    if (o.kind === "Certificate" && o.apiVersion.startsWith("cert-manager.io/") && spec.secretName)
      made.add(`${ns}/${spec.secretName}`);
    if (o.kind === "ExternalSecret") made.add(`${ns}/${spec.target?.name ?? o.metadata.name}`);
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
        const tls = (o.object.spec as { tls?: { secretName?: string }[] } | undefined)?.tls ?? [];
        tls.forEach((t, i) => {
          if (!t.secretName || annotated || made.has(`${ns}/${t.secretName}`)) return;
          report(o, {
            pointer: `/spec/tls/${i}/secretName`,
            message: `TLS Secret ${ns}/${t.secretName} is made by nothing (no cert-manager annotation, no Certificate)`,
            fix: "annotate the Ingress with cert-manager.io/cluster-issuer, or render a Certificate for the Secret",
          });
        });
      }
      if (o.object.kind === "Gateway" && o.object.apiVersion.startsWith("networking.istio.io/")) {
        const servers = (o.object.spec as { servers?: { tls?: { credentialName?: string } }[] } | undefined)?.servers;
        (servers ?? []).forEach((s, i) => {
          const name = s.tls?.credentialName;
          if (!name || made.has(`${ISTIO_NAMESPACE}/${name}`)) return;
          report(o, {
            pointer: `/spec/servers/${i}/tls/credentialName`,
            message: `TLS Secret ${name} is read in ${ISTIO_NAMESPACE} (the gateway's namespace), where nothing makes it`,
            fix: `render a cert-manager Certificate with secretName ${name} in ${ISTIO_NAMESPACE}`,
          });
        });
      }
    }
  },
};
