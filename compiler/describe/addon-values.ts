/**
 * Typed values for the charts whose values a description writes often: each helper takes plain typed data and
 * returns the chart's values, so a typo is a type error instead of a value the chart silently ignores.
 */

/** One metric of the custom metrics API, served per pod from a Prometheus series. */
export interface CustomMetricRule {
  /** The series name in Prometheus; also the metric's name in the custom metrics API. */
  series: string;
  /** How the per-pod value is computed: `sum` (a gauge, the default), or `rate` over `window` (a counter). */
  aggregate?: "sum" | "rate";
  /** The rate window (default `2m`). */
  window?: string;
}

/** The prometheus-adapter chart (prometheus-community): where Prometheus is, and the custom metrics it serves. */
export interface PrometheusAdapterOptions {
  /** Prometheus' URL without port, e.g. `http://prometheus-operated.monitoring.svc`. */
  prometheusUrl: string;
  /** Default 9090. */
  prometheusPort?: number;
  rules: CustomMetricRule[];
}

function metricsQuery(rule: CustomMetricRule): string {
  if (rule.aggregate === "rate")
    return `sum(rate(<<.Series>>{<<.LabelMatchers>>}[${rule.window ?? "2m"}])) by (<<.GroupBy>>)`;
  return "sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)";
}

/** The values of prometheus-adapter: the chart's default rules off, one custom rule per metric, per pod. */
export function prometheusAdapterValues(options: PrometheusAdapterOptions): Record<string, unknown> {
  return {
    prometheus: { url: options.prometheusUrl, port: options.prometheusPort ?? 9090 },
    rules: {
      default: false,
      custom: options.rules.map((rule) => ({
        seriesQuery: `${rule.series}{namespace!="",pod!=""}`,
        resources: { overrides: { namespace: { resource: "namespace" }, pod: { resource: "pod" } } },
        name: { matches: `^${rule.series}$`, as: rule.series },
        metricsQuery: metricsQuery(rule),
      })),
    },
  };
}
