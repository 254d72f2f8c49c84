import type { Finding } from "../model/finding.ts";
import { formatFinding, formatFindings } from "./finding.ts";

/**
 * The lines a successful compile prints about its findings: every warning in full (one line for the same warning in
 * several targets), and the waived findings as one count line (by rule), or each in full when `verbose`.
 */
export function findingSummary(findings: Finding[], verbose = false): string[] {
  const waived = findings.filter((f) => f.waived);
  const warnings = findings.filter((f) => !f.waived && f.severity === "warning");
  const lines = formatFindings(warnings);
  if (!waived.length) return lines;
  if (verbose) return [...lines, ...waived.map((f) => formatFinding(f))];
  const byRule = new Map<string, number>();
  for (const f of waived) byRule.set(f.rule, (byRule.get(f.rule) ?? 0) + 1);
  const rules = [...byRule].map(([rule, n]) => `${rule} ${n}`).join(", ");
  return [
    ...lines,
    `${waived.length} waived finding(s) (${rules}); 'manifold compile --verbose' or 'manifold validate' lists them`,
  ];
}
