import { beforeAll, describe, expect, it } from "vitest";
import { platform, postgres, redis, secretRef, service, url } from "../compiler/index.ts";
import type { CompileResult } from "../compiler/compile.ts";
import { compilePlatforms, objectIn, objectsOf } from "./helpers/memory.ts";
import type { Parsed } from "./helpers/parsed.ts";

// A meshed platform with both replicated engines: the primary region exposes them to the other regions, encrypted.
const resources = { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "200m", memory: "256Mi" } };
const probes = { liveness: { path: "/health" }, readiness: { path: "/ready" } };
const shop = platform({
  name: "shop",
  namespace: "shop",
  namePrefix: "shop-",
  config: { DATABASE_URL: url("db", "postgresql", { path: "/shop" }), CACHE_URL: url("cache", "redis") },
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
    }),
  },
  migrations: { image: "docker.io/shop/api:1.0.0", command: ["migrate"], dependsOn: ["db"], resources },
  mesh: { mtls: "STRICT" },
});

let result: CompileResult;
beforeAll(async () => {
  result = await compilePlatforms([shop]);
});
const get = (target: string, kind: string, name: string): Parsed => objectIn(result, target, kind, name);
const env = (o: Parsed): Record<string, string> =>
  Object.fromEntries(o.spec.template.spec.containers[0].env.map((e: Parsed) => [e.name, e.value ?? "(secret)"]));

const PRIMARY = "shop/production/us-west-2";
const SECONDARY = "shop/production/us-east-1";

describe("the primary region exposes its replicated stores to the other regions", () => {
  it("through an internal LoadBalancer on the TLS port, named for the other regions' ExternalName, from their networks", () => {
    expect(get(PRIMARY, "Service", "shop-db-cross-region")).toMatchObject({
      metadata: {
        annotations: {
          "service.beta.kubernetes.io/aws-load-balancer-internal": "true",
          "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
          "external-dns.alpha.kubernetes.io/hostname": "shop-db.shop.production.us-west-2.svc.example.internal",
        },
      },
      spec: {
        type: "LoadBalancer",
        externalTrafficPolicy: "Local",
        loadBalancerSourceRanges: ["10.31.0.0/16", "10.32.0.0/16"],
        selector: { "app.kubernetes.io/component": "primary", "app.kubernetes.io/name": "shop-db" },
        ports: [{ name: "postgres", port: 5432, targetPort: "postgres", protocol: "TCP" }],
      },
    });
    // Redis keeps plain 6379 in the cluster and takes TLS on 6380: only 6380 is exposed.
    expect(get(PRIMARY, "Service", "shop-cache-cross-region").spec.ports).toEqual([
      { name: "tcp-redis-tls", port: 6380, targetPort: "tcp-redis-tls", protocol: "TCP" },
    ]);
    expect(get(PRIMARY, "Service", "shop-cache").spec.type).toBe("ClusterIP");
    // staging runs in two regions only: the primary admits just the secondary's network.
    expect(get("shop/staging/us-west-2", "Service", "shop-db-cross-region").spec.loadBalancerSourceRanges).toEqual([
      "10.21.0.0/16",
    ]);
  });

  it("admits only those networks on only that port, in the NetworkPolicy, the AuthorizationPolicy and mTLS", () => {
    expect(get(PRIMARY, "NetworkPolicy", "shop-cache").spec.ingress).toContainEqual({
      from: [{ ipBlock: { cidr: "10.31.0.0/16" } }, { ipBlock: { cidr: "10.32.0.0/16" } }],
      ports: [{ protocol: "TCP", port: 6380 }],
    });
    const rules = get(PRIMARY, "AuthorizationPolicy", "shop-cache").spec.rules;
    expect(rules).toContainEqual({
      from: [{ source: { ipBlocks: ["10.31.0.0/16", "10.32.0.0/16"] } }],
      to: [{ operation: { ports: ["6380"] } }],
    });
    // No rule admits any source without naming it (the old rule on the client port did).
    for (const r of rules) expect(r.from, JSON.stringify(r)).toBeDefined();
    expect(get(PRIMARY, "PeerAuthentication", "shop-cache").spec.portLevelMtls).toEqual({
      "6380": { mode: "PERMISSIVE" },
    });
  });

  it("encrypts with TLS on the store: a cert-manager Certificate mounted into the primary, the engine's TLS on", () => {
    expect(get(PRIMARY, "Certificate", "shop-db-tls").spec).toMatchObject({
      secretName: "shop-db-tls",
      dnsNames: [
        "shop-db.shop.production.us-west-2.svc.example.internal",
        "shop-db",
        "shop-db.shop.svc",
        "shop-db.shop.svc.cluster.local",
      ],
      issuerRef: { kind: "ClusterIssuer", name: "manifold-cross-region-ca", group: "cert-manager.io" },
    });
    const primary = get(PRIMARY, "StatefulSet", "shop-db-primary");
    expect(env(primary)).toMatchObject({
      POSTGRESQL_ENABLE_TLS: "yes",
      POSTGRESQL_TLS_CERT_FILE: "/etc/manifold/cross-region-tls/tls.crt",
      POSTGRESQL_TLS_KEY_FILE: "/etc/manifold/cross-region-tls/tls.key",
    });
    expect(primary.spec.template.spec.volumes).toContainEqual({
      name: "cross-region-tls",
      secret: { secretName: "shop-db-tls", defaultMode: 0o440 },
    });
    const cache = get(PRIMARY, "StatefulSet", "shop-cache-primary");
    expect(env(cache)).toMatchObject({
      REDIS_TLS_ENABLED: "yes",
      REDIS_TLS_PORT_NUMBER: "6380",
      REDIS_PORT_NUMBER: "6379",
    });
    expect(cache.spec.template.spec.containers[0].ports).toContainEqual({
      name: "tcp-redis-tls",
      containerPort: 6380,
      protocol: "TCP",
    });
    // In-region replicas follow the primary in the cluster, in plain text on 6379, without a certificate.
    expect(env(get(PRIMARY, "StatefulSet", "shop-cache-replica")).REDIS_TLS_ENABLED).toBeUndefined();
  });
});

