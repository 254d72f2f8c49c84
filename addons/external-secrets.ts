import { addon } from "../compiler/index.ts";

// external-secrets and the ClusterSecretStore each region names (`secretStore` in regions/): AWS Secrets Manager in
// the cluster's own region, read with the controller's web identity.
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
  secretStores: {
    "aws-secrets-manager": {
      service: "SecretsManager",
      serviceAccount: { name: "external-secrets", namespace: "external-secrets" },
    },
  },
  environments: { dev: { values: { replicaCount: 1, webhook: { replicaCount: 1 } } } },
});
