import { beforeAll, describe, expect, it } from "vitest";
import { platform, postgres, secretRef, service, url } from "../compiler/index.ts";
import type { RenderedObject } from "../compiler/model/object.ts";
import type { CompiledTarget } from "../compiler/model/target.ts";
import { validateTarget } from "../compiler/validate/index.ts";
import type { Finding } from "../compiler/model/finding.ts";
import { compilePlatforms } from "./helpers/memory.ts";
import type { ResolvedTarget } from "../compiler/model/target.ts";
import type { Parsed } from "./helpers/parsed.ts";

// One small platform compiled once; each case changes a copy of one target's
// final objects and asserts the exact finding the rules give.
const resources = { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "200m", memory: "256Mi" } };
const probes = { liveness: { path: "/health" }, readiness: { path: "/ready" } };
const demo = platform({
  name: "demo",
  namespace: "demo",
  namePrefix: "demo-",
  config: { API_URL: url("api", "http") },
  components: {
    db: postgres({ replicas: 2, storage: "1Gi", password: secretRef("demo-db", "password"), resources }),
    api: service({
      image: "docker.io/demo/api:1.0.0",
      ports: { http: 8080, metrics: 9090 },
      replicas: 2,
      resources,
      probes,
      autoscale: { min: 2, max: 4, cpu: 70 },
      dependsOn: ["db"],
      env: { DB_PASSWORD: secretRef("demo-db", "password") },
      expose: { host: "api" },
      metrics: { port: "metrics" },
    }),
  },
  migrations: { image: "docker.io/demo/api:1.0.0", command: ["migrate"], dependsOn: ["db"], resources },
});

let targets: Map<string, CompiledTarget>;
beforeAll(async () => {
  const result = await compilePlatforms([demo]);
  targets = new Map(result.targets.map((t) => [t.target.id, t]));
});

type Change = (objects: RenderedObject[]) => RenderedObject[] | void;
const find = (objects: RenderedObject[], kind: string, name: string) => {
  const o = objects.find((x) => x.object.kind === kind && x.object.metadata.name === name);
  if (!o) throw new Error(`no ${kind}/${name}`);
  return o.object as Parsed;
};
const add =
  (object: Parsed, component?: string): Change =>
  (objects) => [...objects, { object, component, band: "edge" }];

function run(change: Change, id = "demo/production/us-west-2", policy?: Record<string, string>): Finding[] {
  const t = targets.get(id)!;
  const objects: RenderedObject[] = structuredClone(t.objects);
  const changed = change(objects) ?? objects;
  const target = policy
    ? { ...t.target, policy: { ...t.target.policy, rules: policy as ResolvedTarget["policy"]["rules"] } }
    : t.target;
  // Production reports every image without a digest as a warning (test/image-registries.test.ts covers that rule);
  // the cases here assert the other rules' findings exactly.
  // Likewise reachability's least-privilege warnings (the replicas of other regions serve no reads):
  // test/reachability.test.ts covers them.
  return validateTarget(target, changed).filter(
    (f) => f.rule !== "image-digests" && !(f.rule === "reachability" && f.severity === "warning"),
  );
}
const brief = (f: Finding) => `${f.severity} ${f.rule} ${f.object} ${f.pointer}: ${f.message}`;

