/**
 * First-start scripts of a data store (`initScripts`): a ConfigMap
 * `<name>-init` mounted read-only at the engine's init directory, where the
 * image runs them once, when it creates the database.
 */
import type { IIoK8sApiCoreV1Volume as Volume, IIoK8sApiCoreV1VolumeMount as VolumeMount } from "kubernetes-models/v1";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { StoreComponent } from "../describe/types.ts";
import { ManifoldError } from "../errors.ts";
import type { ResolvedTarget } from "../model/target.ts";
import { engineOf } from "../stores/index.ts";
import { standardLabels } from "./naming.ts";
import { make } from "./objects.ts";
import { type RenderedObject } from "../model/object.ts";

export interface InitScripts {
  objects: RenderedObject[];
  volumes: Volume[];
  mounts: VolumeMount[];
}

/** The init-scripts ConfigMap of a store and the volume that mounts it, or nothing when it has none. */
export function buildInitScripts(target: ResolvedTarget, key: string, name: string, c: StoreComponent): InitScripts {
  const files = Object.keys(c.initScripts ?? {}).sort();
  if (files.length === 0) return { objects: [], volumes: [], mounts: [] };
  const path = engineOf(c).initScriptsPath;
  if (!path)
    throw new ManifoldError(`engine "${c.engine}" runs no init scripts; remove initScripts`, {
      field: `components.${key}.initScripts`,
      target: target.id,
    });
  const configMap = `${name}-init`;
  const data: Record<string, string> = {};
  for (const f of files) data[f] = c.initScripts![f].endsWith("\n") ? c.initScripts![f] : c.initScripts![f] + "\n";
  return {
    objects: [
      {
        band: "foundation",
        component: key,
        object: make(ConfigMap, {
          metadata: {
            name: configMap,
            namespace: target.namespace,
            labels: standardLabels(target, name, "database", c),
          },
          data,
        }),
      },
    ],
    volumes: [{ name: "init-scripts", configMap: { name: configMap, defaultMode: 0o444 } }],
    mounts: [{ name: "init-scripts", mountPath: path, readOnly: true }],
  };
}
