/**
 * `manifold plan`: the exact order Argo CD applies one Application in, step by
 * step (phase, wave, kind, name), and whether it waits for health before the
 * next step.
 */
import type { CompiledTarget } from "./model/target.ts";
import { isHook, syncPhase, syncWave } from "./sync/apply-order.ts";
import { hasHealthCheck } from "./sync/health.ts";
import { waveGroups } from "./sync/waves.ts";
import { findHazards, type Hazard } from "./sync/hazards.ts";
import { latePolicyHazards } from "./sync/policy-hazards.ts";
import { workloadDependencies } from "./graph/sync-graph.ts";
import { judgePath, trafficPaths, type PathCheck } from "./graph/traffic.ts";

const BAND_LABELS: Record<string, string> = {
  foundation: "namespace, policies, RBAC, config and the secret store",
  secrets: "secrets",
  scaling: "autoscalers and disruption budgets",
  edge: "edge and mesh",
  observability: "observability",
  settle: "the base backups other regions restore from",
};

/** What a step does, in words: its bands, and the components whose workloads or hooks it starts. */
function describeStep(objects: CompiledTarget["objects"]): string {
  const parts: string[] = [];
  for (const o of objects) {
    const label =
      o.band === "workload" || o.band === "hook"
        ? o.band === "hook"
          ? `run the ${o.component} hook`
          : `start ${o.component}`
        : BAND_LABELS[o.band];
    if (label && !parts.includes(label)) parts.push(label);
  }
  return parts.join("; ");
}

export interface PlanStep {
  phase: string;
  wave: number;
  /** What the step does, in words. */
  summary: string;
  objects: { kind: string; name: string; component?: string; health: boolean; hook: boolean }[];
  /** What Argo CD waits for before the next step. */
  waitsFor: string[];
  /** True for the final step of a successful sync when it holds no hook: Argo CD does not wait on it. */
  last: boolean;
  /** True for SyncFail steps, which run only when the sync fails. */
  onFailure: boolean;
}

export interface Plan {
  target: string;
  cluster: { name: string; server: string };
  namespace: string;
  steps: PlanStep[];
  /** Ordering hazards found by simulating the sync. */
  hazards: Hazard[];
  /** Every connection the description implies, allowed or denied, and what decided each check. */
  reachability: PlanPath[];
}

/** One connection of `manifold plan`: its ends, port, what implies it, and each check with what decided it. */
export interface PlanPath {
  from: string;
  to: string;
  port: string;
  via: string[];
  allowed: boolean;
  /** True when the only evidence is a URL the client receives with a whole ConfigMap (a denial is then a warning). */
  wholesale: boolean;
  checks: PathCheck[];
}

/** Builds the run-book of one target's sync. */
export function planTarget(t: CompiledTarget): Plan {
  const groups = waveGroups(t.objects);
  const phases = groups.map((g) => syncPhase(g.objects[0].object));
  let lastSuccessStep = -1;
  phases.forEach((phase, i) => {
    if (phase !== "SyncFail") lastSuccessStep = i;
  });
  const steps = groups.map((g, i) => {
    const phase = syncPhase(g.objects[0].object);
    const objects = g.objects.map((o) => ({
      kind: o.object.kind,
      name: o.object.metadata.name,
      component: o.component,
      health: hasHealthCheck(o.object),
      hook: isHook(o.object),
    }));
    // Argo CD always waits for hooks to complete; plain resources of the final step are not waited on.
    const last = i === lastSuccessStep && !objects.some((o) => o.hook);
    const waitsFor = last ? [] : objects.filter((o) => o.health || o.hook).map((o) => `${o.kind}/${o.name}`);
    return {
      phase,
      wave: syncWave(g.objects[0].object),
      summary: describeStep(g.objects),
      objects,
      waitsFor,
      last,
      onFailure: phase === "SyncFail",
    };
  });
  const hazards = [
    ...findHazards(
      t.objects.map((o) => o.object),
      workloadDependencies(t.target),
    ),
    ...latePolicyHazards(t.objects.map((o) => o.object)),
  ];
  const reachability = trafficPaths(t.target, t.objects).map((p): PlanPath => {
    const v = judgePath(t.objects, p);
    return {
      from: p.client.endpoint.name,
      to: p.server.endpoint.name,
      port: `${p.port.port}/${p.port.protocol}`,
      via: p.via,
      allowed: v.allowed,
      wholesale: p.wholesale ?? false,
      checks: v.checks,
    };
  });
  return {
    target: t.target.id,
    cluster: { name: t.target.cluster.name, server: t.target.cluster.server },
    namespace: t.target.namespace,
    steps,
    hazards,
    reachability,
  };
}

/** The plan as text: one block per step. */
export function formatPlan(plan: Plan): string {
  const lines = [
    `Sync plan for ${plan.target} on cluster ${plan.cluster.name} (${plan.cluster.server}), namespace ${plan.namespace}`,
    "Argo CD applies one step at a time: phase, then wave; inside a step by kind, then name. It waits for every",
    "object with a health check (and every hook) to be Healthy before the next step; the last plain step is not waited on.",
    "",
  ];
  plan.steps.forEach((s, i) => {
    lines.push(`Step ${i + 1}: phase ${s.phase}, wave ${s.wave}: ${s.summary}`);
    for (const o of s.objects)
      lines.push(`  ${o.kind.padEnd(24)} ${o.name}${o.hook ? "  (hook)" : o.health ? "" : "  (no health check)"}`);
    if (s.onFailure) lines.push("  -> runs only when the sync fails");
    else if (s.last)
      lines.push("  -> last step: Argo CD marks the sync done once applied and does not wait for health");
    else if (s.waitsFor.length) lines.push(`  -> waits until Healthy: ${s.waitsFor.join(", ")}`);
    else lines.push("  -> nothing here has a health check; the next step starts at once");
    lines.push("");
  });
  if (plan.hazards.length === 0)
    lines.push(
      "Hazards: none. Every reference is applied before its reader and every readiness dependency is in an earlier wave.",
    );
  else {
    lines.push(`Hazards (${plan.hazards.length}):`);
    for (const h of plan.hazards) lines.push(`  ${h.severity} ${h.rule}: ${h.object} ${h.message}`);
  }
  lines.push("", ...formatReachability(plan.reachability));
  return lines.join("\n") + "\n";
}

/** The reachability section of a plan: each connection, allowed or denied, and by what. */
function formatReachability(paths: PlanPath[]): string[] {
  const denied = paths.filter((p) => !p.allowed && !p.wholesale).length;
  const unused = paths.filter((p) => !p.allowed && p.wholesale).length;
  const lines = [
    `Reachability (${paths.length} connections: ${denied} denied, ${unused} closed URLs received with a whole ConfigMap):`,
  ];
  for (const p of paths) {
    const verdict = p.allowed ? "allowed" : p.wholesale ? "closed " : "DENIED ";
    lines.push(`  ${verdict} ${p.from} -> ${p.to} port ${p.port} (${p.via.join(", ")})`);
    for (const c of p.checks) lines.push(`      ${c.allowed ? "ok  " : "DENY"} ${c.check}: ${c.by}`);
  }
  return lines;
}
