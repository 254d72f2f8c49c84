import { environment } from "../compiler/index.ts";

// Development: one region, one replica of everything, no autoscaling, small pods.
export default environment({
  name: "dev",
  displayName: "development",
  regions: ["us-west-2"],
  policy: { networkPolicies: false, disruptionBudgets: false, resourceQuota: false },
  overrides: {
    defaults: {
      replicas: 1,
      autoscale: false,
      resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
    },
  },
});
