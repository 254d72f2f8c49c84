import { addon } from "../compiler/index.ts";

// The Prometheus operator and its CRDs (the platforms run their own Prometheus, Alertmanager, ServiceMonitors and
// rules), with the cluster's own Prometheus watching every namespace's ServiceMonitors and rules.
export default addon({
  name: "kube-prometheus-stack",
  capabilities: { provided: ["prometheus-operator"] },
  chart: {
    repository: "https://prometheus-community.github.io/helm-charts",
    chart: "kube-prometheus-stack",
    version: "75.15.0",
  },
  namespace: "monitoring",
  values: {
    prometheus: {
      prometheusSpec: {
        serviceMonitorSelectorNilUsesHelmValues: false,
        ruleSelectorNilUsesHelmValues: false,
        retention: "15d",
      },
    },
    grafana: { enabled: true },
  },
  provides: [
    "monitoring.coreos.com/Prometheus",
    "monitoring.coreos.com/Alertmanager",
    "monitoring.coreos.com/ServiceMonitor",
    "monitoring.coreos.com/PodMonitor",
    "monitoring.coreos.com/PrometheusRule",
    "monitoring.coreos.com/AlertmanagerConfig",
  ],
});
