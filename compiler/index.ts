/**
 * Manifold as a library: the description helpers, and every pipeline phase.
 * Descriptions import from here: `import { platform, service } from "../compiler/index.ts"`.
 */
export type * from "./describe/types.ts";
export { platform, environment, region } from "./describe/platform.ts";
export { service } from "./describe/service.ts";
export { postgres, redis, qdrant } from "./describe/stores.ts";
export { secretRef, url } from "./describe/refs.ts";
export { ManifoldError } from "./errors.ts";
export { load, importProject, checkProject } from "./load.ts";
export { resolve } from "./resolve.ts";
export { build, buildTarget } from "./build/index.ts";
export { order, layerComponents } from "./order.ts";
export { patch, pointer, escapeKey } from "./patch.ts";
export { validate, RULES } from "./validate/index.ts";
export { compile, compileLoaded, emit, checkRendered } from "./compile.ts";
export { planTarget, formatPlan } from "./plan.ts";
export { toYaml } from "./yaml.ts";
export { canonicalQuantity } from "./quantity.ts";
export { main } from "./cli.ts";
export { helperThread } from "./parallel.ts";
