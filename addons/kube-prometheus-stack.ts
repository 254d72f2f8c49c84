import { addon, clusterMonitoringValues, EVALUATOR_LABEL } from "../compiler/index.ts";

// The Prometheus operator and its CRDs, with the cluster's own Prometheus and Alertmanager. They load every
// namespace's ServiceMonitors, PodMonitors, PrometheusRules and AlertmanagerConfigs except those of the platforms that
// run their own Prometheus and Alertmanager (the evaluator label), so no rule is evaluated twice and no alert is routed
// by two Alertmanagers. Their kube-state-metrics and kubelet scrapes serve the pod, saturation and volume alerts.
const selection = clusterMonitoringValues();

export default addon({
  name: "kube-prometheus-stack",
  capabilities: { provided: ["prometheus-operator"], clusterMonitoring: { leavesOut: EVALUATOR_LABEL } },
  chart: {
    repository: "https://prometheus-community.github.io/helm-charts",
    chart: "kube-prometheus-stack",
    version: "75.15.0",
  },
  namespace: "monitoring",
  values: {
    prometheus: { prometheusSpec: { ...selection.prometheusSpec, retention: "15d" } },
    alertmanager: { alertmanagerSpec: selection.alertmanagerSpec },
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
