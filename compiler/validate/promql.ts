/**
 * PromQL read with Prometheus's own grammar (`@prometheus-io/lezer-promql`, the parser of the Prometheus UI):
 * where an expression stops parsing, and which metric names it selects.
 */
import { parser } from "@prometheus-io/lezer-promql";

export interface PromqlReading {
  /** The first syntax error: its offset and the text from there (empty at the end). */
  error?: { at: number; near: string };
  /** Metric names the expression selects by name (`foo` in `foo{a="b"}`). */
  metrics: string[];
}

/** Readings kept per expression text (the same rules and dashboards render for every region), up to this many. */
const READINGS_KEPT = 20_000;
const readings = new Map<string, PromqlReading>();

/** Parses one PromQL expression, once per distinct text; the reading is shared, so callers must not change it. */
export function readPromql(expr: string): PromqlReading {
  let reading = readings.get(expr);
  if (reading === undefined) {
    if (readings.size >= READINGS_KEPT) readings.clear();
    reading = parsePromql(expr);
    readings.set(expr, reading);
  }
  return reading;
}

function parsePromql(expr: string): PromqlReading {
  const tree = parser.parse(expr);
  const metrics = new Set<string>();
  let error: PromqlReading["error"];
  tree.iterate({
    enter(node) {
      if (node.type.isError && !error) error = { at: node.from, near: expr.slice(node.from, node.from + 20) };
      if (node.name === "Identifier" && node.node.parent?.name === "VectorSelector")
        metrics.add(expr.slice(node.from, node.to));
    },
  });
  if (expr.trim() === "") error = { at: 0, near: "" };
  return { error, metrics: [...metrics].sort() };
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
