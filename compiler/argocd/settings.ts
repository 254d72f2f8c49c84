/**
 * The Argo CD settings the rendered output relies on, as "patches" Argo CD
 * can apply itself: each is a full ConfigMap carrying ONLY the keys Manifold
 * owns. The bootstrap Application syncs them with server-side apply, so the
 * keys the Argo CD installation set stay as they are and Manifold's field
 * manager owns just these; `Prune=false,Delete=false` keeps Argo CD from ever
 * deleting its own ConfigMaps when a key (or the file) goes away.
 *
 * - `argocd-cmd-params-cm`: the ApplicationSet controller's policy override
 *   (so each ApplicationSet's `applicationsSync: create-update` holds and the
 *   controller never deletes an Application), and its progressive-sync switch
 *   when an environment rolls out with RollingSync (the controller reads both
 *   at start: restart it once after the first sync).
 * - `argocd-cm`: annotation resource tracking (Manifold never writes
 *   `app.kubernetes.io/instance`), plus a Lua health check for each custom
 *   resource kind whose output a later wave reads and that Argo CD cannot
 *   assess (none today: ExternalSecret's check is bundled), CloudNativePG's
 *   one-off Backup (the base backup replica clusters bootstrap from), and the
 *   Application health check when an Application sits in a wave that is
 *   waited on (app-of-apps waves).
 */
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { ArgoCdDescription } from "../describe/types.ts";
import type { CompiledTarget } from "../model/target.ts";
import { make } from "../blocks/objects.ts";
import { type KubeObject, type RenderedObject } from "../model/object.ts";
import { apiGroup, hasHealthCheck } from "../sync/health.ts";
import { isKnownKind, syncWave } from "../sync/apply-order.ts";
import { waveGroups } from "../sync/waves.ts";
import { podReferences } from "../sync/hazards.ts";
import {
  NEVER_PRUNE_OPTIONS,
  SERVER_SIDE_APPLY_OPTION,
  SYNC_OPTIONS_ANNOTATION,
  WAVE_ANNOTATION,
} from "../sync/annotations.ts";
import { layerLabels } from "./labels.ts";
import { isCnpgBackup } from "../kube/cnpg.ts";

export const PROGRESSIVE_SYNCS_KEY = "applicationsetcontroller.enable.progressive.syncs";
/** Lets each ApplicationSet's `applicationsSync` replace the controller's `--policy` (default `sync`). */
export const POLICY_OVERRIDE_KEY = "applicationsetcontroller.enable.policy.override";
export const TRACKING_KEY = "application.resourceTrackingMethod";

/** Waits for the `Ready` condition; a resource with no conditions yet is Progressing. */
export const READY_CONDITION_LUA = `hs = { status = "Progressing", message = "Waiting for the Ready condition" }
if obj.status ~= nil and obj.status.conditions ~= nil then
  for _, condition in ipairs(obj.status.conditions) do
    if condition.type == "Ready" then
      if condition.status == "True" then
        hs.status = "Healthy"
      elseif condition.status == "False" then
        hs.status = "Degraded"
      end
      hs.message = condition.message or condition.reason or ""
    end
  end
end
return hs
`;

/**
 * A CloudNativePG one-off Backup (Argo CD bundles no check for it): Healthy once completed, Degraded when it failed
 * or WAL archiving fails (a failed Backup is final: delete it and sync again to retry), Progressing before. The
 * base backup replica clusters bootstrap from.
 */
export const BACKUP_HEALTH_LUA = `hs = { status = "Progressing", message = "Waiting for the backup to complete" }
if obj.status ~= nil and obj.status.phase ~= nil then
  if obj.status.phase == "completed" then
    hs.status = "Healthy"
  elseif obj.status.phase == "failed" or obj.status.phase == "walArchivingFailing" then
    hs.status = "Degraded"
  end
  hs.message = obj.status.error or ("backup " .. obj.status.phase)
end
return hs
`;

/** Argo CD's Application health, removed from Argo CD in 1.8 and needed again for app-of-apps waves. */
export const APPLICATION_HEALTH_LUA = `hs = { status = "Progressing", message = "" }
if obj.status ~= nil and obj.status.health ~= nil then
  hs.status = obj.status.health.status
  if obj.status.health.message ~= nil then
    hs.message = obj.status.health.message
  end
end
return hs
`;

/** The health-check key of a group and kind in argocd-cm. */
export function healthKey(group: string, kind: string): string {
  return `resource.customizations.health.${group ? `${group}_` : ""}${kind}`;
}

