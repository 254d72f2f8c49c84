import { environment } from "../compiler/index.ts";

// Staging: the primary and secondary regions, two replicas, autoscaling from two, production's safety nets.
export default environment({
  name: "staging",
  regions: ["us-west-2", "us-east-1"],
  policy: {
    networkPolicies: true,
    disruptionBudgets: true,
    resourceQuota: true,
    rules: { probes: "warning", "pinned-images": "warning", "image-digests": "off" },
    registries: ["docker.io", "ghcr.io", "gcr.io"],
  },
  overrides: {
    defaults: { replicas: 2, autoscale: { min: 2 } },
  },
});
