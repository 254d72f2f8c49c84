/** Runs one validation rule over hand-made objects and one target, as `pointer: message` lines (object first). */
import type { Rule } from "../../compiler/validate/context.ts";
import { reporter } from "../../compiler/validate/context.ts";
import type { Finding } from "../../compiler/model/finding.ts";
import type { KubeObject, RenderedObject } from "../../compiler/model/object.ts";
import type { ResolvedTarget } from "../../compiler/model/target.ts";

/** A target with the fields the rules read; `fields` replaces any of them. */
export function ruleTarget(fields: Partial<ResolvedTarget> = {}): ResolvedTarget {
  const base: Partial<ResolvedTarget> = {
    id: "demo/production/us-west-2",
    platform: "demo",
    environment: "production",
    region: "us-west-2",
    namespace: "demo",
    components: {},
    policy: { networkPolicies: true, disruptionBudgets: true, resourceQuota: true },
    sources: ["platforms/demo.ts"],
  };
  return { ...base, ...fields } as ResolvedTarget;
}

/** Wraps plain objects as rendered objects of a component. */
export function rendered(objects: KubeObject[], component?: string): RenderedObject[] {
  return objects.map((object) => ({ object, component, band: "workload" }));
}

/** The findings of one rule, each as `Kind/name pointer: message`. */
export function findings(rule: Rule, objects: RenderedObject[], target = ruleTarget()): string[] {
  const out: Finding[] = [];
  rule.check({ target, objects }, reporter({ target, objects }, rule.name, out));
  return out.map((f) => `${f.object} ${f.pointer}: ${f.message}`);
}
