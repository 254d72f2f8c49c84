/** Generated alerts follow each target: thresholds and alerts turned off per layer, paging per environment. */
import { describe, expect, it } from "vitest";
import { platform, secretRef, service } from "../compiler/index.ts";
import { compilePlatforms, objectsOf } from "./helpers/memory.ts";
import { find, renderedObjects } from "./helpers/rendered.ts";
import type { Parsed } from "./helpers/parsed.ts";

const small = { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "200m", memory: "256Mi" } };
const requests = { counter: "http_requests_total", errors: 'status=~"5.."' };

const demo = platform({
  name: "demo",
  namespace: "demo",
  components: {
    api: service({
      image: "docker.io/demo/api:1.0.0",
      ports: { http: 8080 },
      replicas: 2,
      resources: small,
      metrics: { requests },
    }),
  },
  alerting: {
    receivers: {
      slack: { channel: "#demo", webhook: secretRef("demo-alerting", "slack-webhook-url") },
      pagerduty: { routingKey: secretRef("demo-alerting", "pagerduty-routing-key") },
    },
    runbooks: "https://runbooks.example.com/demo",
    thresholds: { errorRatio: 0.02 },
  },
  environments: { dev: { alerting: { thresholds: { errorRatio: 0.25 }, off: ["DemoApiCPUSaturated"] } } },
});

const alerts = (objects: Parsed[]) =>
  objects
    .find((o) => o.kind === "PrometheusRule")
    .spec.groups.flatMap((g: Parsed) => g.rules)
    .filter((r: Parsed) => r.alert);

describe("alert tuning per layer", () => {
  it("dev takes its own error threshold and drops an alert; production keeps the platform's", async () => {
    const result = await compilePlatforms([demo]);
    const dev = alerts(objectsOf(result, "demo/dev/us-west-2"));
    const prod = alerts(objectsOf(result, "demo/production/us-west-2"));
    const errorRate = (list: Parsed[]) => list.find((a: Parsed) => a.alert === "DemoApiHighErrorRate").expr;
    expect(errorRate(dev)).toMatch(/ > 0\.25$/);
    expect(errorRate(prod)).toMatch(/ > 0\.02$/);
    expect(dev.map((a: Parsed) => a.alert)).not.toContain("DemoApiCPUSaturated");
    expect(prod.map((a: Parsed) => a.alert)).toContain("DemoApiCPUSaturated");
  });

  it("only production pages: dev and staging send critical alerts to chat", async () => {
    const result = await compilePlatforms([demo]);
    const receivers = (id: string) =>
      objectsOf(result, id, "AlertmanagerConfig")[0].spec.receivers.map((r: Parsed) => r.name);
    expect(receivers("demo/production/us-east-1")).toEqual(["pagerduty", "slack"]);
    expect(receivers("demo/staging/us-east-1")).toEqual(["slack"]);
    expect(receivers("demo/dev/us-west-2")).toEqual(["slack"]);
  });

  it("the repo's dev takes its own thresholds, and only production's configs (the cluster's copies too) page", () => {
    const rules = (env: string) =>
      renderedObjects(env, "us-west-2", "ossa")
        .filter((o) => o.kind === "PrometheusRule")
        .flatMap((o) => o.spec.groups.flatMap((g: Parsed) => g.rules));
    const expr = (env: string, alert: string) => rules(env).find((r: Parsed) => r.alert === alert).expr;
    expect(expr("dev", "OssaGatewayHighErrorRate")).toMatch(/ > 0\.25$/);
    expect(expr("production", "OssaGatewayHighErrorRate")).toMatch(/ > 0\.05$/);
    expect(expr("dev", "OssaPodCrashLooping")).toMatch(/ > 10$/);
    expect(expr("staging", "OssaPodCrashLooping")).toMatch(/ > 3$/);
    for (const env of ["dev", "staging", "production"])
      for (const platform of ["ossa", "alfred", "multi-agent", "context-foundation"]) {
        const configs = renderedObjects(env, "us-west-2", platform).filter((o) => o.kind === "AlertmanagerConfig");
        expect(configs.length).toBeGreaterThan(0);
        for (const c of configs)
          expect(c.spec.receivers.some((r: Parsed) => r.pagerdutyConfigs)).toBe(env === "production");
      }
  });

  it("context-foundation keeps its twelve or more alerts in production, and dev drops the three that need 2 replicas", () => {
    const names = (env: string) =>
      find(renderedObjects(env, "us-west-2", "context-foundation"), "PrometheusRule", "context-foundation-rules")
        .spec.groups.filter((g: Parsed) => !g.name.startsWith("generated-"))
        .flatMap((g: Parsed) => g.rules.map((r: Parsed) => r.alert));
    expect(names("production").length).toBeGreaterThanOrEqual(12);
    expect(names("production")).toEqual(expect.arrayContaining(["ContextAPIPodDown", "QdrantPodDown", "Neo4jPodDown"]));
    expect(names("dev")).not.toEqual(expect.arrayContaining(["ContextAPIPodDown"]));
    expect(names("dev").filter((n: string) => n.endsWith("PodDown"))).toEqual([]);
  });

  it("multi-agent and alfred get alerts, each with a summary and a runbook", () => {
    for (const p of ["multi-agent", "alfred"]) {
      const objects = renderedObjects("production", "us-west-2", p);
      const list = alerts(objects);
      expect(list.length, p).toBeGreaterThan(10);
      for (const a of list) {
        expect(a.annotations.summary, a.alert).toBeTruthy();
        expect(a.annotations.runbook_url, a.alert).toBe(`https://runbooks.example.com/${p}/${a.alert}`);
      }
    }
  });
});
