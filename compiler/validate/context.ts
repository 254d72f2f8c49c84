import type { RenderedObject } from "../model/object.ts";
import type { ResolvedTarget } from "../model/target.ts";
import type { Finding, Severity } from "../model/finding.ts";

/** What a rule sees: one target's final objects. */
export interface RuleContext {
  target: ResolvedTarget;
  objects: RenderedObject[];
}

/** A validation rule: one concept, one file. */
export interface Rule {
  name: string;
  /** What it checks, in one line. */
  description: string;
  check(ctx: RuleContext, report: Reporter): void;
}

export type Reporter = (
  o: RenderedObject,
  finding: { pointer: string; message: string; fix: string; severity?: Severity },
) => void;

/** Builds a reporter that turns a rule's reports into findings. */
export function reporter(ctx: RuleContext, rule: string, out: Finding[]): Reporter {
  return (o, f) =>
    out.push({
      rule,
      severity: f.severity ?? "error",
      target: ctx.target.id,
      component: o.component,
      object: `${o.object.kind}/${o.object.metadata.name}`,
      pointer: f.pointer,
      message: f.message,
      fix: f.fix,
      file: ctx.target.sources[0],
    });
}
