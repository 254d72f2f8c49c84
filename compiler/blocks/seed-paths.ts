/**
 * Writable copies of the image's own configuration directories. Under a read-only root filesystem an engine that
 * writes its configuration at start needs an emptyDir there, and an empty one hides the files the image ships; an
 * init container running the same image copies the directory into the volume first.
 */
import type { IIoK8sApiCoreV1Container as Container } from "kubernetes-models/v1";
import { containerSecurity, volumeName } from "./pod.ts";

/** The init container that copies each of `paths` from the image into its emptyDir, or none when there are no paths. */
export function seedContainers(image: string, paths: string[], resources: Container["resources"]): Container[] {
  if (!paths.length) return [];
  const sorted = [...paths].sort();
  const copy = sorted.map((p, i) => `if [ -d ${p} ]; then cp -R ${p}/. /seed/${i}/; fi`).join("; ");
  return [
    {
      name: "seed-config",
      image,
      command: ["/bin/sh", "-c", copy],
      resources,
      securityContext: containerSecurity(),
      volumeMounts: sorted.map((p, i) => ({ name: volumeName(p), mountPath: `/seed/${i}` })),
    },
  ];
}
