import { beforeAll, describe, expect, it } from "vitest";
import { blockAdmits } from "../compiler/kube/cidr.ts";
import {
  networkPolicyVerdict,
  type NetworkEndpoint,
  type PodEndpoint,
  type Port,
} from "../compiler/kube/network-policy.ts";
import { authorizationVerdict, peerAuthenticationMode } from "../compiler/kube/istio-policy.ts";
import type { KubeObject, RenderedObject } from "../compiler/model/object.ts";
import type { CompiledTarget } from "../compiler/model/target.ts";
import { platform, postgres, redis, secretRef, service } from "../compiler/index.ts";
import { reachabilityRule } from "../compiler/validate/rules/reachability.ts";
import { reporter } from "../compiler/validate/context.ts";
import type { Finding } from "../compiler/model/finding.ts";
import { compilePlatforms } from "./helpers/memory.ts";
import type { Parsed } from "./helpers/parsed.ts";

const pod = (name: string, labels: Record<string, string>, extra: Partial<PodEndpoint> = {}): PodEndpoint => ({
  kind: "pod",
  name,
  namespace: "shop",
  namespaceLabels: { "kubernetes.io/metadata.name": "shop" },
  labels,
  ports: { http: 8080 },
  meshed: false,
  ...extra,
});
const api = pod("Deployment/api", { app: "api" });
const web = pod("Deployment/web", { app: "web" });
const tcp = (port: number): Port => ({ port, protocol: "TCP" });
const policy = (name: string, spec: Record<string, unknown>, kind = "NetworkPolicy"): KubeObject => ({
  apiVersion: kind === "NetworkPolicy" ? "networking.k8s.io/v1" : "security.istio.io/v1",
  kind,
  metadata: { name, namespace: "shop" },
  spec,
});
const denyAll = policy("default-deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] });

describe("CIDR blocks", () => {
  it("admit a range inside the block and outside every exception", () => {
    expect(blockAdmits("10.0.0.0/8", [], "10.31.0.0/16")).toBe(true);
    expect(blockAdmits("10.0.0.0/8", ["10.31.0.0/16"], "10.31.4.0/24")).toBe(false);
    expect(blockAdmits("10.0.0.0/8", ["10.30.0.0/16"], "10.31.0.0/16")).toBe(true);
    expect(blockAdmits("10.30.0.0/16", [], "10.0.0.0/8")).toBe(false);
    expect(blockAdmits("0.0.0.0/0", [], "192.168.1.1")).toBe(true);
    expect(blockAdmits("::/0", [], "10.0.0.0/8")).toBe(false);
  });
});

describe("NetworkPolicy semantics", () => {
  it("a pod no policy selects takes and makes any connection", () => {
    expect(networkPolicyVerdict([], "Ingress", api, web, tcp(8080))).toEqual({
      allowed: true,
      by: "no NetworkPolicy selects Deployment/api",
    });
  });

  it("default deny isolates both directions, and names the policies that isolate", () => {
    expect(networkPolicyVerdict([denyAll], "Ingress", api, web, tcp(8080))).toEqual({
      allowed: false,
      by: "NetworkPolicy/default-deny",
    });
    expect(networkPolicyVerdict([denyAll], "Egress", web, api, tcp(8080)).allowed).toBe(false);
  });

  it("a podSelector peer is a pod of the policy's namespace; a named port is the destination's container port", () => {
    const allow = policy("api", {
      podSelector: { matchLabels: { app: "api" } },
      ingress: [{ from: [{ podSelector: { matchLabels: { app: "web" } } }], ports: [{ port: "http" }] }],
    });
    expect(networkPolicyVerdict([denyAll, allow], "Ingress", api, web, tcp(8080))).toEqual({
      allowed: true,
      by: "NetworkPolicy/api",
      rule: "api/ingress/0",
    });
    expect(networkPolicyVerdict([denyAll, allow], "Ingress", api, web, tcp(9090)).allowed).toBe(false);
    const elsewhere = { ...web, namespace: "other", namespaceLabels: { "kubernetes.io/metadata.name": "other" } };
    expect(networkPolicyVerdict([denyAll, allow], "Ingress", api, elsewhere, tcp(8080)).allowed).toBe(false);
    expect(networkPolicyVerdict([denyAll, allow], "Ingress", api, web, { port: 8080, protocol: "UDP" }).allowed).toBe(
      false,
    );
  });

  it("namespaceSelector with podSelector selects those pods in those namespaces; endPort makes a range", () => {
    const allow = policy("api", {
      podSelector: { matchLabels: { app: "api" } },
      policyTypes: ["Ingress"],
      ingress: [
        {
          from: [
            {
              namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } },
              podSelector: { matchLabels: { app: "controller" } },
            },
          ],
          ports: [{ protocol: "TCP", port: 8000, endPort: 8100 }],
        },
      ],
    });
    const controller = pod(
      "Deployment/controller",
      { app: "controller" },
      {
        namespace: "ingress-nginx",
        namespaceLabels: { "kubernetes.io/metadata.name": "ingress-nginx" },
      },
    );
    expect(networkPolicyVerdict([allow], "Ingress", api, controller, tcp(8080)).allowed).toBe(true);
    expect(networkPolicyVerdict([allow], "Ingress", api, controller, tcp(8200)).allowed).toBe(false);
    expect(networkPolicyVerdict([allow], "Ingress", api, { ...controller, labels: {} }, tcp(8080)).allowed).toBe(false);
  });

  it("an ipBlock admits networks outside the cluster, never pods", () => {
    const remote: NetworkEndpoint = { kind: "network", name: "region us-east-1", cidrs: ["10.31.0.0/16"] };
    const allow = policy("db", {
      podSelector: {},
      ingress: [{ from: [{ ipBlock: { cidr: "10.0.0.0/8", except: ["10.32.0.0/16"] } }] }],
    });
    expect(networkPolicyVerdict([allow], "Ingress", api, remote, tcp(5432)).allowed).toBe(true);
    expect(networkPolicyVerdict([allow], "Ingress", api, { ...remote, cidrs: ["10.32.0.0/16"] }, tcp(5432))).toEqual({
      allowed: false,
      by: "NetworkPolicy/db",
    });
    expect(networkPolicyVerdict([allow], "Ingress", api, web, tcp(5432)).allowed).toBe(false);
  });
});

