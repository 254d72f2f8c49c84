/**
 * How the cluster's Prometheus and Alertmanager (the cluster layer's kube-prometheus-stack) share the work with the
 * platforms' own: every ServiceMonitor, PodMonitor, PrometheusRule and AlertmanagerConfig in every namespace is the
 * cluster's, except those carrying the evaluator label, which a platform's own Prometheus and Alertmanager load.
 * Both sides select by this one label, so every rule has one evaluator and every route one Alertmanager.
 */

/** The label of the objects a platform's own Prometheus and Alertmanager load (its value: that Prometheus' name). */
export const EVALUATOR_LABEL = "monitoring.manifold.io/prometheus";

/** The selector of everything the cluster's Prometheus and Alertmanager load: what has no evaluator label. */
export const CLUSTER_EVALUATES = { matchExpressions: [{ key: EVALUATOR_LABEL, operator: "DoesNotExist" }] };

/**
 * The kube-prometheus-stack values that make its Prometheus and Alertmanager leave the platforms' own objects out:
 * its selectors (the chart's defaults select every object, or, for PodMonitors, only the release's own).
 */
export function clusterMonitoringValues(): { prometheusSpec: object; alertmanagerSpec: object } {
  return {
    prometheusSpec: {
      serviceMonitorSelector: CLUSTER_EVALUATES,
      podMonitorSelector: CLUSTER_EVALUATES,
      ruleSelector: CLUSTER_EVALUATES,
    },
    alertmanagerSpec: {
      alertmanagerConfigSelector: CLUSTER_EVALUATES,
      // The routes a platform's config declares match only alerts of its own namespace.
      alertmanagerConfigMatcherStrategy: { type: "OnNamespace" },
    },
  };
}