describe("validation rules", () => {
  it("the demo platform validates clean in every target", () => {
    for (const id of targets.keys()) expect(run(() => undefined, id).map(brief), id).toEqual([]);
  });

  const CASES: { name: string; change: Change; expect: string[] }[] = [
    {
      name: "an unknown field deep in a pod template",
      change: (o) => void (find(o, "Deployment", "demo-api").spec.template.spec.containers[0].resourcez = {}),
      expect: [
        'error unknown-fields Deployment/demo-api /spec/template/spec/containers/0/resourcez: unknown field "resourcez"',
      ],
    },
    {
      name: "an unknown field in metadata and one in a ServiceMonitor endpoint",
      change: (o) => {
        find(o, "Service", "demo-api").metadata.labelz = {};
        find(o, "ServiceMonitor", "demo-api").spec.endpoints[0].intervall = "1m";
      },
      expect: [
        'error unknown-fields Service/demo-api /metadata/labelz: unknown field "labelz"',
        'error unknown-fields ServiceMonitor/demo-api /spec/endpoints/0/intervall: unknown field "intervall"',
      ],
    },
    {
      name: "an unknown field in an ExternalSecret (its v1 model's schema)",
      change: (o) => void (find(o, "ExternalSecret", "demo-db").spec.target.nmae = "x"),
      expect: ['error unknown-fields ExternalSecret/demo-db /spec/target/nmae: unknown field "nmae"'],
    },
    {
      name: "a bad ExternalSecret: a store kind, a remote key and a secret key its v1 model's schema rejects",
      change: (o) => {
        const spec = find(o, "ExternalSecret", "demo-db").spec;
        spec.secretStoreRef.kind = "Vault";
        delete spec.data[0].remoteRef.key;
        spec.data.push({ remoteRef: { key: "other" } });
      },
      expect: [
        "error schema ExternalSecret/demo-db /spec/data/0/remoteRef: must have required property key",
        "error schema ExternalSecret/demo-db /spec/data/1: must have required property secretKey",
        "error schema ExternalSecret/demo-db /spec/secretStoreRef/kind: must be equal to one of the allowed values (SecretStore, ClusterSecretStore)",
      ],
    },
    {
      name: "an ExternalSecret that names no store and lists no keys (its schema leaves both optional)",
      change: (o) => {
        const spec = find(o, "ExternalSecret", "demo-db").spec;
        delete spec.secretStoreRef;
        delete spec.data;
      },
      expect: [
        "error schema ExternalSecret/demo-db /spec/secretStoreRef/name: must name a secret store",
        "error schema ExternalSecret/demo-db /spec/data: must list the keys to read",
      ],
    },
    {
      name: "a label value that is not a string, and an invalid label value",
      change: (o) => {
        const d = find(o, "ConfigMap", "demo-config");
        d.metadata.labels.tier = 3;
        d.metadata.labels.bad = "has space";
      },
      expect: [
        "error schema ConfigMap/demo-config /metadata/labels/tier: must be string",
        "error labels ConfigMap/demo-config /metadata/labels/tier: value must be a string (got 3)",
        'error labels ConfigMap/demo-config /metadata/labels/bad: invalid label value "has space"',
      ],
    },
    {
      name: "container and port names that are not DNS labels",
      change: (o) => {
        const c = find(o, "Deployment", "demo-api").spec.template.spec.containers[0];
        c.name = "API";
        c.ports[0].name = "http-main-endpoint";
      },
      expect: [
        'error names Deployment/demo-api /spec/template/spec/containers/0/name: container name "API" is not a DNS-1123 label',
        "error names Deployment/demo-api /spec/template/spec/containers/0/ports/0/name: port name \"http-main-endpoint\" is not a valid port name (at most 15 lower-case letters, digits and '-')",
        'error service-selectors Service/demo-api /spec/ports/0/targetPort: targets port "http", which Deployment/demo-api does not name',
      ],
    },
    {
      name: "a pod template label that is not valid",
      change: (o) =>
        void (find(o, "Deployment", "demo-api").spec.template.metadata.labels["app.kubernetes.io/version"] =
          "1.0.0+build"),
      expect: [
        'error labels Deployment/demo-api /spec/template/metadata/labels/app.kubernetes.io~1version: invalid label value "1.0.0+build"',
      ],
    },
    {
      name: "a Service name that is not a DNS label (so the Ingress and the URL that use it dangle)",
      change: (o) => void (find(o, "Service", "demo-api").metadata.name = "demo.api"),
      expect: [
        "error names Service/demo.api /metadata/name: \"demo.api\" is not a DNS-1123 label (lower-case alphanumerics and '-', at most 63 characters)",
        'error backends Ingress/demo-api /spec/rules/0/http/paths/0/backend/service/name: routes to Service "demo-api", which this Application does not render',
        'error backends Ingress/demo-api /spec/rules/1/http/paths/0/backend/service/name: routes to Service "demo-api", which this Application does not render',
        'error url-references ConfigMap/demo-config /data/API_URL: points at http://demo-api:8080, but this Application renders no Service "demo-api"',
      ],
    },
    {
      name: "Argo CD annotations with values Argo CD does not know",
      change: (o) => {
        const a = find(o, "ConfigMap", "demo-config").metadata.annotations;
        a["argocd.argoproj.io/sync-wave"] = "first";
        a["argocd.argoproj.io/sync-options"] = "ServerSideApply=true,PruneLast=yes";
        a["argocd.argoproj.io/hook"] = "PreSync,Postsync";
        a["argocd.argoproj.io/hook-delete-policy"] = "HookSucceded";
      },
      expect: [
        'error argocd-values ConfigMap/demo-config /metadata/annotations/argocd.argoproj.io~1sync-wave: sync wave "first" is not an integer',
        'error argocd-values ConfigMap/demo-config /metadata/annotations/argocd.argoproj.io~1sync-options: sync option "PruneLast=yes" must be PruneLast=true',
        'error argocd-values ConfigMap/demo-config /metadata/annotations/argocd.argoproj.io~1hook: unknown hook "Postsync"; Argo CD accepts PreSync, Sync, PostSync, SyncFail, Skip, PreDelete, PostDelete',
        'error argocd-values ConfigMap/demo-config /metadata/annotations/argocd.argoproj.io~1hook-delete-policy: unknown hook delete policy "HookSucceded"; Argo CD accepts HookSucceeded, HookFailed, BeforeHookCreation',
      ],
    },
    {
      name: "a pod that reads a Secret no ExternalSecret makes, and a key its ExternalSecret does not fill",
      change: (o) => {
        const env = find(o, "Deployment", "demo-api").spec.template.spec.containers[0].env;
        env.push({ name: "A", valueFrom: { secretKeyRef: { name: "demo-nope", key: "k" } } });
        env.push({ name: "B", valueFrom: { secretKeyRef: { name: "demo-db", key: "token" } } });
      },
      expect: [
        'error pod-references Deployment/demo-api /spec/template/spec/containers/0/env/1/valueFrom/secretKeyRef: refers to Secret "demo-nope", which this Application does not render',
        'error pod-references Deployment/demo-api /spec/template/spec/containers/0/env/2/valueFrom/secretKeyRef: refers to key "token" of Secret demo-db, which its ExternalSecret does not fill',
      ],
    },
    {
      name: "a Secret volume that a cert-manager Certificate fills is not dangling",
      change: (o) => {
        find(o, "Deployment", "demo-api").spec.template.spec.volumes.push(
          { name: "tls", secret: { secretName: "demo-api-tls" } },
          { name: "ca", secret: { secretName: "demo-ca" } },
        );
        return [
          ...o,
          {
            band: "foundation",
            object: {
              apiVersion: "cert-manager.io/v1",
              kind: "Certificate",
              metadata: { name: "demo-api", namespace: "demo" },
              spec: {
                secretName: "demo-api-tls",
                dnsNames: ["api"],
                issuerRef: { name: "manifold-cross-region-ca", kind: "ClusterIssuer" },
              },
            },
          },
        ];
      },
      expect: [
        'error pod-references Deployment/demo-api /spec/template/spec/volumes/2/secret/secretName: refers to Secret "demo-ca", which this Application does not render',
      ],
    },
    {
      name: "a pod that reads a missing ConfigMap, ServiceAccount and PVC",
      change: (o) => {
        const spec = find(o, "Deployment", "demo-api").spec.template.spec;
        spec.containers[0].envFrom[0].configMapRef.name = "demo-cfg";
        spec.serviceAccountName = "demo-robot";
        spec.volumes = [...(spec.volumes ?? []), { name: "data", persistentVolumeClaim: { claimName: "demo-data" } }];
      },
      expect: [
        'error pod-references Deployment/demo-api /spec/template/spec/serviceAccountName: refers to ServiceAccount "demo-robot", which this Application does not render',
        'error pod-references Deployment/demo-api /spec/template/spec/volumes/1/persistentVolumeClaim/claimName: refers to PersistentVolumeClaim "demo-data", which this Application does not render',
        'error pod-references Deployment/demo-api /spec/template/spec/containers/0/envFrom/0/configMapRef/name: refers to ConfigMap "demo-cfg", which this Application does not render',
      ],
    },
    {
      name: "a Service whose selector matches no pod template",
      change: (o) => void (find(o, "Service", "demo-api").spec.selector["app.kubernetes.io/name"] = "apii"),
      expect: [
        "error service-selectors Service/demo-api /spec/selector: selects no pod template (app.kubernetes.io/name=apii, app.kubernetes.io/part-of=demo)",
      ],
    },
    {
      name: "an Ingress backend port the Service does not expose",
      change: (o) =>
        void (find(o, "Ingress", "demo-api").spec.rules[0].http.paths[0].backend.service.port = { name: "grpc" }),
      expect: [
        "error backends Ingress/demo-api /spec/rules/0/http/paths/0/backend/service/port: routes to port grpc of Service demo-api, which exposes http:8080, metrics:9090",
      ],
    },
    {
      name: "an Istio VirtualService routing to a missing Service and a missing port",
      change: add({
        apiVersion: "networking.istio.io/v1beta1",
        kind: "VirtualService",
        metadata: { name: "demo-api", namespace: "demo" },
        spec: {
          hosts: ["api"],
          http: [
            {
              route: [
                { destination: { host: "demo-apii" } },
                { destination: { host: "demo-api.demo.svc.cluster.local", port: { number: 80 } } },
              ],
            },
          ],
        },
      }),
      expect: [
        'error backends VirtualService/demo-api /spec/http/0/route/0/destination/host: routes to Service "demo-apii", which this Application does not render',
        "error backends VirtualService/demo-api /spec/http/0/route/1/destination/port: routes to port 80 of Service demo-api, which exposes http:8080, metrics:9090",
      ],
    },
    {
      name: "a ServiceMonitor scraping a port name the Service lacks",
      change: (o) => void (find(o, "ServiceMonitor", "demo-api").spec.endpoints[0].port = "metric"),
      expect: [
        'error service-monitors ServiceMonitor/demo-api /spec/endpoints/0/port: scrapes port "metric", which no selected Service names',
      ],
    },
    {
      name: "a NetworkPolicy that selects nothing",
      change: (o) =>
        void (find(o, "NetworkPolicy", "demo-api").spec.podSelector.matchLabels["app.kubernetes.io/name"] = "gone"),
      expect: [
        "error network-policies NetworkPolicy/demo-api /spec/podSelector: selects no pod of this Application, so it protects nothing",
        // and the api's own allow rules are gone: reachability names each path that default-deny now closes
        "error reachability Deployment/demo-api /spec/template/spec: Deployment/demo-api -> Cluster/demo-db on port 5432/TCP (dependsOn) is not allowed: egress denied by NetworkPolicy/allow-dns, NetworkPolicy/default-deny",
        "error reachability Deployment/demo-api /spec/template/spec: Job/demo-smoke-test -> Deployment/demo-api on port 8080/TCP (dependsOn) is not allowed: ingress denied by NetworkPolicy/default-deny",
        "error reachability Deployment/demo-api /spec/template/spec: Job/demo-smoke-test -> Deployment/demo-api on port 9090/TCP (dependsOn) is not allowed: ingress denied by NetworkPolicy/default-deny",
        "error reachability Deployment/demo-api /spec/template/spec: the cluster's Prometheus (namespace monitoring) -> Deployment/demo-api on port 9090/TCP (ServiceMonitor/demo-api) is not allowed: ingress denied by NetworkPolicy/default-deny",
      ],
    },
    {
      name: "a VPA whose target is not rendered",
      change: add({
        apiVersion: "autoscaling.k8s.io/v1",
        kind: "VerticalPodAutoscaler",
        metadata: { name: "demo-api", namespace: "demo" },
        spec: { targetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "demo-apii" } },
      }),
      expect: [
        "error vpa-targets VerticalPodAutoscaler/demo-api /spec/targetRef: targets Deployment/demo-apii, which this Application does not render",
      ],
    },
    {
      name: "a URL in the ConfigMap and one in env pointing at a port the Service does not expose",
      change: (o) => {
        find(o, "ConfigMap", "demo-config").data.API_URL = "http://demo-api:8081";
        find(o, "Deployment", "demo-api").spec.template.spec.containers[0].env.push({
          name: "DB",
          value: "postgresql://demo-db.demo.svc.cluster.local:5433/app",
        });
      },
      expect: [
        "error url-references ConfigMap/demo-config /data/API_URL: points at http://demo-api:8081, but Service demo-api exposes 8080, 9090",
        "error url-references Deployment/demo-api /spec/template/spec/containers/0/env/1/value: points at postgresql://demo-db.demo.svc.cluster.local:5433, but Service demo-db exposes 5432",
      ],
    },
    {
      name: "a workload without requests, limits or probes",
      change: (o) => {
        const c = find(o, "Deployment", "demo-api").spec.template.spec.containers[0];
        delete c.resources.limits;
        delete c.readinessProbe;
      },
      expect: [
        "error requests-limits Deployment/demo-api /spec/template/spec/containers/0/resources/limits: container api sets no cpu or memory limits",
        "error probes Deployment/demo-api /spec/template/spec/containers/0/readinessProbe: container api has no readinessProbe",
      ],
    },
    {
      name: "a single replica and a PDB that blocks drains",
      change: (o) => {
        find(o, "HorizontalPodAutoscaler", "demo-api").spec.minReplicas = 1;
        find(o, "PodDisruptionBudget", "demo-api").spec = {
          selector: find(o, "PodDisruptionBudget", "demo-api").spec.selector,
          minAvailable: 1,
        };
      },
      expect: [
        "error min-replicas Deployment/demo-api /spec/replicas: HorizontalPodAutoscaler/demo-api lets it scale down to 1 pod; one node failure takes it down",
        "error pdb-allows-drain PodDisruptionBudget/demo-api /spec/minAvailable: minAvailable 1 with 1 replica(s) blocks every node drain",
      ],
    },
    {
      name: "spec.replicas under an HPA, and an HPA whose min is above its max",
      change: (o) => {
        find(o, "Deployment", "demo-api").spec.replicas = 2;
        find(o, "HorizontalPodAutoscaler", "demo-api").spec.minReplicas = 5;
      },
      expect: [
        "error hpa HorizontalPodAutoscaler/demo-api /spec/minReplicas: minReplicas (5) is above maxReplicas (4)",
        "error hpa Deployment/demo-api /spec/replicas: sets spec.replicas while HorizontalPodAutoscaler/demo-api scales it; Argo CD and the HPA would fight",
      ],
    },
    {
      name: "a Secret carrying data",
      change: add({
        apiVersion: "v1",
        kind: "Secret",
        metadata: {
          name: "demo-token",
          namespace: "demo",
          annotations: { "waive.manifold.dev/no-plaintext-secret": "test" },
        },
        data: { token: "c2VjcmV0" },
      }),
      expect: [
        "error no-plaintext-secret Secret/demo-token /data: a Secret carries plaintext data",
        "error waivers Secret/demo-token /metadata/annotations/waive.manifold.dev~1no-plaintext-secret: rule no-plaintext-secret cannot be waived",
      ],
    },
    {
      name: "a waiver without a reason, and one naming an unknown rule",
      change: (o) => {
        const a = find(o, "Deployment", "demo-api").metadata.annotations;
        a["waive.manifold.dev/probes"] = " ";
        a["waive.manifold.dev/probe"] = "typo";
        delete find(o, "Deployment", "demo-api").spec.template.spec.containers[0].livenessProbe;
      },
      expect: [
        "error probes Deployment/demo-api /spec/template/spec/containers/0/livenessProbe: container api has no livenessProbe",
        "error waivers Deployment/demo-api /metadata/annotations/waive.manifold.dev~1probes: a waiver must give its reason",
        expect.stringMatching(
          /^error waivers Deployment\/demo-api \/metadata\/annotations\/waive\.manifold\.dev~1probe: waives unknown rule "probe"; known: schema, unknown-fields, /,
        ) as unknown as string,
      ],
    },
  ];

  it.each(CASES)("$name", (c) => {
    expect(run(c.change).map(brief)).toEqual(c.expect);
  });

  it("a waiver with a reason marks the finding waived and keeps the reason", () => {
    const findings = run((o) => {
      const d = find(o, "Deployment", "demo-api");
      d.metadata.annotations["waive.manifold.dev/probes"] = "batch worker: no HTTP endpoint";
      delete d.spec.template.spec.containers[0].livenessProbe;
    });
    expect(findings).toEqual([
      {
        rule: "probes",
        severity: "error",
        target: "demo/production/us-west-2",
        component: "api",
        object: "Deployment/demo-api",
        pointer: "/spec/template/spec/containers/0/livenessProbe",
        message: "container api has no livenessProbe",
        fix: "set probes.readiness and probes.liveness on the component",
        file: "platforms/demo.ts",
        waived: "batch worker: no HTTP endpoint",
      },
    ]);
  });

  it("an environment sets a policy rule's level: off, warning or error (the default)", () => {
    const change: Change = (o) =>
      void delete find(o, "Deployment", "demo-api").spec.template.spec.containers[0].livenessProbe;
    expect(run(change, undefined, { probes: "off" })).toEqual([]);
    expect(run(change, undefined, { probes: "warning" }).map(brief)).toEqual([
      "warning probes Deployment/demo-api /spec/template/spec/containers/0/livenessProbe: container api has no livenessProbe",
    ]);
    expect(run(change, undefined, {}).map((f) => f.severity)).toEqual(["error"]);
  });

  it("correctness rules cannot be relaxed by policy", () => {
    const change: Change = (o) =>
      void (find(o, "Deployment", "demo-api").spec.template.spec.containers[0].resourcez = {});
    expect(run(change, undefined, { "unknown-fields": "off" }).map((f) => f.rule)).toEqual(["unknown-fields"]);
  });
});
