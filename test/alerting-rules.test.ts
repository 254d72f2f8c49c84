/** The alerting rules (alert-routes, receiver-secrets, no-paging) and monitoring-rules' exporter check. */
import { describe, expect, it } from "vitest";
import { alertRoutesRule } from "../compiler/validate/rules/alert-routes.ts";
import { receiverSecretsRule } from "../compiler/validate/rules/receiver-secrets.ts";
import { noPagingRule } from "../compiler/validate/rules/no-paging.ts";
import { monitoringRulesRule } from "../compiler/validate/rules/monitoring-rules.ts";
import { singleEvaluatorRule } from "../compiler/validate/rules/single-evaluator.ts";
import { EVALUATOR_LABEL } from "../compiler/index.ts";
import { buildAlertRouting } from "../compiler/blocks/alert-routing.ts";
import { buildAlertRules } from "../compiler/blocks/alerts.ts";
import { buildSecrets } from "../compiler/blocks/secrets.ts";
import type { ResolvedTarget } from "../compiler/model/target.ts";
import type { RenderedObject } from "../compiler/model/object.ts";
import type { SecretRef } from "../compiler/describe/types.ts";
import { findings, ruleTarget } from "./helpers/rule.ts";
import type { Parsed } from "./helpers/parsed.ts";

const ref = (key: string): SecretRef => ({ kind: "secret", name: "demo-alerting", key });
const ALERTING = {
  receivers: {
    slack: { channel: "#demo", webhook: ref("slack-webhook-url") },
    pagerduty: { routingKey: ref("pagerduty-routing-key") },
  },
  runbooks: "https://runbooks.example.com/demo",
};

function target(environment: string, paging: boolean): ResolvedTarget {
  return ruleTarget({
    id: `demo/${environment}/us-west-2`,
    environment,
    namePrefix: "demo-",
    secretStore: {
      provider: "aws-secrets-manager",
      awsRegion: "us-west-2",
      roleArnPrefix: "arn:aws:iam::111122223333:role/manifold-secrets-",
    },
    hooks: {},
    policy: { networkPolicies: true, disruptionBudgets: true, resourceQuota: true, paging },
    alerting: structuredClone(ALERTING),
    alerts: { demo: [{ alert: "DemoSlow", severity: "warning", expr: "up == 0", summary: "slow" }] },
  });
}

const built = (t: ResolvedTarget): RenderedObject[] => [
  ...buildSecrets(t),
  ...buildAlertRules(t),
  ...buildAlertRouting(t),
];
const config = (objs: RenderedObject[]) => objs.find((o) => o.object.kind === "AlertmanagerConfig")!.object as Parsed;

