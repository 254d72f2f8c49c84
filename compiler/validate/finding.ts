import type { Finding } from "../model/finding.ts";

/** One finding as a line of text. */
export function formatFinding(f: Finding): string {
  const where = f.file ? `${f.file}: ` : "";
  const waived = f.waived ? ` (waived: ${f.waived})` : "";
  return `${where}${f.severity} ${f.rule}: ${f.object} ${f.pointer || "/"}: ${f.message} [target ${f.target}${f.component ? `, component ${f.component}` : ""}] fix: ${f.fix}${waived}`;
}
