/**
 * Phase 6, validate: run every rule over every target's final objects.
 * Nothing is written while an error remains. Policy rules take the level the
 * target's environment gives them (`policy.rules`). An object may waive a rule
 * with the annotation `waive.manifold.dev/<rule>: <reason>`; the finding is
 * kept, marked waived, with its reason. A waiver without a reason waives nothing.
 */
import { asRecord } from "../kube/loose.ts";
import type { RenderedObject } from "../model/object.ts";
import type { ResolvedTarget } from "../model/target.ts";
import { findingCode, reporter, type ChartServiceAccount, type Rule } from "./context.ts";
import type { Finding } from "../model/finding.ts";
import { withContentDigests } from "./content-memo.ts";
import { envelopeProblem } from "./envelope.ts";
import { policyLevel } from "./policy.ts";
import { addRuleTime } from "./rule-timings.ts";
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
import { UNWAIVABLE, waiversRule } from "./rules/waivers.ts";
import { OPERATIONAL_RULES } from "./operational.ts";
import { WAIVER_PREFIX } from "../describe/waivers.ts";
import { now } from "../clock.ts";

export { WAIVER_PREFIX };

/**
 * Rules that check each object on its own and accept any shape a patch can
 * produce. They always run.
 */
export const OBJECT_RULES: Rule[] = [
  schemaRule,
  unknownFieldsRule,
  namesRule,
  labelsRule,
  argocdEnumsRule,
  uniqueRule,
  trackingRule,
  quantitiesRule,
  plaintextSecretRule,
];

/**
 * Rules that relate objects to each other (references) or judge them
 * (policy). They read fields the schemas guarantee, so they run only once
 * every object of the target passes its schema, as the API server would
 * reject the rest first.
 */
export const RELATION_RULES: Rule[] = [
  podReferencesRule,
  serviceSelectorsRule,
  backendsRule,
  serviceMonitorsRule,
  networkPoliciesRule,
  vpaTargetsRule,
  urlReferencesRule,
  hpaRule,
  requestsLimitsRule,
  probesRule,
  pinnedImagesRule,
  restrictedPodsRule,
  minReplicasRule,
  disruptionRule,
  ...OPERATIONAL_RULES,
];

const RELATION_SET = new Set(RELATION_RULES);

/** Every rule, in the order they report: schema, references, policy, then the waivers themselves. */
export const RULES: Rule[] = [...OBJECT_RULES, ...RELATION_RULES];
RULES.push(waiversRule(() => RULES.map((r) => r.name)));
OBJECT_RULES.push(RULES[RULES.length - 1]);

/**
 * Runs every rule over one target, at the levels its environment sets, and applies waivers. `chartAccounts`: on a
 * cluster-layer folder, the ServiceAccounts the cluster's Helm add-ons create. With `timings`, each rule's
 * milliseconds are added to it (rule-timings.ts).
 */
export function validateTarget(
  target: ResolvedTarget,
  all: RenderedObject[],
  chartAccounts?: ChartServiceAccount[],
  timings?: Record<string, number>,
): Finding[] {
  return withContentDigests(() => validateObjects(target, all, chartAccounts, timings));
}

function validateObjects(
  target: ResolvedTarget,
  all: RenderedObject[],
  chartAccounts?: ChartServiceAccount[],
  timings?: Record<string, number>,
): Finding[] {
  const findings: Finding[] = [];
  // an object whose envelope a patch broke is reported once and kept from the other rules
  const objects = all.filter((o) => {
    const problem = envelopeProblem(o);
    if (!problem) return true;
    const obj = asRecord(o.object);
    const meta = asRecord(obj?.metadata);
    const kind = typeof obj?.kind === "string" ? obj.kind : "?";
    findings.push({
      rule: "schema",
      severity: "error",
      target: target.id,
      component: o.component,
      object: `${kind}/${typeof meta?.name === "string" ? meta.name : "?"}`,
      pointer: problem.pointer,
      message: problem.message,
      fix: "correct the patch that changes this field",
      file: target.sources[0],
    });
    return false;
  });
  const ctx = { target, objects, chartAccounts };
  // objects that fail their schema stop the relation rules (a kind without a model does not)
  let schemaFailed = findings.some((f) => f.rule === "schema" && findingCode(f) !== "no-schema");
  for (const rule of RULES) {
    if (schemaFailed && RELATION_SET.has(rule)) continue;
    const level = policyLevel(target.policy.rules, rule.name);
    if (level === "off") continue;
    const found: Finding[] = [];
    const report = reporter(ctx, rule.name, found);
    const start = now();
    try {
      rule.check(ctx, report);
    } catch (e) {
      // a shape no rule expected (a patch can write anything): an error finding, never a crash
      found.push({
        rule: rule.name,
        severity: "error",
        target: target.id,
        object: "?",
        pointer: "",
        message: `could not check the objects: ${(e as Error)?.message ?? String(e)}`,
        fix: "correct the patch that changes an object's structure",
        file: target.sources[0],
      });
    }
    if (timings) addRuleTime(timings, rule.name, now() - start);
    for (const f of found) if (level === "warning") f.severity = "warning";
    if (rule.name === "schema" && found.some((f) => findingCode(f) !== "no-schema")) schemaFailed = true;
    findings.push(...found);
  }
  const byObject = new Map(objects.map((o) => [`${o.object.kind}/${o.object.metadata.name}`, o]));
  for (const f of findings) {
    const reason = byObject.get(f.object)?.object.metadata.annotations?.[WAIVER_PREFIX + f.rule];
    if (typeof reason === "string" && reason.trim() !== "" && !UNWAIVABLE.has(f.rule)) f.waived = reason.trim();
  }
  return findings;
}

/** Phase 6 entry point: findings for every target (with `timings`, each rule's milliseconds added to it). */
export function validate(
  targets: { target: ResolvedTarget; objects: RenderedObject[] }[],
  timings?: Record<string, number>,
): Finding[] {
  return targets.flatMap((t) => validateTarget(t.target, t.objects, undefined, timings));
}

/** The findings that fail a compile: errors not waived. */
export function blocking(findings: Finding[]): Finding[] {
  return findings.filter((f) => f.severity === "error" && !f.waived);
}
