/** What a validation rule reports about one object. */
export type Severity = "error" | "warning";

export interface Finding {
  rule: string;
  severity: Severity;
  /** `platform/environment/region`. */
  target: string;
  component?: string;
  /** `Kind/name`. */
  object: string;
  /** JSON pointer to the field inside the object. */
  pointer: string;
  message: string;
  /** One line saying how to fix it. */
  fix: string;
  /** The description file to look at. */
  file?: string;
  /** Set when an annotation waived the finding; the reason it gave. */
  waived?: string;
}

/** One finding as a line of text. */
export function formatFinding(f: Finding): string {
  const where = f.file ? `${f.file}: ` : "";
  const waived = f.waived ? ` (waived: ${f.waived})` : "";
  return `${where}${f.severity} ${f.rule}: ${f.object} ${f.pointer || "/"}: ${f.message} [target ${f.target}${f.component ? `, component ${f.component}` : ""}] fix: ${f.fix}${waived}`;
}
