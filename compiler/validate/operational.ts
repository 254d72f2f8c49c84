/**
 * Rules that catch what validates but cannot run (issue 12): readiness that never comes, monitoring rules that do
 * not load, volumes a provider cannot make, and the like. They relate objects to each other, so they run with the
 * relation rules, once every object passes its schema.
 */
import type { Rule } from "./context.ts";
import { imageConfigMountsRule } from "./rules/image-config-mounts.ts";
import { imageDigestsRule } from "./rules/image-digests.ts";
import { imageRegistriesRule } from "./rules/image-registries.ts";
import { monitoringRulesRule } from "./rules/monitoring-rules.ts";
import { peerReadinessRule } from "./rules/peer-readiness.ts";
import { policyWavesRule } from "./rules/policy-waves.ts";
import { providerLimitsRule } from "./rules/provider-limits.ts";
import { quotaHeadroomRule } from "./rules/quota-headroom.ts";
import { reachabilityRule } from "./rules/reachability.ts";
import { spreadRule } from "./rules/spread.ts";
import { tlsProvenanceRule } from "./rules/tls-provenance.ts";

/** The operational rules, in the order they report. */
export const OPERATIONAL_RULES: Rule[] = [
  peerReadinessRule,
  monitoringRulesRule,
  providerLimitsRule,
  tlsProvenanceRule,
  policyWavesRule,
  imageRegistriesRule,
  imageDigestsRule,
  imageConfigMountsRule,
  spreadRule,
  quotaHeadroomRule,
  reachabilityRule,
];
