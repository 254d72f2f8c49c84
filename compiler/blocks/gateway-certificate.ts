/**
 * The certificate of a mesh's ingress Gateway. Istio reads a Gateway's `credentialName` Secret in the namespace of
 * the gateway deployment (`istio-system`), not the Gateway's own, so the cert-manager Certificate that makes it is
 * rendered there.
 */
import { Certificate } from "@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate";
import type { ResolvedTarget } from "../model/target.ts";
import type { RenderedObject } from "../model/object.ts";
import { DEFAULT_ISSUER } from "./ingress.ts";
import { platformLabels } from "./naming.ts";
import { make } from "./objects.ts";

/** The Certificate that fills the Gateway's TLS Secret for its `hosts`, in the gateway deployment's namespace. */
export function gatewayCertificate(
  target: ResolvedTarget,
  credentialName: string,
  hosts: string[],
  namespace: string,
): RenderedObject {
  return {
    band: "edge",
    object: make(Certificate, {
      metadata: { name: credentialName, namespace, labels: platformLabels(target, "mesh") },
      spec: {
        secretName: credentialName,
        dnsNames: hosts,
        issuerRef: { kind: "ClusterIssuer", name: DEFAULT_ISSUER, group: "cert-manager.io" },
      },
    }),
  };
}
