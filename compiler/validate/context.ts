import type { RenderedObject } from "../model/object.ts";
import type { ResolvedTarget } from "../model/target.ts";
import type { Finding, Severity } from "../model/finding.ts";

/** A ServiceAccount a Helm add-on's chart creates on the cluster, read off the add-on's values. */
export interface ChartServiceAccount {
  /** The add-on that creates it. */
  addon: string;
  namespace: string;
  name: string;
  annotations: Record<string, string>;
}

/** What a rule sees: one target's final objects. */
export interface RuleContext {
  target: ResolvedTarget;
  objects: RenderedObject[];
  /** On a cluster-layer folder: the ServiceAccounts the cluster's Helm add-ons create (never rendered here). */
  chartAccounts?: ChartServiceAccount[];
}

/** A validation rule: one concept, one file. */
export interface Rule {
  name: string;
  /** What it checks, in one line. */
  description: string;
  check(ctx: RuleContext, report: Reporter): void;
}

/**
 * What a finding means to the phase itself, beyond its message: `no-schema` (the schema rule has no model for the
 * object's kind, so the object was not checked, rather than failing its check).
 */
export type FindingCode = "no-schema";

export type Reporter = (
  o: RenderedObject,
  finding: {
    pointer: string;
    message: string;
    fix: string;
    severity?: Severity;
    code?: FindingCode;
    /** The description file to blame, when not the platform's (a cluster's contract is in its region file). */
    file?: string;
  },
) => void;

// Kept beside the findings, not in them, so that findings (printed, cached, sent as JSON) stay as they are.
const CODES = new WeakMap<Finding, FindingCode>();

/** The code a rule reported a finding with, if any (only on findings made in this thread by `reporter`). */
export function findingCode(finding: Finding): FindingCode | undefined {
  return CODES.get(finding);
}

/** Builds a reporter that turns a rule's reports into findings. */
export function reporter(ctx: RuleContext, rule: string, out: Finding[]): Reporter {
  return (o, f) => {
    const finding: Finding = {
      rule,
      severity: f.severity ?? "error",
      target: ctx.target.id,
      component: o.component,
      object: `${o.object.kind}/${o.object.metadata.name}`,
      pointer: f.pointer,
      message: f.message,
      fix: f.fix,
      file: f.file ?? ctx.target.sources[0],
    };
    if (f.code) CODES.set(finding, f.code);
    out.push(finding);
  };
}
