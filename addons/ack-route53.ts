import { addon } from "../compiler/index.ts";
import { REGIONS, irsa } from "./_aws.ts";

// The AWS Controllers for Kubernetes (ACK) controller for Route 53: the health-checked, latency-based records of the
// global names (one HealthCheck and one RecordSet per region and public host, in each platform's folder). external-dns
// cannot make a Route 53 health check (it only takes the ID of one), so this controller makes both and links them.
// It runs in the environments with a global domain (production only): an environment that gains a globalDomain must
// be added to `runsIn`, or rule cluster-capabilities refuses its HealthCheck and RecordSet objects (nothing on its
// clusters serves the API). Route 53 access comes from its ServiceAccount (IRSA, one role
// per region; the chart names the account ack-route53-controller); Route 53 is a global service, the region only
// sets the endpoint the controller's AWS client uses.
const ACCOUNT = "ack-route53-controller";

export default addon({
  name: "ack-route53",
  capabilities: { provided: ["ack-route53"] },
  chart: {
    repository: "oci://public.ecr.aws/aws-controllers-k8s",
    chart: "route53-chart",
    version: "1.5.2",
  },
  namespace: "ack-system",
  values: {
    serviceAccount: { create: true, name: ACCOUNT },
    // Only the kinds Manifold renders: hosted zones are the environment's, made outside (`globalZoneId`).
    reconcile: { resources: ["HealthCheck", "RecordSet"] },
  },
  provides: ["route53.services.k8s.aws/HealthCheck", "route53.services.k8s.aws/RecordSet"],
  runsIn: ["production"],
  regions: Object.fromEntries(
    REGIONS.map((r) => [
      r.name,
      { values: { aws: { region: r.name }, serviceAccount: { annotations: irsa("ack-route53", r.name) } } },
    ]),
  ),
});
