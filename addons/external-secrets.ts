import { addon } from "../compiler/index.ts";

// external-secrets: the controller behind every platform's own SecretStore (AWS Secrets Manager in the cluster's
// own region, each read with the platform's own IAM role).
export default addon({
  name: "external-secrets",
  capabilities: { provided: ["external-secrets"] },
  chart: { repository: "https://charts.external-secrets.io", chart: "external-secrets", version: "0.19.2" },
  namespace: "external-secrets",
  values: { installCRDs: true, replicaCount: 2, webhook: { replicaCount: 2 } },
  provides: [
    "external-secrets.io/ExternalSecret",
    "external-secrets.io/ClusterSecretStore",
    "external-secrets.io/SecretStore",
  ],
  // No ClusterSecretStore: any namespace could read every secret of the region through one. Each platform reads
  // through its own namespaced SecretStore and IAM role (see the secret-isolation rule).
  environments: { dev: { values: { replicaCount: 1, webhook: { replicaCount: 1 } } } },
});