/**
 * Custom resource kinds (`group/Kind`) a later step must really wait for,
 * and that Argo CD cannot assess: a custom resource that produces a Secret or
 * ConfigMap (`spec.target.name`, `spec.secretName`) which a pod in a later
 * step reads. Any other custom resource without a health check is rightly
 * treated as ready at once; giving it a check that waits for a condition it
 * may never report (a VPA, an Istio object) would stall the sync.
 */
export function kindsNeedingHealthChecks(objectSets: RenderedObject[][]): string[] {
  const out = new Set<string>();
  for (const objects of objectSets) for (const kind of kindsWaitedOn(objects)) out.add(kind);
  return [...out].sort();
}

const waitedOn = new WeakMap<RenderedObject[], string[]>();

/** kindsNeedingHealthChecks of one target's objects, worked out once per array (every layer asks for every target). */
function kindsWaitedOn(objects: RenderedObject[]): string[] {
  const known = waitedOn.get(objects);
  if (known) return known;
  const out = new Set<string>();
  // from the last wave back, the Secrets and ConfigMaps the pods of every later wave read
  const later = new Set<string>();
  for (const g of waveGroups(objects).reverse()) {
    for (const { object } of g.objects) {
      if (isKnownKind(object.kind) || hasHealthCheck(object)) continue;
      const spec = object.spec as { target?: { name?: string }; secretName?: string } | undefined;
      const produced = [spec?.target?.name, spec?.secretName].filter((n): n is string => typeof n === "string");
      if (produced.some((name) => later.has(name))) out.add(`${apiGroup(object)}/${object.kind}`);
    }
    for (const { object } of g.objects)
      for (const ref of podReferences(object))
        if (ref.kind === "Secret" || ref.kind === "ConfigMap") later.add(ref.name);
  }
  const kinds = [...out];
  waitedOn.set(objects, kinds);
  return kinds;
}

/** True when an Application sits in a wave that is waited on. */
export function usesAppOfAppsWaves(objects: KubeObject[]): boolean {
  const waves = [...new Set(objects.map(syncWave))].sort((a, b) => a - b);
  const last = waves[waves.length - 1];
  return objects.some((o) => o.kind === "Application" && syncWave(o) !== last);
}

const PATCH_ANNOTATIONS = {
  [WAVE_ANNOTATION]: "-2",
  [SYNC_OPTIONS_ANNOTATION]: [...NEVER_PRUNE_OPTIONS, SERVER_SIDE_APPLY_OPTION].join(","),
  "manifold.dev/owns": "only the keys listed here; the installation's other keys are left alone (server-side apply)",
};

function settingsMap(name: string, layer: ArgoCdDescription, data: Record<string, string>): KubeObject {
  return make(ConfigMap, {
    metadata: {
      name,
      namespace: layer.namespace,
      labels: { ...layerLabels("settings"), "app.kubernetes.io/name": name, "app.kubernetes.io/part-of": "argocd" },
      annotations: { ...PATCH_ANNOTATIONS },
    },
    data,
  });
}

/**
 * The settings ConfigMaps: the compiled targets decide the health checks, the RollingSync ApplicationSets the
 * progressive-sync switch; `appOfApps` are the object sets of the other app-of-apps folders (clusters' add-ons).
 */
export function buildSettings(
  layer: ArgoCdDescription,
  targets: CompiledTarget[],
  layerObjects: KubeObject[],
  appOfApps: KubeObject[][] = [],
): KubeObject[] {
  const out: KubeObject[] = [];
  const params: Record<string, string> = { [POLICY_OVERRIDE_KEY]: "true" };
  const rolling = (o: KubeObject) =>
    o.kind === "ApplicationSet" && (o.spec as { strategy?: { type?: string } }).strategy?.type === "RollingSync";
  if (Object.values(layer.environments).some((e) => e.rollout.type === "RollingSync") || layerObjects.some(rolling))
    params[PROGRESSIVE_SYNCS_KEY] = "true";
  out.push(settingsMap("argocd-cmd-params-cm", layer, params));
  const cm: Record<string, string> = { [TRACKING_KEY]: "annotation" };
  for (const groupKind of kindsNeedingHealthChecks(targets.map((t) => t.objects))) {
    const [group, kind] = groupKind.split("/");
    cm[healthKey(group, kind)] = READY_CONDITION_LUA;
  }
  if (targets.some((t) => t.objects.some(({ object }) => isCnpgBackup(object))))
    cm[healthKey("postgresql.cnpg.io", "Backup")] = BACKUP_HEALTH_LUA;
  if ([layerObjects, ...appOfApps].some(usesAppOfAppsWaves))
    cm[healthKey("argoproj.io", "Application")] = APPLICATION_HEALTH_LUA;
  out.push(settingsMap("argocd-cm", layer, cm));
  return out;
}
