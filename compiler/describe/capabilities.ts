/**
 * The capability catalogue of the cluster contract: what a cluster can run that the fleet's objects need, and
 * how an object shows that it needs it. A cluster lists the capabilities it runs without Manifold under
 * `capabilities.provided` in its region file; the cluster layer's managed add-ons contribute theirs too
 * (`clusterCapabilities` in `compiler/validate/capabilities.ts`). The compile derives each target's needs from
 * its rendered objects (API versions, ingress classes, fields) and refuses a need its cluster does not meet.
 */

/** One capability: what it is and which API group/versions and ingress classes it serves. */
export interface CapabilitySpec {
  /** What provides it, in a few words (used in error messages). */
  what: string;
  /** The `group/version`s of the custom resources (or aggregated APIs) it serves. */
  apis: readonly string[];
  /** The `ingressClassName`s its controller serves. */
  ingressClasses?: readonly string[];
}

/** Every capability a cluster can declare, by name. */
export const CAPABILITIES = {
  istio: {
    what: "Istio (istiod)",
    apis: [
      "networking.istio.io/v1",
      "networking.istio.io/v1beta1",
      "networking.istio.io/v1alpha3",
      "security.istio.io/v1",
      "security.istio.io/v1beta1",
      "telemetry.istio.io/v1",
    ],
  },
  "istio-cni": { what: "Istio's CNI plugin (meshed pods need no privileged istio-init container)", apis: [] },
  "default-storage-class": { what: "a default StorageClass (claims without a class bind to it)", apis: [] },
  "cert-manager": { what: "cert-manager", apis: ["cert-manager.io/v1", "acme.cert-manager.io/v1"] },
  "external-secrets": {
    what: "the External Secrets Operator",
    apis: ["external-secrets.io/v1", "external-secrets.io/v1beta1", "generators.external-secrets.io/v1alpha1"],
  },
  "prometheus-operator": {
    what: "the Prometheus operator",
    apis: ["monitoring.coreos.com/v1", "monitoring.coreos.com/v1alpha1"],
  },
  vpa: { what: "the Vertical Pod Autoscaler", apis: ["autoscaling.k8s.io/v1"] },
  "metrics-server": { what: "metrics-server (the resource metrics API)", apis: ["metrics.k8s.io/v1beta1"] },
  "custom-metrics": {
    what: "a custom metrics adapter (the custom metrics API)",
    apis: ["custom.metrics.k8s.io/v1beta1", "custom.metrics.k8s.io/v1beta2"],
  },
  "external-metrics": {
    what: "an external metrics adapter (the external metrics API)",
    apis: ["external.metrics.k8s.io/v1beta1"],
  },
  "ingress-nginx": { what: "the ingress-nginx controller", apis: [], ingressClasses: ["nginx"] },
  "gateway-api": {
    what: "the Gateway API CRDs",
    apis: ["gateway.networking.k8s.io/v1", "gateway.networking.k8s.io/v1beta1"],
  },
  "cloudnative-pg": { what: "the CloudNativePG operator", apis: ["postgresql.cnpg.io/v1"] },
  velero: { what: "Velero", apis: ["velero.io/v1", "velero.io/v2alpha1"] },
  "external-dns": { what: "external-dns (its DNSEndpoint CRD)", apis: ["externaldns.k8s.io/v1alpha1"] },
  "ack-route53": {
    what: "the ACK Route 53 controller (HealthCheck and RecordSet)",
    apis: ["route53.services.k8s.aws/v1alpha1"],
  },
} as const satisfies Record<string, CapabilitySpec>;

/** The name of a capability a cluster can declare. */
export type Capability = keyof typeof CAPABILITIES;

/** Every capability name, in catalogue order. */
export const CAPABILITY_NAMES = Object.keys(CAPABILITIES) as Capability[];
