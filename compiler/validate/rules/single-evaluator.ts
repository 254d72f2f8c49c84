import type { RenderedObject } from "../../model/object.ts";
import type { Rule } from "../context.ts";
import { obj } from "../../kube/loose.ts";
import { selectorMatches } from "../../kube/selectors.ts";

/** What loads one kind: the selector fields of the loading kind, and what the loader is called in a finding. */
const LOADED = {
  PrometheusRule: {
    by: "Prometheus",
    selector: "ruleSelector",
    namespaces: "ruleNamespaceSelector",
    cluster: "the cluster's Prometheus",
    twice: "every alert in it fires twice",
    none: "no Prometheus evaluates it: its alerts never fire",
  },
  AlertmanagerConfig: {
    by: "Alertmanager",
    selector: "alertmanagerConfigSelector",
    namespaces: "alertmanagerConfigNamespaceSelector",
    cluster: "the cluster's Alertmanager",
    twice: "two Alertmanagers route the same alerts",
    none: "no Alertmanager loads it: the alerts it routes reach nobody",
  },
} as const;

/**
 * Whether a Prometheus or Alertmanager of the target loads `o`: its selector (nil selects nothing, as the operator
 * reads it) and its namespace selector (nil: its own namespace only) both take it.
 */
function loads(loader: RenderedObject, o: RenderedObject, nsLabels: Record<string, string>, kind: keyof typeof LOADED) {
  const spec = obj(loader.object.spec);
  const selector = spec[LOADED[kind].selector];
  if (selector === undefined || selector === null) return false;
  const namespaces = spec[LOADED[kind].namespaces];
  const inNamespace =
    namespaces === undefined || namespaces === null
      ? (loader.object.metadata.namespace ?? "") === (o.object.metadata.namespace ?? "")
      : selectorMatches(obj(namespaces), nsLabels);
  return inNamespace && selectorMatches(obj(selector), o.object.metadata.labels ?? {});
}

/**
 * One evaluator per rule, one Alertmanager per route: every PrometheusRule is selected by exactly one Prometheus and
 * every AlertmanagerConfig by exactly one Alertmanager, counting the target's own and, where the cluster layer runs
 * kube-prometheus-stack, the cluster's (which loads everything without the label it leaves out). Two evaluators page
 * twice for every alert; none, where the cluster's selection is known, means the alerts never fire or reach nobody.
 */
export const singleEvaluatorRule: Rule = {
  name: "single-evaluator",
  description: "every PrometheusRule has one Prometheus evaluating it, every AlertmanagerConfig one Alertmanager",
  check(ctx, report) {
    const ns = ctx.objects.find((o) => o.object.kind === "Namespace")?.object.metadata.labels ?? {};
    const nsLabels = { ...ns, "kubernetes.io/metadata.name": ctx.target.namespace };
    const cluster = ctx.target.managedCapabilities?.find((m) => m.clusterMonitoring)?.clusterMonitoring;
    for (const kind of Object.keys(LOADED) as (keyof typeof LOADED)[]) {
      const l = LOADED[kind];
      const loaders = ctx.objects.filter((o) => o.object.kind === l.by);
      for (const o of ctx.objects.filter((x) => x.object.kind === kind)) {
        const by = loaders.filter((p) => loads(p, o, nsLabels, kind)).map((p) => `${l.by}/${p.object.metadata.name}`);
        if (cluster && !(cluster.leavesOut in (o.object.metadata.labels ?? {}))) by.push(l.cluster);
        if (by.length > 1)
          report(o, {
            pointer: "/metadata/labels",
            message: `is loaded by ${by.join(" and ")}: ${l.twice}`,
            fix: `label it for one ${l.by} only (${cluster?.leavesOut ?? "the evaluator label"} for the platform's own, which the cluster's leaves out), or narrow the other's selector`,
          });
        else if (!by.length && cluster)
          report(o, {
            severity: "warning",
            pointer: "/metadata/labels",
            message: l.none,
            fix: `give it the labels its ${l.by}'s selector asks for, or drop ${cluster.leavesOut} so the cluster's loads it`,
          });
      }
    }
  },
};
