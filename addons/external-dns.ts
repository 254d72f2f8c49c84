import { EXTERNAL_DNS_ANNOTATION_FILTER, addon } from "../compiler/index.ts";
import { irsaByRegion } from "./_aws.ts";

// external-dns: DNS records in Route 53 for Ingresses, Services, Istio Gateways and DNSEndpoint objects, owned by
// this cluster.
// Route 53 access comes from its ServiceAccount (IRSA, one role per region).
// What it reads records from: the Ingresses and Services, DNSEndpoints, and the Istio Gateways that platforms without
// an Ingress publish their hosts on. It publishes the region names only: the global names are the ACK Route 53
// controller's health-checked latency records (add-on ack-route53), so it skips every object marked for that
// controller (the annotation filter; Ingresses name their region hosts in an annotation instead).
const sources = ["ingress", "service", "crd", "istio-gateway"];

export default addon({
  name: "external-dns",
  capabilities: {
    provided: ["external-dns"],
    dnsSources: sources,
    dnsAnnotationFilter: EXTERNAL_DNS_ANNOTATION_FILTER,
  },
  chart: { repository: "https://kubernetes-sigs.github.io/external-dns/", chart: "external-dns", version: "1.18.0" },
  namespace: "external-dns",
  values: {
    provider: { name: "aws" },
    policy: "upsert-only",
    sources,
    crd: { create: true },
    extraArgs: { "annotation-filter": EXTERNAL_DNS_ANNOTATION_FILTER },
  },
  provides: ["externaldns.k8s.io/DNSEndpoint"],
  regions: irsaByRegion("external-dns"),
  // each cluster owns the records it made (TXT ownership), so clusters sharing a zone never delete each other's
  targets: {
    "dev/us-west-2": { values: { txtOwnerId: "dev-us-west-2" } },
    "staging/us-west-2": { values: { txtOwnerId: "staging-us-west-2" } },
    "staging/us-east-1": { values: { txtOwnerId: "staging-us-east-1" } },
    "production/us-west-2": { values: { txtOwnerId: "production-us-west-2" } },
    "production/us-east-1": { values: { txtOwnerId: "production-us-east-1" } },
    "production/eu-west-1": { values: { txtOwnerId: "production-eu-west-1" } },
  },
});
