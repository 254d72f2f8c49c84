import { addon } from "../compiler/index.ts";
import { irsaByRegion } from "./_aws.ts";

// cert-manager and the ClusterIssuer every Ingress and mesh Gateway names. DNS-01 through Route 53: no HTTP-01
// solver pods, which a default-deny namespace would not let the CA reach. Route 53 access, and the CA key pair the
// cross-region CA's SecretStore reads, come from the controller's ServiceAccount (IRSA, one role per region).
export default addon({
  name: "cert-manager",
  capabilities: { provided: ["cert-manager"] },
  chart: { repository: "https://charts.jetstack.io", chart: "cert-manager", version: "v1.18.2" },
  namespace: "cert-manager",
  values: { crds: { enabled: true, keep: true }, replicaCount: 2, prometheus: { servicemonitor: { enabled: false } } },
  provides: ["cert-manager.io/Certificate", "cert-manager.io/ClusterIssuer", "cert-manager.io/Issuer"],
  clusterIssuers: {
    "letsencrypt-prod": {
      server: "https://acme-v02.api.letsencrypt.org/directory",
      email: "platform-team@example.com",
      route53: {},
    },
  },
  // The CA of the stores' cross-region TLS (exposure.ts: CROSS_REGION_ISSUER), one key pair per environment.
  caIssuers: { "manifold-cross-region-ca": { serviceAccount: { name: "cert-manager", namespace: "cert-manager" } } },
  environments: { dev: { values: { replicaCount: 1 } } },
  regions: irsaByRegion("cert-manager"),
});
