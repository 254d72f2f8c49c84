import { POLICY_RULES, type PolicyLevel } from "../describe/policy.ts";

/**
 * The level an environment gives a rule: its own setting, else `error` for policy rules; non-policy rules are always
 * on.
 */
export function policyLevel(rules: Partial<Record<string, PolicyLevel>> | undefined, rule: string): PolicyLevel {
  if (!(POLICY_RULES as readonly string[]).includes(rule)) return "error";
  return rules?.[rule] ?? "error";
}
