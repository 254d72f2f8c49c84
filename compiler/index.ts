/**
 * Manifold as a library: the description helpers, and every pipeline phase.
 * Descriptions import from here: `import { platform, service } from "./index.ts"`.
 */
export * from "./language.ts";
export type * from "./describe/types.ts";
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
