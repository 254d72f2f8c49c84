import { environment } from "../compiler/index.ts";

// Production: all three regions, exactly what each platform declares, every safety net on.
export default environment({
  name: "production",
  regions: ["us-west-2", "us-east-1", "eu-west-1"],
  // strict: every policy rule is an error (the default for a rule not named in policy.rules)
  policy: { networkPolicies: true, disruptionBudgets: true, resourceQuota: true, rules: {} },
});
