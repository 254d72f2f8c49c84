import { groupAcrossTargets } from "../errors.ts";
import type { Finding } from "../model/finding.ts";

/** One finding as a line of text; `targets` names every target it was found in, when more than its own. */
export function formatFinding(f: Finding, targets: string[] = [f.target]): string {
  const where = f.file ? `${f.file}: ` : "";
  const waived = f.waived ? ` (waived: ${f.waived})` : "";
  const scope = targets.length > 1 ? `targets ${targets.join("; ")}` : `target ${targets[0]}`;
  return `${where}${f.severity} ${f.rule}: ${f.object} ${f.pointer || "/"}: ${f.message} [${scope}${f.component ? `, component ${f.component}` : ""}] fix: ${f.fix}${waived}`;
}

/**
 * Findings as lines, one per finding that differs only in its target: the same warning in the three production
 * regions is one line naming the three targets. Order: the first occurrence of each.
 */
export function formatFindings(findings: Finding[]): string[] {
  return groupAcrossTargets(
    findings,
    (f) => JSON.stringify({ ...f, target: undefined }),
    (f) => f.target,
  ).map((g) => formatFinding(g.first, g.targets));
}
