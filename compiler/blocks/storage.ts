/**
 * Storage: the cluster StorageClasses a platform's volumes use, and
 * standalone PersistentVolumeClaims (backups and the like). StorageClasses are
 * cluster-scoped, so they keep the name the platform gives them.
 */
import { StorageClass } from "kubernetes-models/storage.k8s.io/v1/StorageClass";
import { PersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import { canonicalQuantity } from "../quantity.ts";
import type { ResolvedTarget } from "../model/target.ts";
import { platformLabels } from "./naming.ts";
import { make } from "./objects.ts";
import { type RenderedObject } from "../model/object.ts";

/** The platform's StorageClasses, in the foundation band (before any claim that names them). */
export function buildStorageClasses(target: ResolvedTarget): RenderedObject[] {
  const classes = target.storageClasses ?? {};
  return Object.keys(classes)
    .sort()
    .map((name) => {
      const s = classes[name];
      return {
        band: "foundation" as const,
        object: make(StorageClass, {
          metadata: { name, labels: platformLabels(target, "storage") },
          provisioner: s.provisioner,
          parameters: s.parameters,
          reclaimPolicy: s.reclaimPolicy ?? "Delete",
          volumeBindingMode: s.volumeBindingMode ?? "WaitForFirstConsumer",
          allowVolumeExpansion: s.allowVolumeExpansion ?? false,
        }),
      };
    });
}

/** The platform's standalone claims, prefixed like every namespaced object. */
export function buildVolumes(target: ResolvedTarget): RenderedObject[] {
  const volumes = target.volumes ?? {};
  return Object.keys(volumes)
    .sort()
    .map((name) => {
      const v = volumes[name];
      return {
        band: "foundation" as const,
        object: make(PersistentVolumeClaim, {
          metadata: {
            name: `${target.namePrefix}${name}`,
            namespace: target.namespace,
            labels: platformLabels(target, "storage"),
          },
          spec: {
            accessModes: v.accessModes ?? ["ReadWriteOnce"],
            storageClassName: v.storageClass,
            resources: { requests: { storage: canonicalQuantity(v.storage) } },
          },
        }),
      };
    });
}
