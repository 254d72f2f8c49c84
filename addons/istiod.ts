import { addon } from "../compiler/index.ts";

// The control plane, with the CNI plugin in charge of traffic redirection.
export default addon({
  name: "istiod",
  capabilities: { provided: ["istio"] },
  chart: { repository: "https://istio-release.storage.googleapis.com/charts", chart: "istiod", version: "1.27.1" },
  namespace: "istio-system",
  values: {
    pilot: { cni: { enabled: true }, autoscaleMin: 2 },
    meshConfig: { enablePrometheusMerge: true },
  },
  dependsOn: ["istio-base", "istio-cni"],
  // istiod patches its validating webhook's failurePolicy once it serves: without this Argo CD would undo it
  ignoreDifferences: [
    {
      group: "admissionregistration.k8s.io",
      kind: "ValidatingWebhookConfiguration",
      jqPathExpressions: [".webhooks[]?.failurePolicy"],
    },
  ],
  environments: { dev: { values: { pilot: { autoscaleMin: 1 } } } },
});
