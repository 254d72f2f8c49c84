import { environment } from "../compiler/index.ts";

// Development: one region, one replica of everything, no autoscaling, small pods.
export default environment({
  name: "dev",
  displayName: "development",
  regions: ["us-west-2"],
  policy: {
    networkPolicies: false,
    disruptionBudgets: false,
    resourceQuota: false,
    // relaxed: one replica and no budgets by design; the rest is reported but does not block
    rules: {
      "min-replicas": "off",
      "pdb-allows-drain": "warning",
      probes: "warning",
      "requests-limits": "warning",
      "pinned-images": "warning",
      "restricted-pods": "warning",
      "image-digests": "off",
    },
    registries: ["docker.io", "ghcr.io", "gcr.io"],
  },
  overrides: {
    defaults: {
      replicas: 1,
      autoscale: false,
      resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
    },
    // Dev is not production: debug builds, one small replica, test traffic. Its alerts (which never page) fire only
    // on what is clearly broken there, not on production's service levels.
    alerting: {
      thresholds: {
        errorRatio: 0.25,
        latencySeconds: 5,
        saturation: 0.95,
        restarts: 10,
        backupAgeHours: 50,
        backupIntervals: 2,
        consumerPending: 10000,
      },
    },
  },
});
