import { addon, prometheusAdapterValues } from "../compiler/index.ts";

// The custom metrics API (custom.metrics.k8s.io) for ossa's HPAs: per-pod ossa_queue_depth and
// ossa_response_time_seconds, read from ossa's own Prometheus (the operator's `prometheus-operated` Service).
export default addon({
  name: "prometheus-adapter",
  chart: {
    repository: "https://prometheus-community.github.io/helm-charts",
    chart: "prometheus-adapter",
    version: "5.1.0",
  },
  namespace: "monitoring",
  values: {
    ...prometheusAdapterValues({
      prometheusUrl: "http://prometheus-operated.ossa-platform.svc",
      rules: [{ series: "ossa_queue_depth" }, { series: "ossa_response_time_seconds" }],
    }),
    replicas: 2,
  },
  dependsOn: ["kube-prometheus-stack", "metrics-server"],
  environments: { dev: { values: { replicas: 1 } } },
});
