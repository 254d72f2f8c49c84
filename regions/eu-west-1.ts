import { region } from "../compiler/index.ts";
import { contract } from "./_contract.ts";

// The tertiary region: read replicas that follow us-west-2; the first to take a production rollout.
// Cluster endpoints are placeholders under example.com; networks (the VPC ranges other regions see this cluster's
// traffic from) are placeholders in 10.0.0.0/8: replace both with your own.
export default region({
  name: "eu-west-1",
  role: "tertiary",
  // Each platform reads only its own secrets (<environment>/<platform>/...) through its own SecretStore and IAM role.
  // 111122223333 is AWS's documentation account: a placeholder, like the example.com endpoints.
  secretStore: {
    provider: "aws-secrets-manager",
    awsRegion: "eu-west-1",
    roleArnPrefix: "arn:aws:iam::111122223333:role/manifold-secrets-",
  },
  // Backups, archived WAL and snapshots; the other regions' replica clusters read it too. Placeholder bucket name.
  backups: {
    bucket: "manifold-backups-eu-west-1",
    path: "manifold",
    region: "eu-west-1",
    credentials: "backup-object-store",
  },
  clusters: {
    production: {
      name: "production-eu-west-1",
      server: "https://production.eu-west-1.k8s.example.com",
      ingressDomain: "eu-west-1.example.com",
      serviceDomain: "production.eu-west-1.svc.example.internal",
      capabilities: contract(),
      networks: ["10.32.0.0/16"],
    },
  },
  overrides: { config: { REGION: "eu-west-1" } },
});
