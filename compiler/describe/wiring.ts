/**
 * Names the building blocks and the add-on descriptions must agree on (a gateway's service account, external-dns's
 * filter), in the description language so that a description reads them without loading the building blocks.
 */

/** The ingress gateway's service account (Istio's default). */
export const INGRESS_GATEWAY_SERVICE_ACCOUNT = "istio-ingressgateway-service-account";

/** Marks an object whose names are published by the ACK Route 53 controller, which external-dns must leave alone. */
export const GLOBAL_DNS_ANNOTATION = "manifold.dev/dns-records";
/** The value of `GLOBAL_DNS_ANNOTATION`. */
export const GLOBAL_DNS_PUBLISHER = "ack-route53";
/** external-dns's `--annotation-filter`: every object but those marked with `GLOBAL_DNS_ANNOTATION`. */
export const EXTERNAL_DNS_ANNOTATION_FILTER = `${GLOBAL_DNS_ANNOTATION} notin (${GLOBAL_DNS_PUBLISHER})`;