describe("Istio semantics", () => {
  const meshedWeb = { ...web, meshed: true, principal: "cluster.local/ns/shop/sa/web" };
  const meshedApi = { ...api, meshed: true };

  it("PeerAuthentication: a workload's port-level mode, then its own, then the namespace's, then PERMISSIVE", () => {
    const ns = policy("default", { mtls: { mode: "STRICT" } }, "PeerAuthentication");
    const workload = policy(
      "api",
      {
        selector: { matchLabels: { app: "api" } },
        mtls: { mode: "STRICT" },
        portLevelMtls: { "5432": { mode: "PERMISSIVE" } },
      },
      "PeerAuthentication",
    );
    expect(peerAuthenticationMode([], api, 8080)).toEqual({ mode: "PERMISSIVE", by: "Istio's default (PERMISSIVE)" });
    expect(peerAuthenticationMode([ns], api, 8080)).toEqual({ mode: "STRICT", by: "PeerAuthentication/default" });
    expect(peerAuthenticationMode([ns, workload], api, 5432)).toEqual({
      mode: "PERMISSIVE",
      by: "PeerAuthentication/api (port 5432)",
    });
    expect(peerAuthenticationMode([ns, workload], api, 8080).mode).toBe("STRICT");
  });

  it("an ALLOW policy without rules denies everything; a matching DENY wins over any ALLOW", () => {
    const nothing = policy("allow-nothing", {}, "AuthorizationPolicy");
    const allow = policy(
      "api",
      {
        action: "ALLOW",
        selector: { matchLabels: { app: "api" } },
        rules: [
          {
            from: [{ source: { principals: ["cluster.local/ns/shop/sa/web"] } }],
            to: [{ operation: { ports: ["8080"] } }],
          },
        ],
      },
      "AuthorizationPolicy",
    );
    const deny = policy(
      "no-web",
      { action: "DENY", rules: [{ from: [{ source: { namespaces: ["shop"] } }] }] },
      "AuthorizationPolicy",
    );
    const request = { source: meshedWeb, mtls: true, port: 8080, http: true };
    expect(authorizationVerdict([], meshedApi, request)).toEqual({
      allowed: true,
      by: "no AuthorizationPolicy selects Deployment/api",
    });
    expect(authorizationVerdict([nothing], meshedApi, request)).toEqual({
      allowed: false,
      by: "AuthorizationPolicy/allow-nothing",
    });
    expect(authorizationVerdict([nothing, allow], meshedApi, request)).toEqual({
      allowed: true,
      by: "AuthorizationPolicy/api",
      rule: "api/rules/0",
    });
    expect(authorizationVerdict([nothing, allow, deny], meshedApi, request)).toEqual({
      allowed: false,
      by: "AuthorizationPolicy/no-web (DENY)",
      rule: "no-web/rules/0",
    });
    // Without mutual TLS the principal is unknown: the ALLOW rule cannot match.
    expect(authorizationVerdict([nothing, allow], meshedApi, { ...request, mtls: false }).allowed).toBe(false);
  });

  it("HTTP-only fields never match TCP in an ALLOW rule; ipBlocks match networks outside the cluster", () => {
    const getOnly = policy(
      "api",
      { rules: [{ to: [{ operation: { ports: ["5432"], methods: ["GET"] } }] }] },
      "AuthorizationPolicy",
    );
    expect(
      authorizationVerdict([getOnly], meshedApi, { source: meshedWeb, mtls: true, port: 5432, http: false }).allowed,
    ).toBe(false);
    expect(
      authorizationVerdict([getOnly], meshedApi, { source: meshedWeb, mtls: true, port: 5432, http: true }).allowed,
    ).toBe(true);
    const fromRegions = policy(
      "db",
      { rules: [{ from: [{ source: { ipBlocks: ["10.31.0.0/16"] } }], to: [{ operation: { ports: ["5432"] } }] }] },
      "AuthorizationPolicy",
    );
    const remote: NetworkEndpoint = { kind: "network", name: "region us-east-1", cidrs: ["10.31.0.0/16"] };
    expect(
      authorizationVerdict([fromRegions], meshedApi, { source: remote, mtls: false, port: 5432, http: false }).allowed,
    ).toBe(true);
    expect(
      authorizationVerdict([fromRegions], meshedApi, { source: meshedWeb, mtls: true, port: 5432, http: false })
        .allowed,
    ).toBe(false);
  });
});

