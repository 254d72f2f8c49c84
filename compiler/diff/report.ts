/**
 * The diff report in three formats. Markdown is for a pull-request comment:
 * a marker the CI uses to update its one comment, risk flags first, then a
 * summary table, then a `<details>` block per Application (or per set of
 * Applications that share the same changes). It fits GitHub's 65,536
 * character limit: when it must, it stops at an object boundary and says
 * so. Text is the same for a terminal; JSON carries the JSON patch operations.
 */
import { provenanceLines } from "./provenance.ts";
import type { DiffResult } from "./diff.ts";
import { listWords, type ChangeBlock, type ChangeEntry } from "./group.ts";
import type { ChangeType, ObjectChange } from "./objects.ts";
import type { RiskRule } from "./risks.ts";

export const REPORT_FORMATS = ["markdown", "text", "json"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** GitHub's limit for a comment body, in characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/** The hidden line CI looks for to update its comment instead of adding one. */
export const COMMENT_MARKER = "<!-- manifold-diff -->";

export interface ReportOptions {
  /** Markdown only: the most characters to print (default GitHub's limit). */
  maxLength?: number;
  /** Where the full report was written, named in the truncation note. */
  fullReport?: string;
}

export interface SummaryRow {
  environment: string;
  region: string;
  platform: string;
  added: number;
  changed: number;
  removed: number;
}

const RULE_TITLE: Record<RiskRule, string> = {
  "primary-move": "Primary region moves (highest risk)",
  "cluster-removal": "Cluster removal",
  "immutable-field": "Immutable field (high risk: the sync fails)",
  "data-loss": "Data loss",
  "production-reduction": "Production reduction",
  "wave-reorder": "Wave reordering",
  "chart-version": "Chart version changes",
  "secret-reference": "Secret reference",
};
const SIGN: Record<ChangeType, string> = { added: "+", changed: "±", removed: "-" };

/** Added, changed and removed objects per environment, region and platform. */
export function summaryRows(changes: ObjectChange[]): SummaryRow[] {
  const rows = new Map<string, SummaryRow>();
  for (const c of changes) {
    const row = rows.get(c.folder) ?? {
      environment: c.environment,
      region: c.region,
      platform: c.platform,
      added: 0,
      changed: 0,
      removed: 0,
    };
    row[c.type]++;
    rows.set(c.folder, row);
  }
  return [...rows.values()];
}

function objectName(c: ObjectChange): string {
  return `${c.kind} ${c.namespace ? `${c.namespace}/` : ""}${c.name}`;
}

function where(block: ChangeBlock): string {
  if (!block.platform) return block.environment;
  return `${block.environment}/${block.platform}`;
}

function regionsText(e: ChangeEntry): string {
  if (!e.regions[0]) return "";
  return e.regions.length > 1 ? `the same change in ${listWords(e.regions)}` : `in ${e.regions[0]}`;
}

function riskLines(result: DiffResult): { rule: RiskRule; text: string }[] {
  const out: { rule: RiskRule; text: string }[] = [];
  for (const block of result.blocks) {
    for (const e of block.entries) {
      for (const r of e.risks)
        out.push({
          rule: r.rule,
          text: `${objectName(e.change)} in ${where(block)}${e.regions[0] ? ` (${listWords(e.regions)})` : ""}: ${r.message}${r.runbook ? `. Runbook: ${r.runbook}` : ""}`,
        });
    }
  }
  const order = Object.keys(RULE_TITLE);
  return out.sort((a, b) => order.indexOf(a.rule) - order.indexOf(b.rule));
}

function totals(result: DiffResult): string {
  const count = (t: ChangeType) => result.changes.filter((c) => c.type === t).length;
  const apps = new Set(result.changes.map((c) => c.folder)).size;
  return `${result.changes.length} object(s) in ${apps} Application(s): ${count("added")} added, ${count("changed")} changed, ${count("removed")} removed`;
}

function sideText(s: DiffResult["base"]): string {
  return s.commit ? `${s.label} (${s.commit.slice(0, 12)})` : s.label;
}

function fence(body: string): string {
  let ticks = "```";
  while (body.includes(ticks)) ticks += "`";
  return `${ticks}diff\n${body.replace(/\n$/, "")}\n${ticks}`;
}

function markdownEntry(e: ChangeEntry): string {
  const head = `#### ${SIGN[e.change.type]} ${objectName(e.change)} — ${e.change.type}${e.regions[0] ? `, ${regionsText(e)}` : ""}`;
  const risks = e.risks
    .map((r) => `> ⚠️ **${RULE_TITLE[r.rule]}**: ${r.message}${r.runbook ? `\n> Runbook: ${r.runbook}` : ""}`)
    .join("\n");
  const why = provenanceLines(e.change)
    .map((l) => `- \`${l}\``)
    .join("\n");
  return (
    [head, risks, fence(e.change.yamlDiff), why && `Why (\`manifold explain\`):\n${why}`].filter(Boolean).join("\n\n") +
    "\n"
  );
}

function markdownBlockOpen(b: ChangeBlock): string {
  const n = (t: ChangeType) => b.entries.filter((e) => e.change.type === t).length;
  const counts = (["added", "changed", "removed"] as ChangeType[])
    .filter((t) => n(t))
    .map((t) => `${n(t)} ${t}`)
    .join(", ");
  const apps = b.regions[0]
    ? b.regions.length > 1
      ? ` — ${b.regions.length} Applications (${listWords(b.regions)})`
      : ` — ${b.regions[0]}`
    : "";
  return `<details><summary><b>${where(b)}</b>${apps}: ${counts}</summary>\n`;
}

/** The Markdown being written: its lines, the room left under the limit, and how much it had to leave out. */
interface MarkdownDraft {
  parts: string[];
  /** Whether `text` still fits, keeping room for the truncation note. */
  fits: (text: string) => boolean;
  truncated: boolean;
  /** Changed objects shown so far (an entry counts once per region it collapses). */
  shown: number;
}

/** The report as Markdown, at most `maxLength` characters (truncated at an object boundary with a note). */
export function renderMarkdown(result: DiffResult, options: ReportOptions = {}): string {
  const limit = options.maxLength ?? GITHUB_COMMENT_LIMIT;
  const parts: string[] = [
    COMMENT_MARKER,
    "## Manifold: rendered diff",
    "",
    `\`${sideText(result.base)}\` → \`${sideText(result.head)}\`: ${result.changes.length ? totals(result) : "**no rendered changes**"}.`,
    "",
  ];
  if (result.changes.length === 0) return parts.join("\n") + "\n";
  const reserve = 600;
  const size = () => parts.reduce((n, p) => n + p.length + 1, 0);
  const draft: MarkdownDraft = {
    parts,
    fits: (text) => size() + text.length + 1 <= limit - reserve,
    truncated: false,
    shown: 0,
  };
  markdownRisks(draft, riskLines(result));
  markdownSummary(draft, summaryRows(result.changes));
  markdownChanges(draft, result.blocks);
  if (draft.truncated) parts.push(truncationNote(draft.shown, result.changes.length, limit, options));
  return parts.join("\n") + "\n";
}

/** The risk flags, one line each, as many as fit. */
function markdownRisks(draft: MarkdownDraft, risks: ReturnType<typeof riskLines>): void {
  const { parts } = draft;
  if (!risks.length) {
    parts.push("No risk flags.", "");
    return;
  }
  parts.push(`### ⚠️ Risks (${risks.length})`, "");
  for (const [i, r] of risks.entries()) {
    const line = `- **${RULE_TITLE[r.rule]}**: ${r.text}`;
    if (!draft.fits(line)) {
      parts.push(`- … and ${risks.length - i} more risk(s), not shown to fit the comment limit`);
      draft.truncated = true;
      break;
    }
    parts.push(line);
  }
  parts.push("");
}

/** The summary table: one row per environment, region and platform, as many as fit. */
function markdownSummary(draft: MarkdownDraft, rows: ReturnType<typeof summaryRows>): void {
  const { parts } = draft;
  parts.push(
    "### Summary",
    "",
    "| Environment | Region | Platform | Added | Changed | Removed |",
    "|---|---|---|--:|--:|--:|",
  );
  for (const [i, r] of rows.entries()) {
    const line = `| ${r.environment} | ${r.region || "—"} | ${r.platform || "—"} | ${r.added} | ${r.changed} | ${r.removed} |`;
    if (!draft.fits(line)) {
      parts.push(`| … ${rows.length - i} more row(s) | | | | | |`);
      draft.truncated = true;
      break;
    }
    parts.push(line);
  }
}

/** Each block of changes as a folded section, stopping at the first object that does not fit. */
function markdownChanges(draft: MarkdownDraft, blocks: ChangeBlock[]): void {
  const { parts } = draft;
  parts.push("", "### Changes", "");
  for (const block of blocks) {
    const open = markdownBlockOpen(block);
    let opened = false;
    for (const e of block.entries) {
      const text = markdownEntry(e);
      if (!draft.fits((opened ? "" : open) + text + "</details>\n")) {
        if (opened) parts.push("</details>\n");
        draft.truncated = true;
        return;
      }
      if (!opened) {
        parts.push(open);
        opened = true;
      }
      parts.push(text);
      draft.shown += e.regions.length || 1;
    }
    if (opened) parts.push("</details>\n");
  }
}

/** The note a truncated report ends with: how much it shows, and where the full report is. */
function truncationNote(shown: number, total: number, limit: number, options: ReportOptions): string {
  const where = options.fullReport
    ? `The full report is in \`${options.fullReport}\`${process.env.GITHUB_ACTIONS || process.env.GITLAB_CI ? " (a CI artifact)" : ""}.`
    : "Run `manifold diff` with `--output FILE` for the full report.";
  return `> [!WARNING]\n> **Truncated**: this report shows ${shown} of ${total} changed object(s) to stay under ${limit.toLocaleString("en-US")} characters. ${where}`;
}

/** The report as plain text for a terminal. */
export function renderText(result: DiffResult): string {
  const out = [
    `rendered diff ${sideText(result.base)} → ${sideText(result.head)}: ${result.changes.length ? totals(result) : "no rendered changes"}`,
  ];
  if (result.changes.length === 0) return out.join("\n") + "\n";
  const risks = riskLines(result);
  out.push("", risks.length ? `RISKS (${risks.length})` : "no risk flags");
  for (const r of risks) out.push(`  ! ${RULE_TITLE[r.rule]}: ${r.text}`);
  out.push("", "SUMMARY");
  for (const r of summaryRows(result.changes))
    out.push(
      `  ${[r.environment, r.region, r.platform].filter(Boolean).join("/")}: +${r.added} ~${r.changed} -${r.removed}`,
    );
  for (const block of result.blocks) {
    out.push("", `== ${where(block)}${block.regions[0] ? ` (${listWords(block.regions)})` : ""}`);
    for (const e of block.entries) {
      out.push(
        `${SIGN[e.change.type]} ${objectName(e.change)}: ${e.change.type}${e.regions[0] ? `, ${regionsText(e)}` : ""}`,
      );
      for (const r of e.risks) {
        out.push(`  ! ${RULE_TITLE[r.rule]}: ${r.message}`);
        if (r.runbook) out.push(`    runbook: ${r.runbook}`);
      }
      for (const line of e.change.yamlDiff.replace(/\n$/, "").split("\n")) out.push(`    ${line}`);
      for (const line of provenanceLines(e.change)) out.push(`  why: ${line}`);
    }
  }
  return out.join("\n") + "\n";
}

/**
 * The report as JSON: every object change (with JSON patch operations for changed ones), the collapsed entries and
 * the risks.
 */
export function renderJson(result: DiffResult): string {
  const change = (c: ObjectChange) => ({
    type: c.type,
    application: c.folder,
    environment: c.environment,
    region: c.region,
    platform: c.platform,
    apiVersion: c.apiVersion,
    kind: c.kind,
    namespace: c.namespace,
    name: c.name,
    file: c.file,
    ...(c.type === "changed" ? { patch: c.patch } : { object: c.type === "added" ? c.after : c.before }),
    ...(c.provenance ? { provenance: c.provenance } : {}),
  });
  return (
    JSON.stringify(
      {
        base: result.base,
        head: result.head,
        summary: summaryRows(result.changes),
        risks: result.blocks.flatMap((b) =>
          b.entries.flatMap((e) =>
            e.risks.map((r) => ({
              ...r,
              kind: e.change.kind,
              namespace: e.change.namespace,
              name: e.change.name,
              environment: e.change.environment,
              platform: e.change.platform,
              regions: e.regions,
            })),
          ),
        ),
        changes: result.changes.map(change),
        entries: result.blocks.flatMap((b) =>
          b.entries.map((e) => ({
            type: e.change.type,
            environment: e.change.environment,
            platform: e.change.platform,
            regions: e.regions,
            kind: e.change.kind,
            namespace: e.change.namespace,
            name: e.change.name,
            ...(e.change.type === "changed" ? { patch: e.change.patch } : {}),
            ...(e.change.provenance ? { provenance: e.change.provenance } : {}),
          })),
        ),
      },
      null,
      2,
    ) + "\n"
  );
}

/** Renders the report in `format`. */
export function renderReport(result: DiffResult, format: ReportFormat, options: ReportOptions = {}): string {
  if (format === "json") return renderJson(result);
  if (format === "text") return renderText(result);
  return renderMarkdown(result, options);
}
