import type { RenderedObject } from "../model/object.ts";
import type { ResolvedTarget } from "../model/target.ts";
import type { StoreEngineDefinition } from "../stores/engine.ts";
import { engineOf } from "../stores/index.ts";

/** The engine of the store component an object belongs to, or undefined for anything else. */
export function storeEngineOf(target: ResolvedTarget, o: RenderedObject): StoreEngineDefinition | undefined {
  const c = o.component === undefined ? undefined : target.components[o.component];
  return c?.type === "store" ? engineOf(c) : undefined;
}
