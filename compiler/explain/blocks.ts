/**
 * Which building block made an object: each block of `blocks/index.ts` is run
 * on its own over the resolved target and its objects are claimed by it. An
 * object no block claims is reported, never guessed.
 */
import type { RenderedObject } from "../model/object.ts";
import type { ResolvedTarget } from "../model/target.ts";
import { buildConfig } from "../blocks/config.ts";
import { buildTrust } from "../blocks/trust.ts";
import { buildNamespace } from "../blocks/namespace.ts";
import { buildNetworkPolicies } from "../blocks/network.ts";
import { buildSecrets } from "../blocks/secrets.ts";
import { buildService } from "../blocks/service.ts";
import { buildStore } from "../blocks/store.ts";
import { buildAccess } from "../blocks/rbac.ts";
import { buildDashboards, buildServiceMonitor } from "../blocks/monitoring.ts";
import { buildHooks } from "../blocks/hooks.ts";
import { buildIngresses } from "../blocks/ingress.ts";
import { buildVerticalScaling } from "../blocks/vpa.ts";
import { buildStorageClasses, buildVolumes } from "../blocks/storage.ts";
import { buildMesh } from "../blocks/mesh.ts";
import { buildLatencyRecords } from "../blocks/latency-records.ts";
import { buildAlertRules } from "../blocks/alerts.ts";
import { buildAlertRouting } from "../blocks/alert-routing.ts";
import { buildPrometheusStack } from "../blocks/prometheus-stack.ts";
import { buildTracing } from "../blocks/tracing.ts";
import { buildVolumeSnapshots } from "../blocks/velero.ts";
import { objectKey } from "./stages.ts";

/** A building block: its name (`service`, `namespace`...) and source file. */
export interface BlockRef {
  name: string;
  file: string;
}

type Builder = [name: string, file: string, build: (t: ResolvedTarget) => RenderedObject[]];

const each =
  (fn: (t: ResolvedTarget, key: string) => RenderedObject[]) =>
  (t: ResolvedTarget): RenderedObject[] =>
    Object.keys(t.components).flatMap((key) => fn(t, key));

const BUILDERS: Builder[] = [
  ["namespace", "compiler/blocks/namespace.ts", buildNamespace],
  ["config", "compiler/blocks/config.ts", buildConfig],
  ["trust", "compiler/blocks/trust.ts", buildTrust],
  ["secrets", "compiler/blocks/secrets.ts", buildSecrets],
  ["network", "compiler/blocks/network.ts", buildNetworkPolicies],
  [
    "service",
    "compiler/blocks/service.ts",
    each((t, k) => {
      const c = t.components[k];
      return c.type === "service" ? buildService(t, k, c) : [];
    }),
  ],
  [
    "store",
    "compiler/blocks/store.ts",
    each((t, k) => {
      const c = t.components[k];
      return c.type === "service" ? [] : buildStore(t, k, c);
    }),
  ],
  ["rbac", "compiler/blocks/rbac.ts", each((t, k) => buildAccess(t, k, t.components[k]))],
  ["monitoring", "compiler/blocks/monitoring.ts", each((t, k) => buildServiceMonitor(t, k, t.components[k]))],
  ["vpa", "compiler/blocks/vpa.ts", each((t, k) => buildVerticalScaling(t, k, t.components[k]))],
  ["hooks", "compiler/blocks/hooks.ts", buildHooks],
  ["monitoring", "compiler/blocks/monitoring.ts", (t) => buildDashboards(t, t.dashboards)],
  ["ingress", "compiler/blocks/ingress.ts", buildIngresses],
  ["storage", "compiler/blocks/storage.ts", (t) => [...buildStorageClasses(t), ...buildVolumes(t)]],
  ["mesh", "compiler/blocks/mesh.ts", buildMesh],
  ["latency-records", "compiler/blocks/latency-records.ts", buildLatencyRecords],
  ["prometheus-stack", "compiler/blocks/prometheus-stack.ts", buildPrometheusStack],
  ["alerts", "compiler/blocks/alerts.ts", buildAlertRules],
  ["alert-routing", "compiler/blocks/alert-routing.ts", buildAlertRouting],
  ["tracing", "compiler/blocks/tracing.ts", buildTracing],
  ["velero", "compiler/blocks/velero.ts", buildVolumeSnapshots],
];

const claims = new WeakMap<ResolvedTarget, Map<string, BlockRef>>();

/** The building block that made `o` in `target`; an error names an object no block claims. */
export function blockOf(target: ResolvedTarget, o: RenderedObject): BlockRef {
  let map = claims.get(target);
  if (!map) {
    map = new Map();
    for (const [name, file, build] of BUILDERS)
      for (const made of build(target))
        if (!map.has(objectKey(made.object))) map.set(objectKey(made.object), { name, file });
    claims.set(target, map);
  }
  const found = map.get(objectKey(o.object));
  if (!found) throw new Error(`explain: no building block claims ${objectKey(o.object)} in ${target.id}`);
  return found;
}
