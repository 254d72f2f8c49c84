import type { Rule } from "../context.ts";
import { latePolicyHazards } from "../../sync/policy-hazards.ts";
import { WAVE_ANNOTATION } from "../../sync/annotations.ts";

/** Policies in the foundation: no NetworkPolicy or AuthorizationPolicy is applied after a workload it selects. */
export const policyWavesRule: Rule = {
  name: "policy-waves",
  description: "NetworkPolicies and AuthorizationPolicies are applied before the workloads they select",
  check(ctx, report) {
    const byId = new Map(ctx.objects.map((o) => [`${o.object.kind}/${o.object.metadata.name}`, o]));
    for (const h of latePolicyHazards(ctx.objects.map((o) => o.object))) {
      const o = byId.get(h.object);
      if (o)
        report(o, {
          pointer: `/metadata/annotations/${WAVE_ANNOTATION.replace(/~/g, "~0").replace(/\//g, "~1")}`,
          message: h.message,
          fix: "render the policy in the foundation band",
        });
    }
  },
};
