/** The platform ConfigMap: platform config, layered with environment and region entries such as `REGION`. */
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { ResolvedTarget } from "../model/target.ts";
import { ManifoldError } from "../errors.ts";
import { isConfigRef, isSecretRef } from "../describe/refs.ts";
import { configMapName, platformLabels } from "./naming.ts";
import { make } from "./objects.ts";
import { type RenderedObject } from "../model/object.ts";
import { literalValue } from "./pod.ts";
import { caFileEntries } from "./trust.ts";

/** The description file that set config key `key`: the override layer's, else the platform's own. */
function setBy(target: ResolvedTarget, key: string): string | undefined {
  return target.provenance[`config.${key}`]?.file ?? target.sources[0];
}

/** Builds the ConfigMap, or nothing when the platform has no config. */
export function buildConfig(target: ResolvedTarget): RenderedObject[] {
  const keys = Object.keys(target.config).sort();
  if (keys.length === 0) return [];
  const data: Record<string, string> = {};
  for (const key of keys) {
    const value = target.config[key];
    if (isSecretRef(value)) {
      throw new ManifoldError("a ConfigMap cannot hold a secret; move it to a component's env", {
        file: setBy(target, key),
        field: `config.${key}`,
        target: target.id,
      });
    }
    if (isConfigRef(value)) {
      throw new ManifoldError("a ConfigMap entry cannot read the ConfigMap; use configRef() in a component's env", {
        file: setBy(target, key),
        field: `config.${key}`,
        target: target.id,
      });
    }
    data[key] = literalValue(target, value)!;
  }
  // Beside each URL to a store in the primary region, the path of the CA that verifies it (the readers mount it).
  Object.assign(data, caFileEntries(target, target.config, "config"));
  return [
    {
      band: "foundation",
      object: make(ConfigMap, {
        metadata: {
          name: configMapName(target),
          namespace: target.namespace,
          labels: platformLabels(target, "config"),
        },
        data,
      }),
    },
  ];
}
