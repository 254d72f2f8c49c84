/**
 * The validate phase for the Argo CD layer: the same object rules the
 * targets get (schema, names, labels, no plaintext Secret, Argo CD's tracking
 * metadata left alone), run over `rendered/argocd/`, plus the layer's own:
 * RollingSync fails closed, and server-side apply goes with server-side diff. The schema rule runs the
 * models' own validators: Argo CD 3.x's for Applications, ApplicationSets and
 * AppProjects. Not unknown fields: the Argo CD models' compiled schemas skip
 * fields named `description` (AppProject, project roles), so the rule would
 * flag them; the upstream-CRD test checks the layer's fields instead.
 */
import type { KubeObject } from "../model/object.ts";
import type { ResolvedTarget } from "../model/target.ts";
import { reporter, type Rule } from "../validate/context.ts";
import type { Finding } from "../model/finding.ts";
import { labelsRule } from "../validate/rules/labels.ts";
import { namesRule } from "../validate/rules/names.ts";
import { plaintextSecretRule } from "../validate/rules/plaintext-secret.ts";
import { schemaRule } from "../validate/rules/schema.ts";
import { trackingRule } from "../validate/rules/tracking.ts";
import { rollingSyncFailClosedRule } from "../validate/rules/rolling-sync-fail-closed.ts";
import { serverSideDiffRule } from "../validate/rules/server-side-diff.ts";

/** The rules that apply to the layer's objects (the rest are about workloads). */
export const LAYER_RULES: Rule[] = [
  schemaRule,
  namesRule,
  labelsRule,
  plaintextSecretRule,
  trackingRule,
  rollingSyncFailClosedRule,
  serverSideDiffRule,
];

/** Findings for the layer's objects, reported against target `argocd` and the layer's description file. */
export function validateLayer(objects: KubeObject[], file: string): Finding[] {
  const findings: Finding[] = [];
  const ctx = {
    target: { id: "argocd", sources: [file] } as unknown as ResolvedTarget,
    objects: objects.map((object) => ({ object, band: "foundation" as const })),
  };
  for (const rule of LAYER_RULES) rule.check(ctx, reporter(ctx, rule.name, findings));
  return findings;
}
