/**
 * Phase 6, validate: run every rule over every target's final objects.
 * Nothing is written while an error remains. Policy rules take the level the
 * target's environment gives them (`policy.rules`). An object may waive a rule
 * with the annotation `waive.manifold.dev/<rule>: <reason>`; the finding is
 * kept, marked waived, with its reason. A waiver without a reason waives nothing.
 */
import type { RenderedObject } from "../build/objects.ts";
import type { ResolvedTarget } from "../resolve.ts";
import { reporter, type Rule } from "./context.ts";
import type { Finding } from "./finding.ts";
import { policyLevel } from "./policy.ts";
import { argocdEnumsRule } from "./rules/argocd-enums.ts";
import { backendsRule } from "./rules/backends.ts";
import { disruptionRule } from "./rules/disruption.ts";
import { hpaRule } from "./rules/hpa.ts";
import { labelsRule } from "./rules/labels.ts";
import { minReplicasRule } from "./rules/min-replicas.ts";
import { namesRule } from "./rules/names.ts";
import { networkPoliciesRule } from "./rules/network-policies.ts";
import { pinnedImagesRule } from "./rules/pinned-images.ts";
import { plaintextSecretRule } from "./rules/plaintext-secret.ts";
import { podReferencesRule } from "./rules/pod-references.ts";
import { probesRule } from "./rules/probes.ts";
import { quantitiesRule } from "./rules/quantities.ts";
import { requestsLimitsRule } from "./rules/requests-limits.ts";
import { restrictedPodsRule } from "./rules/restricted-pods.ts";
import { schemaRule } from "./rules/schema.ts";
import { serviceMonitorsRule } from "./rules/service-monitors.ts";
import { serviceSelectorsRule } from "./rules/service-selectors.ts";
import { trackingRule } from "./rules/tracking.ts";
import { uniqueRule } from "./rules/unique.ts";
import { unknownFieldsRule } from "./rules/unknown-fields.ts";
import { urlReferencesRule } from "./rules/url-references.ts";
import { vpaTargetsRule } from "./rules/vpa-targets.ts";
import { UNWAIVABLE, WAIVER_PREFIX, waiversRule } from "./rules/waivers.ts";

export { WAIVER_PREFIX };

/** Every rule, in the order they report: schema, references, policy. */
export const RULES: Rule[] = [
  schemaRule,
  unknownFieldsRule,
  namesRule,
  labelsRule,
  argocdEnumsRule,
  uniqueRule,
  trackingRule,
  quantitiesRule,
  podReferencesRule,
  serviceSelectorsRule,
  backendsRule,
  serviceMonitorsRule,
  networkPoliciesRule,
  vpaTargetsRule,
  urlReferencesRule,
  plaintextSecretRule,
  hpaRule,
  requestsLimitsRule,
  probesRule,
  pinnedImagesRule,
  restrictedPodsRule,
  minReplicasRule,
  disruptionRule,
];
RULES.push(waiversRule(() => RULES.map((r) => r.name)));

/** Runs every rule over one target, at the levels its environment sets, and applies waivers. */
export function validateTarget(target: ResolvedTarget, objects: RenderedObject[]): Finding[] {
  const findings: Finding[] = [];
  const ctx = { target, objects };
  for (const rule of RULES) {
    const level = policyLevel(target.policy.rules, rule.name);
    if (level === "off") continue;
    const found: Finding[] = [];
    rule.check(ctx, reporter(ctx, rule.name, found));
    for (const f of found) if (level === "warning") f.severity = "warning";
    findings.push(...found);
  }
  const byObject = new Map(objects.map((o) => [`${o.object.kind}/${o.object.metadata.name}`, o]));
  for (const f of findings) {
    const reason = byObject.get(f.object)?.object.metadata.annotations?.[WAIVER_PREFIX + f.rule];
    if (typeof reason === "string" && reason.trim() !== "" && !UNWAIVABLE.has(f.rule)) f.waived = reason.trim();
  }
  return findings;
}

/** Phase 6 entry point: findings for every target. */
export function validate(targets: { target: ResolvedTarget; objects: RenderedObject[] }[]): Finding[] {
  return targets.flatMap((t) => validateTarget(t.target, t.objects));
}

/** The findings that fail a compile: errors not waived. */
export function blocking(findings: Finding[]): Finding[] {
  return findings.filter((f) => f.severity === "error" && !f.waived);
}
