import { addon } from "../compiler/index.ts";

// external-dns: DNS records in Route 53 for Ingresses, Services and DNSEndpoint objects, owned by this cluster.
export default addon({
  name: "external-dns",
  chart: { repository: "https://kubernetes-sigs.github.io/external-dns/", chart: "external-dns", version: "1.18.0" },
  namespace: "external-dns",
  values: {
    provider: { name: "aws" },
    policy: "upsert-only",
    sources: ["ingress", "service", "crd"],
    crd: { create: true },
  },
  provides: ["externaldns.k8s.io/DNSEndpoint"],
});
