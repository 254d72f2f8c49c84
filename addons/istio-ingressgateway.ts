import { addon, INGRESS_GATEWAY_SERVICE_ACCOUNT } from "../compiler/index.ts";

// The mesh's ingress gateway (the Gateways of the platforms select `istio: ingressgateway`), behind an AWS NLB.
export default addon({
  name: "istio-ingressgateway",
  chart: { repository: "https://istio-release.storage.googleapis.com/charts", chart: "gateway", version: "1.27.1" },
  namespace: "istio-system",
  values: {
    labels: { istio: "ingressgateway" },
    // The identity the platforms' AuthorizationPolicies admit from the gateway (the chart would name it after the
    // release, istio-ingressgateway, and every routed request would be denied).
    serviceAccount: { name: INGRESS_GATEWAY_SERVICE_ACCOUNT },
    autoscaling: { minReplicas: 2, maxReplicas: 5 },
    service: { annotations: { "service.beta.kubernetes.io/aws-load-balancer-type": "nlb" } },
  },
  dependsOn: ["istiod"],
  environments: { dev: { values: { autoscaling: { minReplicas: 1, maxReplicas: 2 } } } },
});