// A meshed platform with a replicated database (CloudNativePG) and cache (Redis), compiled once; each case changes a
// copy of one target's objects.
const resources = { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "200m", memory: "256Mi" } };
const probes = { liveness: { path: "/health" }, readiness: { path: "/ready" } };
const shop = platform({
  name: "shop",
  namespace: "shop",
  namePrefix: "shop-",
  components: {
    db: postgres({ replicas: 2, storage: "1Gi", password: secretRef("shop-db", "password"), resources }),
    cache: redis({ replicas: 2, storage: "1Gi", password: secretRef("shop-cache", "password"), resources }),
    api: service({
      image: "docker.io/shop/api:1.0.0",
      ports: { http: 8080 },
      replicas: 2,
      resources,
      probes,
      dependsOn: ["db", "cache"],
      env: { DB_PASSWORD: secretRef("shop-db", "password"), CACHE_PASSWORD: secretRef("shop-cache", "password") },
    }),
    web: service({
      image: "docker.io/shop/web:1.0.0",
      ports: { http: 3000 },
      replicas: 2,
      resources,
      probes,
      dependsOn: ["api"],
    }),
  },
  migrations: { image: "docker.io/shop/api:1.0.0", command: ["migrate"], dependsOn: ["db"], resources },
  mesh: { mtls: "STRICT" },
});

let targets: Map<string, CompiledTarget>;
beforeAll(async () => {
  const result = await compilePlatforms([shop]);
  targets = new Map(result.targets.map((t) => [t.target.id, t]));
});

function findings(id: string, change: (objects: RenderedObject[]) => void = () => undefined): string[] {
  const t = targets.get(id)!;
  const objects: RenderedObject[] = structuredClone(t.objects);
  change(objects);
  const out: Finding[] = [];
  reachabilityRule.check({ target: t.target, objects }, reporter({ target: t.target, objects }, "reachability", out));
  return out.map((f) => `${f.severity} ${f.object} ${f.pointer}: ${f.message}`);
}
const get = (objects: RenderedObject[], kind: string, name: string): Parsed =>
  objects.find((o) => o.object.kind === kind && o.object.metadata.name === name)!.object;

