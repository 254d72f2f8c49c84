/**
 * readPromql parses expressions that differ only in their double-quoted strings once (compiler/validate/promql.ts):
 * its readings must be exactly those of parsing each expression as it is, for every expression the seed fleet renders
 * and for the strings that could change how an expression parses.
 */
import { describe, expect, it } from "vitest";
import { parseExpression, promqlShape, readPromql, withoutGrafanaVariables } from "../compiler/validate/promql.ts";
import { allRenderedDocuments } from "./helpers/rendered.ts";

/** Every string under an `expr` key in `value`, looking into strings that hold JSON (dashboards in ConfigMaps). */
function expressions(value: unknown, out: string[], key = ""): string[] {
  if (typeof value === "string") {
    if (key === "expr") out.push(value);
    else if (/^\s*[{[]/.test(value)) {
      try {
        expressions(JSON.parse(value), out);
      } catch {
        // not JSON
      }
    }
  } else if (Array.isArray(value)) for (const v of value) expressions(v, out);
  else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) expressions(v, out, k);
  return out;
}

function renderedExpressions(): string[] {
  return [...new Set(allRenderedDocuments().flatMap((doc) => expressions(doc, [])))];
}

const TRICKY = [
  'up{job="a"}',
  'up{job="b-longer-name"}',
  'sum(rate(http_requests_total{namespace="ns-1",job="api"}[5m]))',
  'sum(rate(http_requests_total{namespace="another-namespace",job="x"}[5m]))',
  'up{job="with \\"escaped\\" quotes"}',
  'up{job="ends with backslash \\\\"}',
  'up{job=~"a|b.*",env!="prod",zone!~"us-.*"}',
  'up{job=""}',
  'up{job="#not a comment"}',
  "up{job='single'}",
  "up{job=`raw`}",
  'up{job="a"} # a comment with a "quote',
  'up{job="line\nbreak"}',
  'up{job="unterminated}',
  'sum(rate(a{b="long-namespace"}[5m])',
  'sum(rate(a{b="x"}[5m])',
  'a{b="x"} + on(c) group_left b{c="y", d="z"}',
  'up{job="a"',
  '"just a string"',
  "",
  "   ",
];

describe("reading PromQL by shape", () => {
  it("reads every expression the seed fleet renders exactly as parsing it as it is", () => {
    const exprs = renderedExpressions();
    expect(exprs.length).toBeGreaterThan(100);
    for (const expr of exprs) {
      expect(readPromql(expr), expr).toEqual(parseExpression(expr));
      const grafana = withoutGrafanaVariables(expr);
      expect(readPromql(grafana), grafana).toEqual(parseExpression(grafana));
    }
  });

  it("reads escaped, empty, regex, unterminated and erroneous strings exactly as parsing them as they are", () => {
    for (const expr of TRICKY) expect(readPromql(expr), JSON.stringify(expr)).toEqual(parseExpression(expr));
  });

  it("shares one shape between expressions that differ only in their strings, each with its own values", () => {
    expect(promqlShape('up{job="a",env="b"}')).toEqual({ shape: 'up{job="",env=""}', strings: ['"a"', '"b"'] });
    expect(promqlShape('up{job="x"}')?.shape).toBe(promqlShape('up{job="a-much-longer-one"}')?.shape);
    expect(readPromql('up{job="x"}').selectors[0].matchers[0].value).toBe("x");
    expect(readPromql('up{job="a-much-longer-one"}').selectors[0].matchers[0].value).toBe("a-much-longer-one");
  });

  it("has no shape where a string could hide how the expression parses", () => {
    for (const expr of ["up{job='a'}", "up{job=`a`}", 'up{job="a"} # "', 'up{job="a\nb"}', 'up{job="a}'])
      expect(promqlShape(expr), JSON.stringify(expr)).toBeUndefined();
  });
});
