import { addon } from "../compiler/index.ts";

// The NGINX ingress controller. `publishService` (the chart's --publish-service) writes the load balancer's address
// into every Ingress's status, which Argo CD's Ingress health check waits for.
export default addon({
  name: "ingress-nginx",
  capabilities: { provided: ["ingress-nginx"] },
  chart: { repository: "https://kubernetes.github.io/ingress-nginx", chart: "ingress-nginx", version: "4.13.2" },
  namespace: "ingress-nginx",
  values: {
    controller: {
      replicaCount: 2,
      publishService: { enabled: true },
      ingressClassResource: { name: "nginx", default: true },
      service: { annotations: { "service.beta.kubernetes.io/aws-load-balancer-type": "nlb" } },
    },
  },
  environments: { dev: { values: { controller: { replicaCount: 1 } } } },
});