describe("the reachability rule over a compiled platform", () => {
  it("finds every path allowed in every target, and only the replicas other regions do not read", () => {
    expect(findings("shop/production/us-west-2")).toEqual([]);
    expect(findings("shop/dev/us-west-2")).toEqual([]);
    // CloudNativePG's replica cluster serves no Service of Manifold's; Redis's local replicas nothing reads.
    expect(findings("shop/production/us-east-1")).toEqual([
      "warning Service/shop-cache-replica /spec/selector: no dependsOn edge or URL reads from the replicas of cache in this region: every path goes to the primary region",
    ]);
  });

  it("names both ends, the port and the policy that denies a path", () => {
    const out = findings("shop/production/us-west-2", (o) => {
      get(o, "AuthorizationPolicy", "shop-api").spec.rules[0].from[0].source.principals = [];
    });
    expect(out).toEqual([
      "error Deployment/shop-api /spec/template/spec: Deployment/shop-web -> Deployment/shop-api on port 8080/TCP (dependsOn) is not allowed: authorization denied by AuthorizationPolicy/allow-nothing, AuthorizationPolicy/shop-api",
    ]);
  });

  it("refuses plain text where the server's port is STRICT, and a cross-region path without its exposure", () => {
    const out = findings("shop/production/us-west-2", (o) => {
      const pa = get(o, "PeerAuthentication", "shop-cache");
      pa.spec.portLevelMtls = { ...pa.spec.portLevelMtls, "6380": { mode: "STRICT" } };
      get(o, "Service", "shop-cache-cross-region").spec.type = "ClusterIP";
      get(o, "Service", "shop-db-cross-region").spec.type = "ClusterIP";
    });
    const regions = ["us-east-1", "eu-west-1"];
    expect(out).toEqual([
      ...regions.map(
        (r) =>
          `error Cluster/shop-db /spec: region ${r} -> Cluster/shop-db on port 5432/TCP (writes and replication from ${r}) is not allowed: exposure denied by no LoadBalancer Service takes region ${r} to port 5432`,
      ),
      ...regions.map(
        (r) =>
          // Redis fails over in the primary region: the other regions reach its current primary through HAProxy.
          `error Deployment/shop-cache-haproxy /spec/template/spec: region ${r} -> Deployment/shop-cache-haproxy on port 6380/TCP (writes and replication from ${r}) is not allowed: exposure denied by no LoadBalancer Service takes region ${r} to port 6380; mtls denied by PeerAuthentication/shop-cache (port 6380) is STRICT and the client sends plain text`,
      ),
    ]);
  });

  it("refuses cross-region traffic to a store that mounts no certificate", () => {
    const out = findings("shop/production/us-east-1", (o) => {
      const spec = get(o, "StatefulSet", "shop-cache-replica").spec.template.spec;
      spec.volumes = spec.volumes.filter((v: Parsed) => !v.secret);
    });
    expect(out).toContainEqual(
      "error StatefulSet/shop-cache-replica /spec/template/spec: StatefulSet/shop-cache-replica -> region us-west-2 on port 6380/TCP (replication of cache) is not allowed: encryption denied by StatefulSet/shop-cache-replica mounts no certificate: traffic between regions would be plain text",
    );
  });

  it("follows each PodMonitor from the Prometheus that loads it to the pods it scrapes", () => {
    // The cluster's Prometheus scrapes CloudNativePG's exporter (9187) on every instance; without the rule, it cannot.
    const out = findings("shop/production/us-west-2", (o) => {
      const np = get(o, "NetworkPolicy", "shop-db").spec;
      np.ingress = np.ingress.filter((r: Parsed) => !r.ports.some((p: Parsed) => p.port === 9187));
    });
    expect(out).toEqual([
      "error Cluster/shop-db /spec: the cluster's Prometheus (namespace monitoring) -> Cluster/shop-db on port 9187/TCP (PodMonitor/shop-db) is not allowed: ingress denied by NetworkPolicy/default-deny, NetworkPolicy/shop-db",
    ]);
  });

  it("lets the cluster's Prometheus, outside the mesh, scrape an exporter only on a port the mesh leaves PERMISSIVE", () => {
    const out = findings("shop/production/us-west-2", (o) => {
      delete get(o, "PeerAuthentication", "shop-cache").spec.portLevelMtls["9121"];
    });
    expect(out).toContainEqual(
      "error StatefulSet/shop-cache-primary /spec/template/spec: the cluster's Prometheus (namespace monitoring) -> StatefulSet/shop-cache-primary on port 9121/TCP (PodMonitor/shop-cache) is not allowed: mtls denied by PeerAuthentication/shop-cache is STRICT and the client sends plain text",
    );
  });

  it("judges a scrape as TCP: an authorization rule with HTTP methods never admits it", () => {
    const out = findings("shop/production/us-west-2", (o) => {
      const rules = get(o, "AuthorizationPolicy", "shop-cache").spec.rules as Parsed[];
      const scrape = rules.find((r) => r.from[0].source.notPrincipals && r.to[0].operation.ports.includes("9121"))!;
      scrape.to[0].operation.methods = ["GET"];
    });
    expect(out).toContainEqual(
      expect.stringMatching(
        /^error StatefulSet\/shop-cache-primary .*the cluster's Prometheus \(namespace monitoring\) -> StatefulSet\/shop-cache-primary on port 9121\/TCP \(PodMonitor\/shop-cache\) is not allowed: authorization denied/,
      ),
    );
  });

  it("refuses cross-region traffic that HAProxy passes through to a member that mounts no certificate", () => {
    const out = findings("shop/production/us-west-2", (o) => {
      const spec = get(o, "StatefulSet", "shop-cache-replica").spec.template.spec;
      spec.volumes = spec.volumes.filter((v: Parsed) => !v.secret);
    });
    expect(out).toContainEqual(
      "error Deployment/shop-cache-haproxy /spec/template/spec: region us-east-1 -> Deployment/shop-cache-haproxy on port 6380/TCP (writes and replication from us-east-1) is not allowed: encryption denied by Deployment/shop-cache-haproxy passes TLS through to members that mount no certificate: traffic between regions would be plain text",
    );
  });

  it("judges Sentinel's paths: a policy without Sentinel's port cuts the sentinels off the members' questions", () => {
    const out = findings("shop/production/us-west-2", (o) => {
      const policy = get(o, "NetworkPolicy", "shop-cache").spec;
      for (const rule of [...policy.ingress, ...policy.egress])
        rule.ports = rule.ports?.filter((p: Parsed) => p.port !== 26379);
    });
    expect(out).toContainEqual(
      expect.stringMatching(
        /^error StatefulSet\/shop-cache-sentinel .*StatefulSet\/shop-cache-sentinel -> StatefulSet\/shop-cache-sentinel on port 26379\/TCP \(sentinels of cache\) is not allowed: egress denied/,
      ),
    );
  });

  it("opens ACME HTTP-01 challenges only where an Issuer solves them, and reports them closed", () => {
    const out = findings(
      "shop/production/us-west-2",
      (o) =>
        void o.push({
          band: "foundation",
          object: {
            apiVersion: "cert-manager.io/v1",
            kind: "Issuer",
            metadata: { name: "acme", namespace: "shop" },
            spec: { acme: { solvers: [{ http01: { ingress: { ingressClassName: "nginx" } } }] } },
          },
        }),
    );
    expect(out).toEqual([
      "error Namespace/shop /metadata/labels: the ingress controller (namespace ingress-nginx) -> cert-manager's HTTP-01 solver on port 8089/TCP (ACME HTTP-01 challenge) is not allowed: ingress denied by NetworkPolicy/default-deny; mtls denied by PeerAuthentication/default is STRICT and the client sends plain text; authorization denied by AuthorizationPolicy/allow-nothing",
    ]);
  });

  it("reports an allow rule no path uses, and a store credential read by a workload that never connects", () => {
    const out = findings("shop/production/us-west-2", (o) => {
      get(o, "NetworkPolicy", "shop-web").spec.ingress.push({
        from: [
          {
            podSelector: { matchLabels: { "app.kubernetes.io/name": "shop-api", "app.kubernetes.io/part-of": "shop" } },
          },
        ],
      });
      get(o, "Deployment", "shop-web").spec.template.spec.containers[0].env = [
        { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "shop-db", key: "password" } } },
      ];
    });
    expect(out).toEqual([
      "warning NetworkPolicy/shop-web /spec/ingress/0: allows traffic between this platform's pods that no dependsOn edge, URL or replication link uses",
      "warning Deployment/shop-web /spec/template/spec/containers: reads the credential of db (Secret shop-db, key password) but never connects to db",
    ]);
  });
});
