import { region } from "../compiler/index.ts";

// The tertiary region: read replicas that follow us-west-2; the first to take a production rollout.
// Cluster endpoints are placeholders under example.com; networks (the VPC ranges other regions see this cluster's
// traffic from) are placeholders in 10.0.0.0/8: replace both with your own.
export default region({
  name: "eu-west-1",
  role: "tertiary",
  secretStore: "aws-secrets-manager",
  clusters: {
    production: {
      name: "production-eu-west-1",
      server: "https://production.eu-west-1.k8s.example.com",
      ingressDomain: "eu-west-1.example.com",
      serviceDomain: "production.eu-west-1.svc.example.internal",
      networks: ["10.32.0.0/16"],
    },
  },
  overrides: { config: { REGION: "eu-west-1" } },
});
