import { region } from "../compiler/index.ts";

// The tertiary region: read replicas that follow us-west-2; the first to take a production rollout.
// Cluster endpoints are placeholders under example.com.
export default region({
  name: "eu-west-1",
  role: "tertiary",
  secretStore: "aws-secrets-manager",
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
    },
  },
  overrides: { config: { REGION: "eu-west-1" } },
});
