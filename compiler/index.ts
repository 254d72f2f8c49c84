/**
 * Manifold as a library: the description helpers, and every pipeline phase.
 * Descriptions import from here: `import { platform, service } from "./index.ts"`.
 */
export type * from "./describe/types.ts";
export { platform, environment, region, argocd, addon } from "./describe/platform.ts";
export { prometheusAdapterValues, type CustomMetricRule } from "./describe/addon-values.ts";
export { clusterMonitoringValues, EVALUATOR_LABEL } from "./describe/cluster-monitoring.ts";
export { INGRESS_GATEWAY_SERVICE_ACCOUNT } from "./blocks/mesh.ts";
export { EXTERNAL_DNS_ANNOTATION_FILTER } from "./blocks/global-dns.ts";
export { service } from "./describe/service.ts";
export { postgres, redis, qdrant, nats, neo4j } from "./describe/stores.ts";
export { secretRef, url, address, configRef, ingressUrl } from "./describe/refs.ts";
export { webFrontend, type WebFrontendOptions } from "./describe/web-frontend.ts";
export { pubsubEmulator, type PubSubEmulatorOptions } from "./describe/pubsub-emulator.ts";
export { grafana, type GrafanaOptions } from "./describe/grafana.ts";
export { ManifoldError } from "./errors.ts";
export { load, importProject, checkProject } from "./load.ts";
export { resolve } from "./resolve.ts";
export { build, buildTarget } from "./blocks/index.ts";
export { order } from "./order.ts";
export { DependencyCycleError, layerComponents } from "./graph/dependency.ts";
export { patch } from "./patch.ts";
export { pointer, escapeKey } from "./kube/pointer.ts";
export { validate, RULES } from "./validate/index.ts";
export { compile, compileLoaded, emit, checkRendered, type RunOptions } from "./compile.ts";
export { planTarget, formatPlan } from "./plan.ts";
export { toYaml } from "./yaml.ts";
export { canonicalQuantity } from "./quantity.ts";
export { main } from "./cli.ts";
export { renderArgoCd } from "./argocd/index.ts";
export { expandApplicationSets } from "./argocd/expand.ts";
export { planApps, formatAppsPlan } from "./argocd/plan.ts";
export { helperThread } from "./parallel.ts";
