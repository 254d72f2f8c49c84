/**
 * Policy rules: the checks an environment may relax. Each environment sets a
 * level per rule in `policy.rules`; a rule it does not name is an error
 * (production is strict by default). Correctness rules (schemas, references,
 * plaintext secrets) are not policy and always fail the compile.
 */
export type PolicyLevel = "off" | "warning" | "error";

/** The rules an environment may set to off, warning or error. */
export const POLICY_RULES = [
  "requests-limits",
  "probes",
  "pinned-images",
  "restricted-pods",
  "min-replicas",
  "pdb-allows-drain",
  "hpa",
  "image-digests",
] as const;
export type PolicyRule = (typeof POLICY_RULES)[number];
