import { region } from "../compiler/index.ts";
import { contract } from "./_contract.ts";

// The primary region: it runs the writable databases; the other regions follow it.
// Cluster endpoints are placeholders under example.com; networks (the VPC ranges other regions see this cluster's
// traffic from) are placeholders in 10.0.0.0/8: replace both with your own.
export default region({
  name: "us-west-2",
  role: "primary",
  // Each platform reads only its own secrets (<environment>/<platform>/...) through its own SecretStore and IAM role.
  // 111122223333 is AWS's documentation account: a placeholder, like the example.com endpoints.
  secretStore: {
    provider: "aws-secrets-manager",
    awsRegion: "us-west-2",
    roleArnPrefix: "arn:aws:iam::111122223333:role/manifold-secrets-",
  },
  // Backups, archived WAL and snapshots; the other regions' replica clusters read it too. Placeholder bucket name.
  backups: {
    bucket: "manifold-backups-us-west-2",
    path: "manifold",
    region: "us-west-2",
    credentials: "backup-object-store",
  },
  clusters: {
    dev: {
      name: "dev-us-west-2",
      server: "https://dev.us-west-2.k8s.example.com",
      ingressDomain: "dev.us-west-2.example.com",
      serviceDomain: "dev.us-west-2.svc.example.internal",
      capabilities: contract(),
      networks: ["10.10.0.0/16"],
    },
    staging: {
      name: "staging-us-west-2",
      server: "https://staging.us-west-2.k8s.example.com",
      ingressDomain: "staging.us-west-2.example.com",
      serviceDomain: "staging.us-west-2.svc.example.internal",
      capabilities: contract(),
      networks: ["10.20.0.0/16"],
    },
    production: {
      name: "production-us-west-2",
      server: "https://production.us-west-2.k8s.example.com",
      ingressDomain: "us-west-2.example.com",
      serviceDomain: "production.us-west-2.svc.example.internal",
      capabilities: contract(),
      networks: ["10.30.0.0/16"],
    },
  },
  overrides: { config: { REGION: "us-west-2" } },
});
