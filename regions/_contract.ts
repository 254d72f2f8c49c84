import type { ClusterCapabilities } from "../compiler/index.ts";

// The capability contract of the fleet's clusters (files starting with "_" are helpers, not descriptions): what each
// cluster runs that Manifold does not install. The compile checks every rendered object's needs against it.
// Every cluster runs EKS with the VPC CNI's network policy agent on, and the add-ons below installed outside
// Manifold; as the cluster layer takes an add-on over, it leaves `provided` (managed add-ons contribute their own).
export function contract(fields: Partial<ClusterCapabilities> = {}): ClusterCapabilities {
  return {
    kubernetesVersion: "1.33",
    argocdVersion: "3.3",
    cni: { name: "aws-vpc-cni", networkPolicy: true },
    provided: [
      "istio",
      "istio-cni",
      "default-storage-class",
      "cert-manager",
      "external-secrets",
      "prometheus-operator",
      "vpa",
      "metrics-server",
      "ingress-nginx",
    ],
    ...fields,
  };
}

// The Pods metrics ossa's HPAs scale on, served by a Prometheus adapter on the clusters that run them.
export const OSSA_METRICS = ["ossa_queue_depth", "ossa_response_time_seconds"];

// A cluster whose custom metrics adapter serves ossa's metrics.
export function withOssaMetrics(): ClusterCapabilities {
  const base = contract();
  return contract({ provided: [...base.provided, "custom-metrics"], customMetrics: OSSA_METRICS });
}