describe("the other regions reach the primary only with TLS", () => {
  it("writers: the ExternalName names the TLS port, and their URLs ask for TLS", () => {
    expect(get(SECONDARY, "Service", "shop-cache").spec).toMatchObject({
      type: "ExternalName",
      externalName: "shop-cache.shop.production.us-west-2.svc.example.internal",
      ports: [{ name: "tcp-redis-tls", port: 6380 }],
    });
    expect(get(SECONDARY, "ConfigMap", "shop-config").data).toMatchObject({
      DATABASE_URL: "postgresql://shop-db:5432/shop?sslmode=require",
      CACHE_URL: "rediss://shop-cache:6380",
    });
    expect(get(PRIMARY, "ConfigMap", "shop-config").data).toMatchObject({
      DATABASE_URL: "postgresql://shop-db:5432/shop",
      CACHE_URL: "redis://shop-cache:6379",
    });
  });

  it("replicas: their own certificate, TLS required towards the primary, egress only to the primary's network", () => {
    expect(get(SECONDARY, "Certificate", "shop-db-tls").spec.dnsNames).toEqual([
      "shop-db-replica",
      "shop-db-replica.shop.svc",
      "shop-db-replica.shop.svc.cluster.local",
    ]);
    expect(env(get(SECONDARY, "StatefulSet", "shop-db-replica"))).toMatchObject({
      PGSSLMODE: "require",
      POSTGRESQL_ENABLE_TLS: "yes",
      POSTGRESQL_MASTER_HOST: "shop-db.shop.production.us-west-2.svc.example.internal",
    });
    expect(env(get(SECONDARY, "StatefulSet", "shop-cache-replica"))).toMatchObject({
      REDIS_TLS_ENABLED: "yes",
      REDIS_MASTER_PORT_NUMBER: "6380",
    });
    const policy = get(SECONDARY, "NetworkPolicy", "shop-cache").spec;
    expect(policy.egress).toContainEqual({
      to: [{ ipBlock: { cidr: "10.30.0.0/16" } }],
      ports: [{ protocol: "TCP", port: 6380 }],
    });
    // Nothing here calls the local replicas: the callers write to the primary region.
    expect(policy.ingress).toEqual([]);
    expect(get(SECONDARY, "NetworkPolicy", "shop-api").spec.egress).toContainEqual({
      to: [{ ipBlock: { cidr: "10.30.0.0/16" } }],
      ports: [{ protocol: "TCP", port: 5432 }],
    });
  });
});

describe("a single-region environment exposes nothing", () => {
  it("dev: no cross-region Service, no certificate, no TLS settings", () => {
    const dev = "shop/dev/us-west-2";
    expect(objectsOf(result, dev, "Certificate")).toEqual([]);
    expect(objectsOf(result, dev, "Service").map((s) => s.metadata.name)).not.toContain("shop-db-cross-region");
    expect(env(get(dev, "StatefulSet", "shop-db-primary")).POSTGRESQL_ENABLE_TLS).toBeUndefined();
  });
});