describe("alerting rules", () => {
  it("find nothing wrong with what the blocks render, in an environment that pages and in one that does not", () => {
    for (const [env, paging] of [
      ["production", true],
      ["dev", false],
    ] as const) {
      const t = target(env, paging);
      const objs = built(t);
      for (const rule of [alertRoutesRule, receiverSecretsRule, noPagingRule, monitoringRulesRule])
        expect(findings(rule, objs, t), `${rule.name} in ${env}`).toEqual([]);
      const receivers = config(objs).spec.receivers.map((r: Parsed) => r.name);
      expect(receivers).toEqual(paging ? ["pagerduty", "slack"] : ["slack"]);
    }
  });

  it("alert-routes: a route to an undefined receiver, and alerts that reach no receiver", () => {
    const t = target("production", true);
    const objs = built(t);
    config(objs).spec.route.receiver = "nobody";
    config(objs).spec.route.routes = [];
    expect(findings(alertRoutesRule, objs, t)).toEqual([
      'AlertmanagerConfig/demo-alert-routing /spec/route/receiver: route sends to receiver "nobody", which this config does not define (pagerduty, slack)',
      "PrometheusRule/demo-rules /spec/groups/0/rules/0/labels: alert DemoSlow (severity warning) reaches no receiver of the target's AlertmanagerConfig",
      "PrometheusRule/demo-rules /spec/groups/1/rules/0/labels: alert DemoPlatformDown (severity critical) reaches no receiver of the target's AlertmanagerConfig",
      "PrometheusRule/demo-rules /spec/groups/2/rules/0/labels: alert DemoPodCrashLooping (severity warning) reaches no receiver of the target's AlertmanagerConfig",
      "PrometheusRule/demo-rules /spec/groups/2/rules/1/labels: alert DemoPodOOMKilled (severity warning) reaches no receiver of the target's AlertmanagerConfig",
    ]);
  });

  it("alert-routes: an alert of another platform's labels matches no route", () => {
    const t = target("production", true);
    const objs = built(t);
    config(objs).spec.route.matchers[0].value = "other";
    expect(findings(alertRoutesRule, objs, t)).toHaveLength(4);
  });

  it("receiver-secrets: a receiver reading a key nothing makes", () => {
    const t = target("production", true);
    const objs = built(t);
    config(objs).spec.receivers[1].slackConfigs[0].apiURL.key = "webhook";
    expect(findings(receiverSecretsRule, objs, t)).toEqual([
      "AlertmanagerConfig/demo-alert-routing /spec/receivers/1/slackConfigs/0/apiURL: receiver slack reads key webhook of Secret demo-alerting, which nothing in the target makes",
    ]);
  });

  it("no-paging: a route to PagerDuty in an environment that does not page", () => {
    const objs = built(target("production", true));
    const dev = target("dev", false);
    expect(findings(noPagingRule, objs, dev)).toEqual([
      'AlertmanagerConfig/demo-alert-routing /spec/route/routes/0/receiver: route sends to receiver "pagerduty" (pagerdutyConfigs), which pages, but environment dev does not page',
    ]);
  });

  it("monitoring-rules: warns about a metric no exporter of the platform provides", () => {
    const t = target("production", true);
    t.alerts = { demo: [{ alert: "DemoQueue", severity: "warning", expr: "demo_queue_depth > 10", summary: "deep" }] };
    const objs = built(t);
    expect(findings(monitoringRulesRule, objs, t)).toEqual([
      "PrometheusRule/demo-rules /spec/groups/0/rules/0/expr: DemoQueue reads demo_queue_depth, which no exporter of this platform provides (prometheus, kube-state-metrics, kubelet)",
    ]);
  });

  it("splits a platform's own Prometheus' rules from the cluster's, each loaded once, Down alerts firing on absence", () => {
    const t = target("production", true);
    t.components = {
      api: { type: "service", image: "docker.io/demo/api:1.0.0", ports: { http: 8080 }, replicas: 2, metrics: {} },
    } as unknown as ResolvedTarget["components"];
    t.prometheusStack = {} as ResolvedTarget["prometheusStack"];
    t.managedCapabilities = [
      { from: "kube-prometheus-stack", provided: [], clusterMonitoring: { leavesOut: EVALUATOR_LABEL } },
    ];
    const objs = built(t);
    const rules = (name: string) => objs.find((o) => o.object.metadata.name === name)!.object as Parsed;
    const alerts = (name: string) => rules(name).spec.groups.flatMap((g: Parsed) => g.rules.map((r: Parsed) => r));
    expect(rules("demo-rules").metadata.labels[EVALUATOR_LABEL]).toBe("demo-prometheus");
    expect(rules("demo-cluster-rules").metadata.labels[EVALUATOR_LABEL]).toBeUndefined();
    // The cluster's Prometheus evaluates what reads kube-state-metrics and the kubelet; the platform's the rest.
    for (const a of alerts("demo-cluster-rules")) expect(a.expr).toMatch(/\b(kube_|container_)/);
    for (const a of alerts("demo-rules")) expect(a.expr).not.toMatch(/\b(kube_|container_|kubelet_)/);
    expect(alerts("demo-cluster-rules").map((a: Parsed) => a.alert)).toContain("DemoPodCrashLooping");
    expect(alerts("demo-rules").find((a: Parsed) => a.alert === "DemoApiDown").expr).toBe(
      'sum(up{namespace="demo",job="demo-api"}) < 1 or absent(up{namespace="demo",job="demo-api"})',
    );
    const configs = objs.filter((o) => o.object.kind === "AlertmanagerConfig").map((o) => o.object.metadata);
    expect(configs.map((m) => [m.name, m.labels?.[EVALUATOR_LABEL]])).toEqual([
      ["demo-alert-routing", "demo-prometheus"],
      ["demo-cluster-alert-routing", undefined],
    ]);
    // Without the platform's own Prometheus and Alertmanager rendered, its labelled objects are loaded by nothing.
    expect(findings(singleEvaluatorRule, objs, t)).toEqual([
      "PrometheusRule/demo-rules /metadata/labels: no Prometheus evaluates it: its alerts never fire",
      "AlertmanagerConfig/demo-alert-routing /metadata/labels: no Alertmanager loads it: the alerts it routes reach nobody",
    ]);
    for (const rule of [alertRoutesRule, receiverSecretsRule, noPagingRule, monitoringRulesRule])
      expect(findings(rule, objs, t), rule.name).toEqual([]);
  });
});
