import { region } from "../compiler/index.ts";

// The secondary region: read replicas that follow us-west-2; rolls out before the primary.
// Cluster endpoints are placeholders under example.com.
export default region({
  name: "us-east-1",
  role: "secondary",
  secretStore: "aws-secrets-manager",
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
    },
    production: {
      name: "production-us-east-1",
      server: "https://production.us-east-1.k8s.example.com",
      ingressDomain: "us-east-1.example.com",
      serviceDomain: "production.us-east-1.svc.example.internal",
    },
  },
  overrides: { config: { REGION: "us-east-1" } },
});
