/**
 * Argo CD's apply order inside one Application, as gitops-engine sorts sync
 * tasks: phase, then wave, then kind (by its fixed kind list, matched on kind
 * only; every other kind, custom resources included, sorts after all listed
 * kinds in its wave), then name.
 */
import type { KubeObject } from "../model/object.ts";
import type { SyncPhase } from "../model/hook.ts";
import { HELM_HOOK_WEIGHT_ANNOTATION, HOOK_ANNOTATION, WAVE_ANNOTATION } from "./annotations.ts";

/** gitops-engine's `kindOrder`, in order. */
export const KIND_ORDER = [
  "Namespace",
  "NetworkPolicy",
  "ResourceQuota",
  "LimitRange",
  "PodSecurityPolicy",
  "PodDisruptionBudget",
  "ServiceAccount",
  "Secret",
  "SecretList",
  "ConfigMap",
  "StorageClass",
  "PersistentVolume",
  "PersistentVolumeClaim",
  "CustomResourceDefinition",
  "ClusterRole",
  "ClusterRoleList",
  "ClusterRoleBinding",
  "ClusterRoleBindingList",
  "Role",
  "RoleList",
  "RoleBinding",
  "RoleBindingList",
  "Service",
  "DaemonSet",
  "Pod",
  "ReplicationController",
  "ReplicaSet",
  "Deployment",
  "HorizontalPodAutoscaler",
  "StatefulSet",
  "Job",
  "CronJob",
  "IngressClass",
  "Ingress",
  "APIService",
];

const KIND_RANK = new Map(KIND_ORDER.map((k, i) => [k, i - KIND_ORDER.length]));

export const PHASE_ORDER: Record<SyncPhase, number> = { PreSync: -1, Sync: 0, PostSync: 1, SyncFail: 2 };

/** The kind's rank: negative for listed kinds, 0 for everything else. */
export function kindRank(kind: string): number {
  return KIND_RANK.get(kind) ?? 0;
}

/** True when Argo CD's kind list names this kind (so it sorts before custom resources in a wave). */
export function isKnownKind(kind: string): boolean {
  return KIND_RANK.has(kind);
}

/** True when the object is a sync hook (it carries the hook annotation). */
export function isHook(obj: KubeObject): boolean {
  return obj.metadata.annotations?.[HOOK_ANNOTATION] !== undefined;
}

/** The object's sync phase: its first hook type, or Sync. */
export function syncPhase(obj: KubeObject): SyncPhase {
  const hook = obj.metadata.annotations?.[HOOK_ANNOTATION];
  if (!hook) return "Sync";
  for (const h of hook.split(",").map((s) => s.trim())) if (Object.hasOwn(PHASE_ORDER, h)) return h as SyncPhase;
  return "Sync";
}

/** The object's wave: its sync-wave annotation parsed as an integer, else the Helm hook weight, else 0. */
export function syncWave(obj: KubeObject): number {
  const annotations = obj.metadata.annotations;
  if (!annotations) return 0;
  const raw = annotations[WAVE_ANNOTATION] ?? annotations[HELM_HOOK_WEIGHT_ANNOTATION];
  if (raw === undefined) return 0;
  const text = raw.trim();
  return /^[-+]?\d+$/.test(text) ? Number.parseInt(text, 10) : 0;
}

/** Compares two objects in Argo CD's sync order. */
export function compareSyncOrder(a: KubeObject, b: KubeObject): number {
  return (
    PHASE_ORDER[syncPhase(a)] - PHASE_ORDER[syncPhase(b)] ||
    syncWave(a) - syncWave(b) ||
    kindRank(a.kind) - kindRank(b.kind) ||
    (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0)
  );
}

/**
 * Returns a new array in Argo CD's sync order (compareSyncOrder, with each
 * object's phase, wave and kind rank worked out once), including
 * gitops-engine's post-sort adjustment: a Namespace moves before the first
 * object in it, and a CustomResourceDefinition before the first object of its
 * group and kind (each then runs in that object's phase and wave).
 */
export function sortForSync<T extends { object: KubeObject }>(items: T[]): T[] {
  const keyed = items.map((item) => ({
    item,
    phase: PHASE_ORDER[syncPhase(item.object)],
    wave: syncWave(item.object),
    rank: kindRank(item.object.kind),
    name: item.object.metadata.name,
  }));
  keyed.sort(
    (a, b) =>
      a.phase - b.phase || a.wave - b.wave || a.rank - b.rank || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  const sorted = keyed.map((k) => k.item);
  const moveBefore = (dependency: T, isDependent: (o: KubeObject) => boolean) => {
    const at = sorted.indexOf(dependency);
    const first = sorted.findIndex((x) => x !== dependency && isDependent(x.object));
    if (first >= 0 && first < at) {
      sorted.splice(at, 1);
      sorted.splice(first, 0, dependency);
    }
  };
  for (const item of sorted.filter((x) => x.object.kind === "Namespace" && x.object.apiVersion === "v1")) {
    moveBefore(item, (o) => o.metadata.namespace === item.object.metadata.name);
  }
  for (const item of sorted.filter((x) => x.object.kind === "CustomResourceDefinition")) {
    const spec = item.object.spec as { group?: string; names?: { kind?: string } } | undefined;
    moveBefore(item, (o) => o.kind === spec?.names?.kind && o.apiVersion.split("/")[0] === spec?.group);
  }
  return sorted;
}
