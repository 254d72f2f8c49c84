/**
 * PromQL read with Prometheus's own grammar (`@prometheus-io/lezer-promql`, the parser of the Prometheus UI):
 * where an expression stops parsing, which metric names it selects, and with which label matchers.
 */
import { parser } from "@prometheus-io/lezer-promql";
import { itself, remembered } from "./remember.ts";

export interface PromqlReading {
  /** The first syntax error: its offset and the text from there (empty at the end). */
  error?: { at: number; near: string };
  /** Metric names the expression selects by name (`foo` in `foo{a="b"}`). */
  metrics: string[];
  /** Each vector selector with a metric name, and its label matchers, in order. */
  selectors: VectorSelection[];
}

/** One label matcher of a selector: `name op "value"`. */
export interface LabelMatcher {
  name: string;
  op: "=" | "!=" | "=~" | "!~";
  value: string;
}

/** A vector selector: `metric{matchers}`. */
export interface VectorSelection {
  metric: string;
  matchers: LabelMatcher[];
}

/** The value of a PromQL string literal (double quotes read as JSON; single quotes and backticks as they are). */
function literal(text: string): string {
  if (text.startsWith('"')) {
    try {
      return JSON.parse(text) as string;
    } catch {
      return text.slice(1, -1);
    }
  }
  return text.slice(1, -1);
}

/**
 * Whether a selector's matchers take a series with `labels`; a label the caller does not know (absent from
 * `labels`) is taken as matching, since its value cannot be known here.
 */
export function selectorTakes(selection: VectorSelection, labels: Record<string, string>): boolean {
  return selection.matchers.every((m) => {
    const value = labels[m.name];
    if (value === undefined) return true;
    if (m.op === "=") return value === m.value;
    if (m.op === "!=") return value !== m.value;
    let re: RegExp;
    try {
      re = new RegExp(`^(?:${m.value})$`);
    } catch {
      return false;
    }
    return m.op === "=~" ? re.test(value) : !re.test(value);
  });
}

/**
 * Parses one PromQL expression, once per distinct text (the same rules and dashboards render for every region; up
 * to 20,000 readings are kept); the reading is shared, so callers must not change it.
 */
export const readPromql: (expr: string) => PromqlReading = remembered(parsePromql, itself, 20_000);

function parsePromql(expr: string): PromqlReading {
  const tree = parser.parse(expr);
  const metrics = new Set<string>();
  const selectors: VectorSelection[] = [];
  let error: PromqlReading["error"];
  const text = (n: { from: number; to: number } | null | undefined) => (n ? expr.slice(n.from, n.to) : "");
  tree.iterate({
    enter(node) {
      if (node.type.isError && !error) error = { at: node.from, near: expr.slice(node.from, node.from + 20) };
      if (node.name === "Identifier" && node.node.parent?.name === "VectorSelector") {
        metrics.add(text(node));
        const matchers: LabelMatcher[] = [];
        for (const m of node.node.parent.getChild("LabelMatchers")?.getChildren("UnquotedLabelMatcher") ?? [])
          matchers.push({
            name: text(m.getChild("LabelName")),
            op: text(m.getChild("MatchOp")) as LabelMatcher["op"],
            value: literal(text(m.getChild("StringLiteral"))),
          });
        selectors.push({ metric: text(node), matchers });
      }
    },
  });
  if (expr.trim() === "") error = { at: 0, near: "" };
  return { error, metrics: [...metrics].sort(), selectors };
}

/** Grafana's template variables (`$var`, `${var}`, `[[var]]`) replaced by a duration, so the query parses as PromQL. */
export function withoutGrafanaVariables(expr: string): string {
  return expr.replace(/\$\{[^}]+\}|\[\[[^\]]+\]\]|\$\w+/g, "5m");
}

/** A one-line description of a syntax error. */
export function describeSyntaxError(error: NonNullable<PromqlReading["error"]>): string {
  return error.near === ""
    ? `ends early (at offset ${error.at})`
    : `does not parse at offset ${error.at}, near "${error.near}"`;
}
