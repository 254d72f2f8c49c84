import type { Rule } from "../context.ts";
import { containersOf, podSpecOf } from "../../kube/pods.ts";
import { asRecord, obj, objects, str } from "../../kube/loose.ts";
import { isQuantity } from "../../quantity.ts";
import { formatBytes, quantityBytes, type MemoryView } from "../../stores/memory.ts";
import type { RenderedObject } from "../../model/object.ts";
import type { ContainerShape, PodSpecShape } from "../../kube/pods.ts";
import { storeEngineOf } from "../store-engine.ts";

/** The files a container mounts from ConfigMaps of the target, by path (`<mountPath>/<key>`). */
function mountedFiles(objects: RenderedObject[], pod: PodSpecShape, c: ContainerShape): Record<string, string> {
  const files: Record<string, string> = {};
  for (const m of c.volumeMounts ?? []) {
    const volume = (pod.volumes ?? []).find((v) => v?.name === m?.name);
    const name = volume?.configMap?.name;
    const cm = objects.find((o) => o.object.kind === "ConfigMap" && o.object.metadata.name === name);
    for (const [key, value] of Object.entries(asRecord(cm?.object.data) ?? {}))
      if (typeof value === "string" && m?.mountPath) files[`${m.mountPath}/${key}`] = value;
  }
  return files;
}

/** The data volume claim's size, in bytes, of a StatefulSet. */
function storageOf(o: RenderedObject): number | undefined {
  const claim = objects(obj(o.object.spec).volumeClaimTemplates).find(([t]) => obj(t.metadata).name === "data")?.[0];
  const size = obj(obj(obj(claim?.spec).resources).requests).storage;
  return isQuantity(size) ? quantityBytes(size as string) : undefined;
}

/**
 * Memory the store process can hold within its container: every memory ceiling its engine declares (Redis's
 * `maxmemory`, NATS's GOMEMLIMIT and JetStream limits, Neo4j's heap and page cache) is set, and leaves the headroom the
 * engine needs below the container's memory limit (forks, off-heap memory); else the kernel kills it under load.
 */
export const memorySettingsRule: Rule = {
  name: "memory-settings",
  description: "every store process's memory ceilings are set, within its memory limit less the engine's headroom",
  check(ctx, report) {
    for (const o of ctx.objects) {
      if (o.object.kind !== "StatefulSet") continue;
      const component = o.component ? ctx.target.components[o.component] : undefined;
      if (component?.type !== "store") continue;
      const memory = storeEngineOf(ctx.target, o)?.memory;
      const pod = podSpecOf(o.object);
      if (!memory || !pod) continue;
      for (const { container, pointer } of containersOf(o.object)) {
        const limit = container.resources?.limits?.memory;
        if (container.name !== component.engine || !isQuantity(limit)) continue;
        const env: Record<string, string> = {};
        for (const e of container.env ?? []) if (e?.name && typeof e.value === "string") env[e.name] = e.value;
        const view: MemoryView = {
          words: [...(container.command ?? []), ...(container.args ?? [])].filter((w) => typeof w === "string"),
          env,
          files: mountedFiles(ctx.objects, pod.spec, container),
          limit: quantityBytes(limit as string),
          storage: storageOf(o),
        };
        for (const ceiling of memory.ceilings(view)) {
          const over = ceiling.bytes !== undefined && ceiling.bytes > ceiling.max;
          if (ceiling.bytes !== undefined && !over) continue;
          const most = `${formatBytes(ceiling.max)} for ${ceiling.bound ?? `its ${str(limit)} memory limit`}`;
          report(o, {
            pointer: `${pointer}/resources/limits/memory`,
            message:
              ceiling.bytes === undefined
                ? `container ${container.name} sets no ${ceiling.setting} (at most ${most}): ${ceiling.why}`
                : `container ${container.name} sets ${ceiling.setting} to ${formatBytes(ceiling.bytes)}, above ${most}: ${ceiling.why}`,
            fix: `set ${ceiling.setting} to at most ${formatBytes(ceiling.max)} (the store block sets it from the memory limit), or raise the limit`,
          });
        }
      }
    }
  },
};
