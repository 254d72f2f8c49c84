import { addon } from "../compiler/index.ts";

// Istio's CRDs and cluster-wide base; istiod, the CNI node agent and the gateway wait for it.
export default addon({
  name: "istio-base",
  chart: { repository: "https://istio-release.storage.googleapis.com/charts", chart: "base", version: "1.27.1" },
  namespace: "istio-system",
  values: { defaultRevision: "default" },
  // istiod patches its validating webhook's failurePolicy once it serves: without this Argo CD would undo it
  ignoreDifferences: [
    {
      group: "admissionregistration.k8s.io",
      kind: "ValidatingWebhookConfiguration",
      jqPathExpressions: [".webhooks[]?.failurePolicy"],
    },
  ],
  provides: [
    "networking.istio.io/Gateway",
    "networking.istio.io/VirtualService",
    "networking.istio.io/DestinationRule",
    "networking.istio.io/ServiceEntry",
    "networking.istio.io/Sidecar",
    "security.istio.io/PeerAuthentication",
    "security.istio.io/AuthorizationPolicy",
    "security.istio.io/RequestAuthentication",
    "telemetry.istio.io/Telemetry",
  ],
});
