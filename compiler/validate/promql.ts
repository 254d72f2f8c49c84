/**
 * PromQL read with Prometheus's own grammar (`@prometheus-io/lezer-promql`, the parser of the Prometheus UI):
 * where an expression stops parsing, which metric names it selects, and with which label matchers.
 */
import { parser } from "@prometheus-io/lezer-promql";
import { itself, remembered } from "../remember.ts";

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
 * Reads one PromQL expression, once per distinct text (the same rules and dashboards render for every region; up
 * to 20,000 readings are kept); the reading is shared, so callers must not change it. Expressions that differ only
 * in their double-quoted strings (a namespace, a job) are parsed once (readShape).
 */
export const readPromql: (expr: string) => PromqlReading = remembered(readByShape, itself, 20_000);

/** A double-quoted PromQL string: no newline, `\` escapes one character (Prometheus's grammar). */
const DOUBLE_QUOTED = /"(?:[^"\\\n]|\\[^\n])*"/g;

/**
 * An expression with each double-quoted string emptied (`""`), and the strings, in order; undefined when that could
 * change how it parses: a quote the pattern did not take in, or a comment, single quote or backtick, whose text may
 * hold a `"`.
 */
export function promqlShape(expr: string): { shape: string; strings: string[] } | undefined {
  if (/[#'`]/.test(expr)) return undefined;
  const strings: string[] = [];
  const shape = expr.replace(DOUBLE_QUOTED, (literal) => (strings.push(literal), '""'));
  let quotes = 0;
  for (let i = shape.indexOf('"'); i >= 0; i = shape.indexOf('"', i + 1)) quotes++;
  return quotes === 2 * strings.length ? { shape, strings } : undefined;
}

/** A reading whose matcher values are `V`: the strings themselves, or (for a shape) the indexes of its strings. */
interface Parsed<V> {
  error?: PromqlReading["error"];
  metrics: string[];
  selectors: { metric: string; matchers: (Omit<LabelMatcher, "value"> & { value: V })[] }[];
}

const readShape: (shape: string) => Parsed<number> = remembered(parseShape, itself, 20_000);

/** Parses a shape (promqlShape), each matcher's value the index of its string among the shape's strings. */
function parseShape(shape: string): Parsed<number> {
  const at = new Map<number, number>();
  for (let i = shape.indexOf('""'), k = 0; i >= 0; i = shape.indexOf('""', i + 2)) at.set(i, k++);
  return parsePromql(shape, (from) => at.get(from) ?? -1);
}

/**
 * The reading of `expr` from that of its shape, with the shape's strings put back; the expression itself is parsed
 * when it has no shape, or when its shape does not parse (so that an error's offset and text are its own).
 */
function readByShape(expr: string): PromqlReading {
  const split = promqlShape(expr);
  const shaped = split && readShape(split.shape);
  if (!split || !shaped || shaped.error || shaped.selectors.some((s) => s.matchers.some((m) => m.value < 0)))
    return parseExpression(expr);
  return {
    metrics: shaped.metrics,
    selectors: shaped.selectors.map(({ metric, matchers }) => ({
      metric,
      matchers: matchers.map(({ name, op, value }) => ({ name, op, value: literal(split.strings[value]) })),
    })),
  };
}

/** Parses one PromQL expression as it is (readPromql reads expressions of one shape once). */
export function parseExpression(expr: string): PromqlReading {
  return parsePromql(expr, (_, text) => literal(text));
}

/** Parses `expr`; each matcher's value is what `value` gives of its string literal's offset and text. */
function parsePromql<V>(expr: string, value: (from: number, text: string) => V): Parsed<V> {
  const tree = parser.parse(expr);
  const metrics = new Set<string>();
  const selectors: Parsed<V>["selectors"] = [];
  let error: PromqlReading["error"];
  const text = (n: { from: number; to: number } | null | undefined) => (n ? expr.slice(n.from, n.to) : "");
  tree.iterate({
    enter(node) {
      if (node.type.isError && !error) error = { at: node.from, near: expr.slice(node.from, node.from + 20) };
      if (node.name === "Identifier" && node.node.parent?.name === "VectorSelector") {
        metrics.add(text(node));
        const matchers: Parsed<V>["selectors"][number]["matchers"] = [];
        for (const m of node.node.parent.getChild("LabelMatchers")?.getChildren("UnquotedLabelMatcher") ?? []) {
          const string = m.getChild("StringLiteral");
          matchers.push({
            name: text(m.getChild("LabelName")),
            op: text(m.getChild("MatchOp")) as LabelMatcher["op"],
            value: value(string?.from ?? -1, text(string)),
          });
        }
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
