/**
 * The description language: everything a description imports (helpers, constants, types), and nothing of the
 * pipeline. compiler/index.ts re-exports it all. Under the precompiled CLI a description is bundled against this
 * entry point (compiler/precompiled.ts), so importing the descriptions does not load the build, validate or render
 * code.
 */
export type * from "./describe/types.ts";
export { platform, environment, region, argocd, addon } from "./describe/platform.ts";
export { prometheusAdapterValues, type CustomMetricRule } from "./describe/addon-values.ts";
export { clusterMonitoringValues, EVALUATOR_LABEL } from "./describe/cluster-monitoring.ts";
export { INGRESS_GATEWAY_SERVICE_ACCOUNT, EXTERNAL_DNS_ANNOTATION_FILTER } from "./describe/wiring.ts";
export { service } from "./describe/service.ts";
export { postgres, redis, qdrant, nats, neo4j } from "./describe/stores.ts";
export { secretRef, url, address, configRef, ingressUrl } from "./describe/refs.ts";
export { webFrontend, type WebFrontendOptions } from "./describe/web-frontend.ts";
export { pubsubEmulator, type PubSubEmulatorOptions } from "./describe/pubsub-emulator.ts";
export { grafana, type GrafanaOptions } from "./describe/grafana.ts";
export { ManifoldError } from "./errors.ts";
