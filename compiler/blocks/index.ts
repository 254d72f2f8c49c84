/**
 * Phase 3, build: turn each resolved target into Kubernetes objects, using
 * the building blocks (service, store, config, secrets, network, namespace).
 */
import { ManifoldError, combineErrors } from "../errors.ts";
import type { ResolvedTarget } from "../model/target.ts";
import { buildConfig } from "./config.ts";
import { buildTrust } from "./trust.ts";
import { buildNamespace } from "./namespace.ts";
import { buildNetworkPolicies } from "./network.ts";
import type { RenderedObject } from "../model/object.ts";
import { WAIVER_PREFIX } from "../describe/waivers.ts";
import { buildSecrets } from "./secrets.ts";
import { buildService } from "./service.ts";
import { buildStore } from "./store.ts";
import { buildAccess } from "./rbac.ts";
import { buildDashboards, buildServiceMonitor } from "./monitoring.ts";
import { buildHooks } from "./hooks.ts";
import { buildIngresses } from "./ingress.ts";
import { buildVerticalScaling } from "./vpa.ts";
import { buildStorageClasses, buildVolumes } from "./storage.ts";
import { buildMesh } from "./mesh.ts";
import { buildLatencyRecords } from "./latency-records.ts";
import { buildAlertRules } from "./alerts.ts";
import { buildAlertRouting } from "./alert-routing.ts";
import { buildPrometheusStack } from "./prometheus-stack.ts";
import { buildTracing } from "./tracing.ts";
import { buildVolumeSnapshots } from "./velero.ts";
import type { BuiltTarget } from "../model/target.ts";

/** Marks a component's objects with its waivers (`waive.manifold.dev/<rule>: <reason>`). */
export function withWaivers(objects: RenderedObject[], waive: Record<string, string> | undefined): RenderedObject[] {
  if (!waive || Object.keys(waive).length === 0) return objects;
  const annotations = Object.fromEntries(Object.entries(waive).map(([rule, reason]) => [WAIVER_PREFIX + rule, reason]));
  return objects.map((o) => ({
    ...o,
    object: {
      ...o.object,
      metadata: { ...o.object.metadata, annotations: { ...(o.object.metadata.annotations ?? {}), ...annotations } },
    },
  }));
}

/** Builds every object of one target. */
export function buildTarget(target: ResolvedTarget): BuiltTarget {
  const objects: RenderedObject[] = [
    ...buildNamespace(target),
    ...buildConfig(target),
    ...buildTrust(target),
    ...buildSecrets(target),
    ...buildNetworkPolicies(target),
  ];
  for (const key of Object.keys(target.components).sort()) {
    const c = target.components[key];
    try {
      const own = [
        ...(c.type === "service" ? buildService(target, key, c) : buildStore(target, key, c)),
        ...buildAccess(target, key, c),
        ...buildServiceMonitor(target, key, c),
        ...buildVerticalScaling(target, key, c),
      ];
      objects.push(...withWaivers(own, c.waive));
    } catch (e) {
      if (e instanceof ManifoldError)
        throw new ManifoldError(e.message, {
          file: e.file ?? target.sources[0],
          field: e.field ?? `components.${key}`,
          target: target.id,
        });
      throw e;
    }
  }
  objects.push(...buildHooks(target), ...buildDashboards(target, target.dashboards));
  try {
    objects.push(...buildIngresses(target));
    objects.push(
      ...buildStorageClasses(target),
      ...buildVolumes(target),
      ...buildMesh(target),
      ...buildLatencyRecords(target),
      ...buildPrometheusStack(target),
      ...buildAlertRules(target),
      ...buildAlertRouting(target),
      ...buildTracing(target),
      ...buildVolumeSnapshots(target),
    );
  } catch (e) {
    if (e instanceof ManifoldError)
      throw new ManifoldError(e.message, { file: e.file ?? target.sources[0], field: e.field, target: target.id });
    throw e;
  }
  return { target, objects };
}

/** Phase 3 entry point: builds every target, reporting every failure together. */
export function build(targets: ResolvedTarget[]): BuiltTarget[] {
  const errors: ManifoldError[] = [];
  const built: BuiltTarget[] = [];
  for (const t of targets) {
    try {
      built.push(buildTarget(t));
    } catch (e) {
      if (e instanceof ManifoldError) errors.push(e);
      else throw e;
    }
  }
  if (errors.length) throw combineErrors(errors);
  return built;
}
