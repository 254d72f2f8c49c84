import { addon } from "../compiler/index.ts";

// The Vertical Pod Autoscaler (recommender, updater, admission controller) and its CRDs.
export default addon({
  name: "vpa",
  capabilities: { provided: ["vpa"] },
  chart: { repository: "https://charts.fairwinds.com/stable", chart: "vpa", version: "4.10.0" },
  namespace: "vpa",
  values: { recommender: { enabled: true }, updater: { enabled: true }, admissionController: { enabled: true } },
  provides: ["autoscaling.k8s.io/VerticalPodAutoscaler", "autoscaling.k8s.io/VerticalPodAutoscalerCheckpoint"],
  dependsOn: ["metrics-server"],
});
