/**
 * `manifold plan`: the exact order Argo CD applies one Application in, step by
 * step (phase, wave, kind, name), and whether it waits for health before the
 * next step.
 */
import type { CompiledTarget } from "./compile.ts";
import { syncPhase, syncWave } from "./argo-order.ts";
import { hasHealthCheck } from "./health.ts";
import { waveGroups } from "./emit/readme.ts";

export interface PlanStep {
  phase: string;
  wave: number;
  objects: { kind: string; name: string; component?: string; health: boolean }[];
  /** What Argo CD waits for before the next step. */
  waitsFor: string[];
  /** True for the final step, which Argo CD does not wait on. */
  last: boolean;
}

export interface Plan {
  target: string;
  cluster: { name: string; server: string };
  namespace: string;
  steps: PlanStep[];
}

/** Builds the run-book of one target's sync. */
export function planTarget(t: CompiledTarget): Plan {
  const groups = waveGroups(t.objects);
  const steps = groups.map((g, i) => {
    const last = i === groups.length - 1;
    const objects = g.objects.map((o) => ({ kind: o.object.kind, name: o.object.metadata.name, component: o.component, health: hasHealthCheck(o.object) }));
    const waitsFor = last ? [] : objects.filter((o) => o.health).map((o) => `${o.kind}/${o.name}`);
    return { phase: syncPhase(g.objects[0].object), wave: syncWave(g.objects[0].object), objects, waitsFor, last };
  });
  return { target: t.target.id, cluster: { name: t.target.cluster.name, server: t.target.cluster.server }, namespace: t.target.namespace, steps };
}

/** The plan as text: one block per step. */
export function formatPlan(plan: Plan): string {
  const lines = [`Sync plan for ${plan.target} on cluster ${plan.cluster.name} (${plan.cluster.server}), namespace ${plan.namespace}`, ""];
  plan.steps.forEach((s, i) => {
    lines.push(`Step ${i + 1}: phase ${s.phase}, wave ${s.wave}`);
    for (const o of s.objects) lines.push(`  ${o.kind.padEnd(24)} ${o.name}${o.health ? "" : "  (no health check)"}`);
    if (s.last) lines.push("  -> last step: Argo CD marks the sync done once applied and does not wait for health");
    else if (s.waitsFor.length) lines.push(`  -> waits until Healthy: ${s.waitsFor.join(", ")}`);
    else lines.push("  -> nothing here has a health check; the next step starts at once");
    lines.push("");
  });
  return lines.join("\n");
}
