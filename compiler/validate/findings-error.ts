/**
 * The one place blocking findings become errors: each finding is one line naming its rule, object, field and
 * fix, located at the finding's file and target. The targets' compile and the Argo CD layer both use it.
 */
import { ManifoldError, combineErrors } from "../errors.ts";
import type { Finding } from "../model/finding.ts";

/** One error per finding: `[component <name>: ]<rule>: <Kind/name> <pointer>: <message> (fix: <fix>)`. */
export function findingErrors(findings: Finding[]): ManifoldError[] {
  return findings.map(
    (f) =>
      new ManifoldError(
        `${f.component ? `component ${f.component}: ` : ""}${f.rule}: ${f.object} ${f.pointer || "/"}: ${f.message} (fix: ${f.fix})`,
        { file: f.file, target: f.target },
      ),
  );
}

/** One error carrying every given finding, the first as its message; `findings` must not be empty. */
export function findingsError(findings: Finding[]): ManifoldError {
  return combineErrors(findingErrors(findings));
}
