/**
 * Configuration files a service reads (`files`): each directory becomes a
 * ConfigMap mounted read-only at that path, e.g. Grafana's provisioning.
 */
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IIoK8sApiCoreV1Volume as Volume, IIoK8sApiCoreV1VolumeMount as VolumeMount } from "kubernetes-models/v1";
import type { ServiceComponent } from "../describe/types.ts";
import type { ResolvedTarget } from "../model/target.ts";
import { make } from "./objects.ts";
import { type RenderedObject } from "../model/object.ts";

function slug(dir: string): string {
  return dir
    .replace(/[^a-z0-9]+/gi, "-")
    .replace(/^-|-$/g, "")
    .toLowerCase();
}

/** The ConfigMaps, volumes and mounts for a service's `files`, in a stable order. */
export function configFiles(
  target: ResolvedTarget,
  name: string,
  labels: Record<string, string>,
  c: ServiceComponent,
): { objects: RenderedObject[]; volumes: Volume[]; mounts: VolumeMount[] } {
  const out = { objects: [] as RenderedObject[], volumes: [] as Volume[], mounts: [] as VolumeMount[] };
  for (const dir of Object.keys(c.files ?? {}).sort()) {
    const cmName = `${name}-${slug(dir)}`.slice(0, 253);
    const volume = `files-${slug(dir)}`.slice(0, 63).replace(/-+$/, "");
    const files = c.files![dir];
    out.objects.push({
      band: "foundation",
      object: make(ConfigMap, {
        metadata: { name: cmName, namespace: target.namespace, labels },
        data: Object.fromEntries(
          Object.keys(files)
            .sort()
            .map((f) => [f, files[f]]),
        ),
      }),
    });
    out.volumes.push({ name: volume, configMap: { name: cmName } });
    out.mounts.push({ name: volume, mountPath: dir, readOnly: true });
  }
  return out;
}
