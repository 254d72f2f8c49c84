import { addon } from "../compiler/index.ts";

// The resource metrics API (metrics.k8s.io) the HPAs' cpu and memory targets read.
export default addon({
  name: "metrics-server",
  capabilities: { provided: ["metrics-server"] },
  chart: {
    repository: "https://kubernetes-sigs.github.io/metrics-server/",
    chart: "metrics-server",
    version: "3.13.0",
  },
  namespace: "kube-system",
  values: { replicas: 2, podDisruptionBudget: { enabled: true, minAvailable: 1 } },
  environments: { dev: { values: { replicas: 1, podDisruptionBudget: { enabled: false } } } },
});
