import { addon } from "../compiler/index.ts";

// The mesh's ingress gateway (the Gateways of the platforms select `istio: ingressgateway`), behind an AWS NLB.
export default addon({
  name: "istio-ingressgateway",
  chart: { repository: "https://istio-release.storage.googleapis.com/charts", chart: "gateway", version: "1.27.1" },
  namespace: "istio-system",
  values: {
    labels: { istio: "ingressgateway" },
    autoscaling: { minReplicas: 2, maxReplicas: 5 },
    service: { annotations: { "service.beta.kubernetes.io/aws-load-balancer-type": "nlb" } },
  },
  dependsOn: ["istiod"],
  environments: { dev: { values: { autoscaling: { minReplicas: 1, maxReplicas: 2 } } } },
});
