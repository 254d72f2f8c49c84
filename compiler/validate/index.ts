/**
 * Phase 6, validate: run every rule over every target's final objects.
 * Nothing is written while an error remains. An object may waive a rule with
 * the annotation `waive.manifold.dev/<rule>: <reason>`; the finding is kept,
 * marked waived, with its reason.
 */
import type { RenderedObject } from "../build/objects.ts";
import type { ResolvedTarget } from "../resolve.ts";
import { reporter, type Rule } from "./context.ts";
import type { Finding } from "./finding.ts";
import { disruptionRule } from "./rules/disruption.ts";
import { hpaRule } from "./rules/hpa.ts";
import { labelsRule } from "./rules/labels.ts";
import { namesRule } from "./rules/names.ts";
import { pinnedImagesRule } from "./rules/pinned-images.ts";
import { plaintextSecretRule } from "./rules/plaintext-secret.ts";
import { quantitiesRule } from "./rules/quantities.ts";
import { restrictedPodsRule } from "./rules/restricted-pods.ts";
import { schemaRule } from "./rules/schema.ts";
import { trackingRule } from "./rules/tracking.ts";
import { uniqueRule } from "./rules/unique.ts";

/** Every rule, in the order they report. */
export const RULES: Rule[] = [schemaRule, namesRule, labelsRule, uniqueRule, plaintextSecretRule, hpaRule, pinnedImagesRule, restrictedPodsRule, disruptionRule, quantitiesRule, trackingRule];

export const WAIVER_PREFIX = "waive.manifold.dev/";

/** Runs every rule over one target. */
export function validateTarget(target: ResolvedTarget, objects: RenderedObject[]): Finding[] {
  const findings: Finding[] = [];
  const ctx = { target, objects };
  for (const rule of RULES) rule.check(ctx, reporter(ctx, rule.name, findings));
  for (const f of findings) {
    const o = objects.find((x) => `${x.object.kind}/${x.object.metadata.name}` === f.object);
    const reason = o?.object.metadata.annotations?.[WAIVER_PREFIX + f.rule];
    if (reason !== undefined && f.rule !== "no-plaintext-secret") f.waived = reason || "(no reason given)";
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
