/**
 * One target compiled phase by phase, keeping each stage's objects, so
 * explain can tell what the blocks made, what order computed and what a patch
 * changed. Nothing is written.
 */
import { resolve } from "../resolve.ts";
import { buildTarget } from "../blocks/index.ts";
import { order } from "../order.ts";
import { patch } from "../patch.ts";
import { sortForSync } from "../sync/apply-order.ts";
import { ManifoldError } from "../errors.ts";
import type { Project } from "../model/project.ts";
import type { KubeObject, RenderedObject } from "../model/object.ts";
import type { ResolvedTarget, TargetFilter, WavePlan } from "../model/target.ts";

export interface Stages {
  target: ResolvedTarget;
  /** What the building blocks made. */
  built: RenderedObject[];
  /** After the order phase (sync waves, sync options). */
  ordered: RenderedObject[];
  /** After the patches, in sync order: what is rendered. */
  final: RenderedObject[];
  waves: WavePlan;
}

/** The identity of an object within a target. */
export function objectKey(o: KubeObject): string {
  return `${o.apiVersion} ${o.kind}/${o.metadata.name}`;
}

/** Resolves one target and runs build, order and patch on it. */
export function compileStages(project: Project, filter: Required<TargetFilter>): Stages {
  const [target] = resolve(project, filter);
  if (!target)
    throw new ManifoldError(`no target ${filter.platform} in ${filter.environment}/${filter.region}`, {
      target: `${filter.platform}/${filter.environment}/${filter.region}`,
    });
  const built = buildTarget(target);
  const ordered = order(built);
  const patched = patch(ordered);
  return {
    target,
    built: built.objects,
    ordered: ordered.objects,
    final: sortForSync(patched.objects),
    waves: ordered.waves,
  };
}

/** A resolved target as text, without its provenance: equal texts build equal objects. */
export function resolvedText(target: ResolvedTarget): string {
  const { provenance: _p, sources: _s, ...rest } = target;
  return JSON.stringify(rest);
}

/**
 * Resolves one target, then builds and orders it (no patches): what the trace compares. Returns "same" without
 * building when the resolved target's text is `unchanged`; throws when the target does not compile.
 */
export function resolveAndOrder(
  project: Project,
  filter: Required<TargetFilter>,
  unchanged: string,
): RenderedObject[] | "same" {
  const [target] = resolve(project, filter);
  if (!target) throw new ManifoldError("the target is gone", {});
  if (resolvedText(target) === unchanged) return "same";
  return order(buildTarget(target)).objects;
}

/** Every leaf of an object by JSON pointer (empty objects and lists count as leaves). */
export function flatten(value: unknown, at = "", out = new Map<string, unknown>()): Map<string, unknown> {
  if (typeof value === "object" && value !== null) {
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    if (entries.length === 0) out.set(at, value);
    for (const [k, v] of entries) flatten(v, `${at}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`, out);
  } else if (value !== undefined) out.set(at, value);
  return out;
}
