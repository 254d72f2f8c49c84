/**
 * Policy rules: the checks an environment may relax. Each environment sets a
 * level per rule in `policy.rules`; a rule it does not name is an error
 * (production is strict by default). Correctness rules (schemas, references,
 * plaintext secrets) are not policy and always fail the compile.
 */
export type PolicyLevel = "off" | "warning" | "error";

/** The rules an environment may set to off, warning or error. */
export const POLICY_RULES = ["requests-limits", "probes", "pinned-images", "restricted-pods", "min-replicas", "pdb-allows-drain", "hpa"] as const;
export type PolicyRule = (typeof POLICY_RULES)[number];

/** The level an environment gives a rule: its own setting, else `error` for policy rules; non-policy rules are always on. */
export function policyLevel(rules: Partial<Record<string, PolicyLevel>> | undefined, rule: string): PolicyLevel {
  if (!(POLICY_RULES as readonly string[]).includes(rule)) return "error";
  return rules?.[rule] ?? "error";
}

// The description language names the same rules (describe/types.ts); the type checker keeps the two lists equal.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameRules: Same<PolicyRule, import("../describe/types.ts").PolicyRule> = true;
void sameRules;
