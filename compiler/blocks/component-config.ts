/**
 * A component's own ConfigMap (`configMap`), `<name>-env`: plain values,
 * component URLs and public ingress URLs, read with `envFrom` after the
 * platform ConfigMap. A web frontend keeps its public variables here.
 */
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { isConfigRef, isSecretRef } from "../describe/refs.ts";
import type { ServiceComponent } from "../describe/types.ts";
import { ManifoldError } from "../errors.ts";
import type { ResolvedTarget } from "../model/target.ts";
import { standardLabels } from "./naming.ts";
import { make } from "./objects.ts";
import { type RenderedObject } from "../model/object.ts";
import { literalValue } from "./pod.ts";
import { caFileEntries } from "./trust.ts";

/** The name of a component's own ConfigMap. */
export function componentConfigName(name: string): string {
  return `${name}-env`;
}

/** The component's ConfigMap, or nothing when it declares none. */
export function buildComponentConfig(
  target: ResolvedTarget,
  key: string,
  name: string,
  c: ServiceComponent,
): RenderedObject[] {
  const keys = Object.keys(c.configMap ?? {}).sort();
  if (keys.length === 0) return [];
  const data: Record<string, string> = {};
  for (const k of keys) {
    const value = c.configMap![k];
    if (isSecretRef(value) || isConfigRef(value)) {
      throw new ManifoldError(
        `a ConfigMap holds plain values only; move ${isSecretRef(value) ? "the secret" : "the config reference"} to env`,
        { field: `components.${key}.configMap.${k}`, target: target.id },
      );
    }
    data[k] = literalValue(target, value)!;
  }
  Object.assign(data, caFileEntries(target, c.configMap, `components.${key}.configMap`));
  return [
    {
      band: "foundation",
      component: key,
      object: make(ConfigMap, {
        metadata: {
          name: componentConfigName(name),
          namespace: target.namespace,
          labels: standardLabels(target, name, "config", c),
        },
        data,
      }),
    },
  ];
}
