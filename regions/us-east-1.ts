import { region } from "../compiler/index.ts";
import { contract } from "./_contract.ts";

// The secondary region: read replicas that follow us-west-2; rolls out before the primary.
// Cluster endpoints are placeholders under example.com; networks (the VPC ranges other regions see this cluster's
// traffic from) are placeholders in 10.0.0.0/8: replace both with your own.
export default region({
  name: "us-east-1",
  role: "secondary",
  // Each platform reads only its own secrets (<environment>/<platform>/...) through its own SecretStore and IAM role.
  // 111122223333 is AWS's documentation account: a placeholder, like the example.com endpoints.
  secretStore: {
    provider: "aws-secrets-manager",
    awsRegion: "us-east-1",
    roleArnPrefix: "arn:aws:iam::111122223333:role/manifold-secrets-",
  },
  // Backups, archived WAL and snapshots; the other regions' replica clusters read it too. Placeholder bucket name.
  backups: {
    bucket: "manifold-backups-us-east-1",
    path: "manifold",
    region: "us-east-1",
    credentials: "backup-object-store",
  },
  clusters: {
    staging: {
      name: "staging-us-east-1",
      server: "https://staging.us-east-1.k8s.example.com",
      ingressDomain: "staging.us-east-1.example.com",
      serviceDomain: "staging.us-east-1.svc.example.internal",
      capabilities: contract(),
      networks: ["10.21.0.0/16"],
    },
    production: {
      name: "production-us-east-1",
      server: "https://production.us-east-1.k8s.example.com",
      ingressDomain: "us-east-1.example.com",
      serviceDomain: "production.us-east-1.svc.example.internal",
      capabilities: contract(),
      networks: ["10.31.0.0/16"],
    },
  },
  overrides: { config: { REGION: "us-east-1" } },
});
