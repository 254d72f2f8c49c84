import type { ClusterCapabilities } from "../compiler/index.ts";

// The capability contract of the fleet's clusters (files starting with "_" are helpers, not descriptions): what each
// cluster is and runs that Manifold does not install. The compile checks every rendered object's needs against it,
// together with what the cluster layer's add-ons (addons/) provide on each cluster.
// Every cluster runs EKS 1.33 with the VPC CNI's network policy agent on (and the EBS CSI driver, an EKS add-on);
// every add-on the platforms rely on (Istio and its CNI, cert-manager, external-secrets, the Prometheus operator,
// VPA, metrics-server, the custom metrics adapter, ingress-nginx, CloudNativePG, Velero, external-dns, the default
// StorageClass) is installed by the cluster layer, so `provided` names none of them.
export function contract(fields: Partial<ClusterCapabilities> = {}): ClusterCapabilities {
  return {
    kubernetesVersion: "1.33",
    argocdVersion: "3.3",
    cni: { name: "aws-vpc-cni", networkPolicy: true },
    provided: [],
    ...fields,
  };
}
