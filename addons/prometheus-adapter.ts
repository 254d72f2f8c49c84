import { addon, prometheusAdapterValues } from "../compiler/index.ts";

// The Pods metrics ossa's HPAs scale on.
const OSSA_METRICS = ["ossa_queue_depth", "ossa_response_time_seconds"];

// The custom metrics API (custom.metrics.k8s.io) for ossa's HPAs: per-pod ossa_queue_depth and
// ossa_response_time_seconds, read from ossa's own Prometheus (the operator's `prometheus-operated` Service).
export default addon({
  name: "prometheus-adapter",
  // The custom metrics API, serving the series its rules name.
  capabilities: { provided: ["custom-metrics"], customMetrics: OSSA_METRICS },
  chart: {
    repository: "https://prometheus-community.github.io/helm-charts",
    chart: "prometheus-adapter",
    version: "5.1.0",
  },
  namespace: "monitoring",
  values: {
    ...prometheusAdapterValues({
      prometheusUrl: "http://prometheus-operated.ossa-platform.svc",
      rules: OSSA_METRICS.map((series) => ({ series })),
    }),
    replicas: 2,
  },
  dependsOn: ["kube-prometheus-stack", "metrics-server"],
  environments: { dev: { values: { replicas: 1 } } },
});
