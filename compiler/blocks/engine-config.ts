/**
 * A store engine's configuration file (`configFile` of its engine: JetStream's limits, say): a ConfigMap
 * `<name>-server-config` mounted read-only at the file's directory, which holds nothing else.
 */
import type { IIoK8sApiCoreV1Volume as Volume, IIoK8sApiCoreV1VolumeMount as VolumeMount } from "kubernetes-models/v1";
import { createHash } from "../hash.ts";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { StoreComponent } from "../describe/types.ts";
import type { ResolvedTarget } from "../model/target.ts";
import { engineOf } from "../stores/index.ts";
import { standardLabels } from "./naming.ts";
import { make, plain } from "./objects.ts";
import { type RenderedObject } from "../model/object.ts";

export interface EngineConfig {
  objects: RenderedObject[];
  volumes: Volume[];
  mounts: VolumeMount[];
  /** The pod annotations that roll the pods when the file changes (the server reads it only at start). */
  annotations: Record<string, string>;
}

/** The configuration ConfigMap of a store's engine and the volume that mounts it, or nothing when it reads none. */
export function buildEngineConfig(target: ResolvedTarget, key: string, name: string, c: StoreComponent): EngineConfig {
  const file = engineOf(c).configFile?.(c);
  if (!file) return { objects: [], volumes: [], mounts: [], annotations: {} };
  const slash = file.path.lastIndexOf("/");
  const configMap = `${name}-server-config`;
  const object = make(ConfigMap, {
    metadata: { name: configMap, namespace: target.namespace, labels: standardLabels(target, name, "database", c) },
    data: { [file.path.slice(slash + 1)]: file.content },
  });
  return {
    objects: [{ band: "foundation", component: key, object: plain(object) }],
    volumes: [{ name: "server-config", configMap: { name: configMap, defaultMode: 0o444 } }],
    mounts: [{ name: "server-config", mountPath: file.path.slice(0, slash), readOnly: true }],
    annotations: { "manifold.dev/config-hash": createHash("sha256").update(file.content).digest("hex").slice(0, 16) },
  };
}
