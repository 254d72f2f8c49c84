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
