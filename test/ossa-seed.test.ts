/** The OSSA seeds' (000, 001) monitoring, mesh, scaling and SLO figures, in the rendered production output. */
import { describe, expect, it } from "vitest";
import { find, renderedObjects } from "./helpers/rendered.ts";
import { selectorMatches } from "../compiler/kube/selectors.ts";
import { EVALUATOR_LABEL } from "../compiler/index.ts";
import type { Parsed } from "./helpers/parsed.ts";
import type { INetworkPolicyPort } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort";
import type { IContainer } from "kubernetes-models/v1/Container";

const prod = renderedObjects("production", "us-west-2", "ossa");
const SERVICES = [
  "gateway",
  "discovery",
  "coordination",
  "orchestration",
  "task-agents",
  "communication-agents",
  "mcp-agents",
];

describe("ossa (seeds 000 and 001) in production", () => {
  it("runs Prometheus and Alertmanager through the operator, selecting the platform's monitors and rules", () => {
    const prometheus = find(prod, "Prometheus", "ossa-prometheus");
    expect(prometheus.metadata.annotations["argocd.argoproj.io/sync-options"]).toBe("SkipDryRunOnMissingResource=true");
    expect(prometheus.spec.version).toMatch(/^v\d+\.\d+\.\d+$/);
    // Its selectors take every monitor and the platform's own rule; the cluster-evaluated rule is left to the cluster.
    const own = { matchLabels: { [EVALUATOR_LABEL]: "ossa-prometheus" } };
    for (const field of ["serviceMonitorSelector", "podMonitorSelector", "ruleSelector"])
      expect(prometheus.spec[field]).toEqual(own);
    const labelsOf = (kind: string) => prod.filter((o) => o.kind === kind).map((o) => o.metadata.labels);
    for (const kind of ["ServiceMonitor", "PodMonitor"]) {
      expect(labelsOf(kind).length).toBeGreaterThan(0);
      for (const labels of labelsOf(kind)) expect(selectorMatches(own, labels)).toBe(true);
    }
    expect(selectorMatches(own, find(prod, "PodMonitor", "ossa-postgresql").metadata.labels)).toBe(true);
    expect(selectorMatches(own, find(prod, "PrometheusRule", "ossa-rules").metadata.labels)).toBe(true);
    expect(selectorMatches(own, find(prod, "PrometheusRule", "ossa-cluster-rules").metadata.labels)).toBe(false);
    const am = find(prod, "Alertmanager", "ossa-alertmanager").spec;
    expect(
      selectorMatches(
        am.alertmanagerConfigSelector,
        find(prod, "AlertmanagerConfig", "ossa-alert-routing").metadata.labels,
      ),
    ).toBe(true);
    expect(
      selectorMatches(
        am.alertmanagerConfigSelector,
        find(prod, "AlertmanagerConfig", "ossa-cluster-alert-routing").metadata.labels,
      ),
    ).toBe(false);
    expect(prometheus.spec.alerting.alertmanagers[0]).toMatchObject({ name: "alertmanager-operated", port: "web" });
    expect(find(prod, "Alertmanager", "ossa-alertmanager").spec.replicas).toBeGreaterThanOrEqual(2);
    expect(find(prod, "Role", "ossa-prometheus").rules[0].verbs).toEqual(["get", "list", "watch"]);
  });

  it("runs Grafana with its admin password by reference, at https://ossa-monitoring.<domain>, and Jaeger", () => {
    const grafana = find(prod, "Deployment", "ossa-grafana").spec.template.spec.containers[0];
    expect(grafana.env.find((e: Parsed) => e.name === "GF_SECURITY_ADMIN_PASSWORD").valueFrom.secretKeyRef).toEqual({
      name: "ossa-grafana-secret",
      key: "admin-password",
    });
    expect(
      find(prod, "ExternalSecret", "ossa-grafana-secret").spec.data.map((d: { secretKey: string }) => d.secretKey),
    ).toEqual(["admin-password"]);
    expect(find(prod, "Ingress", "ossa-grafana").spec.rules[0].host).toBe("ossa-monitoring.us-west-2.example.com");
    expect(find(prod, "Service", "ossa-grafana").spec.ports[0].port).toBe(3000);
    const sources = find(prod, "ConfigMap", "ossa-grafana-etc-grafana-provisioning-datasources").data[
      "datasources.yaml"
    ];
    expect(sources).toContain("url: http://prometheus-operated.ossa-platform.svc:9090");
    expect(find(prod, "Deployment", "ossa-jaeger").spec.template.spec.containers[0].image).toMatch(
      /^docker\.io\/jaegertracing\/all-in-one:\d+\.\d+\.\d+$/,
    );
    expect(find(prod, "NetworkPolicy", "ossa-prometheus-clients").spec.egress[0].ports).toEqual([
      { protocol: "TCP", port: 9090 },
    ]);
    // Every pod may send spans to Jaeger: OTLP gRPC and HTTP, the collector and Zipkin (Istio's sidecars).
    expect(
      find(prod, "NetworkPolicy", "allow-tracing").spec.egress[0].ports.map((p: INetworkPolicyPort) => p.port),
    ).toEqual([4317, 4318, 14268, 9411]);
    expect(find(prod, "AuthorizationPolicy", "ossa-jaeger-spans").spec.rules[0].from[0].source.namespaces).toEqual([
      "ossa-platform",
    ]);
  });

  it("meshes the namespace with STRICT mTLS, circuit breaking on every service and deny-by-default authorization", () => {
    expect(find(prod, "PeerAuthentication", "default").spec.mtls.mode).toBe("STRICT");
    for (const s of SERVICES)
      expect(find(prod, "DestinationRule", `ossa-${s}`).spec.trafficPolicy.outlierDetection).toBeDefined();
    expect(find(prod, "AuthorizationPolicy", "allow-nothing").spec).toEqual({});
    const discovery = find(prod, "AuthorizationPolicy", "ossa-discovery");
    expect(discovery.spec.rules[0].from[0].source.principals).toEqual(
      ["coordination", "gateway", "mcp-agents"].map((c) => `cluster.local/ns/ossa-platform/sa/ossa-${c}`),
    );
    // Prometheus scrapes through the mesh with its own identity.
    expect(discovery.spec.rules.at(-1).from[0].source.principals).toEqual([
      "cluster.local/ns/ossa-platform/sa/ossa-prometheus",
    ]);
    expect(find(prod, "ServiceMonitor", "ossa-discovery").spec.endpoints[0].scheme).toBe("https");
  });

  it("scales every service on CPU 70%, memory 80% and the queue-depth and response-time custom metrics", () => {
    for (const s of SERVICES) {
      const metrics = find(prod, "HorizontalPodAutoscaler", `ossa-${s}`).spec.metrics;
      expect(
        metrics
          .filter((m: Parsed) => m.type === "Resource")
          .map((m: Parsed) => [m.resource.name, m.resource.target.averageUtilization]),
      ).toEqual([
        ["cpu", 70],
        ["memory", 80],
      ]);
      expect(metrics.filter((m: Parsed) => m.type === "Pods").map((m: Parsed) => m.pods.metric.name)).toEqual([
        "ossa_queue_depth",
        "ossa_response_time_seconds",
      ]);
    }
  });

  it("has VPAs: recommendation-only beside HPAs, applied at creation for the stores", () => {
    const vpas = prod.filter((o) => o.kind === "VerticalPodAutoscaler");
    for (const s of SERVICES)
      expect(find(prod, "VerticalPodAutoscaler", `ossa-${s}`).spec.updatePolicy.updateMode).toBe("Off");
    expect(find(prod, "VerticalPodAutoscaler", "ossa-qdrant").spec.updatePolicy.updateMode).toBe("Initial");
    expect(vpas.length).toBeGreaterThanOrEqual(SERVICES.length + 3);
  });

  it("keeps the 99.97% uptime series over 5m, 1h and 24h for the dashboards, from the SLO's recorded error ratio", () => {
    const groups = find(prod, "PrometheusRule", "ossa-rules").spec.groups;
    const records = groups.find((g: Parsed) => g.name === "ossa-slo").rules;
    expect(records).toEqual([
      { record: "ossa:uptime_percentage_5m", expr: '100 * (1 - slo:sli_error:ratio_rate5m{slo="availability"})' },
      { record: "ossa:uptime_percentage_1h", expr: '100 * (1 - slo:sli_error:ratio_rate1h{slo="availability"})' },
      { record: "ossa:uptime_percentage_24h", expr: '100 * (1 - slo:sli_error:ratio_rate1d{slo="availability"})' },
    ]);
    // No alert reads an average of scrape success any more: the burn-rate alerts (slo.test.ts) replace them.
    const alerts = groups.flatMap((g: Parsed) => g.rules).filter((r: Parsed) => r.alert);
    expect(alerts.filter((a: Parsed) => a.expr.includes("uptime_percentage"))).toEqual([]);
  });

  it("pins every image", () => {
    const images = prod
      .flatMap((o) => o.spec?.template?.spec?.containers ?? [])
      .map((c: IContainer) => c.image as string);
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) {
      expect(image).toMatch(/:[^:/]+$/);
      expect(image).not.toMatch(/:latest$/);
    }
  });
});
