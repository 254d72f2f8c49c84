import { beforeAll, describe, expect, it } from "vitest";
import { platform, postgres, redis, secretRef, service, url } from "../compiler/index.ts";
import type { CompileResult } from "../compiler/compile.ts";
import { compilePlatforms, objectIn, objectsOf } from "./helpers/memory.ts";
import type { Parsed } from "./helpers/parsed.ts";

const CA_FILE = "/etc/manifold/cross-region-ca/ca.crt";

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
// Redis (the official image) takes its settings as redis-server arguments: the value after a flag, or undefined.
/**
 * A Redis member's server arguments: its `args`, or, under failover (a start script that asks the sentinels for the
 * primary), the words of the script's `set --` line.
 */
const args = (o: Parsed): string[] => {
  const c = o.spec.template.spec.containers[0];
  if (c.args) return c.args;
  const line: string = c.command[2].split("\n").find((l: string) => l.startsWith("set -- "));
  return [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]).slice(2);
};
const flag = (o: Parsed, name: string): string | undefined => {
  const a = args(o);
  const i = a.indexOf(name);
  return i < 0 ? undefined : a[i + 1];
};

const PRIMARY = "shop/production/us-west-2";
const SECONDARY = "shop/production/us-east-1";

describe("the primary region exposes its replicated stores to the other regions", () => {
  it("through an internal LoadBalancer on the TLS port, named for the other regions' ExternalName, from their networks", () => {
    expect(get(PRIMARY, "Service", "shop-db-cross-region")).toMatchObject({
      metadata: {
        annotations: {
          "service.beta.kubernetes.io/aws-load-balancer-internal": "true",
          "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
          "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
          "external-dns.alpha.kubernetes.io/hostname": "shop-db.shop.production.us-west-2.svc.example.internal",
        },
      },
      spec: {
        type: "LoadBalancer",
        externalTrafficPolicy: "Local",
        loadBalancerSourceRanges: ["10.31.0.0/16", "10.32.0.0/16"],
        // CloudNativePG's current primary instance, by the operator's labels: it follows a failover.
        selector: { "cnpg.io/cluster": "shop-db", "cnpg.io/instanceRole": "primary" },
        ports: [{ name: "postgres", port: 5432, targetPort: 5432, protocol: "TCP" }],
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
    // The TLS port, and the exporter's port that the cluster's Prometheus scrapes from outside the mesh.
    expect(get(PRIMARY, "PeerAuthentication", "shop-cache").spec.portLevelMtls).toEqual({
      "6380": { mode: "PERMISSIVE" },
      "9121": { mode: "PERMISSIVE" },
    });
  });

  it("encrypts with TLS on the store: postgres by the operator, a cert-manager Certificate mounted into Redis", () => {
    // CloudNativePG serves TLS on 5432 with a server certificate of the cross-region CA, named in the Cluster, for the
    // names the other regions dial and its own Services', from a Secret it reloads on renewal.
    expect(objectsOf(result, PRIMARY, "Certificate").map((c) => c.metadata.name)).toEqual([
      "shop-cache-tls",
      "shop-db-tls",
    ]);
    const db = get(PRIMARY, "Cluster", "shop-db").spec;
    expect(db.certificates).toEqual({ serverTLSSecret: "shop-db-tls", serverCASecret: "shop-db-tls" });
    expect(get(PRIMARY, "Certificate", "shop-db-tls").spec).toMatchObject({
      secretName: "shop-db-tls",
      secretTemplate: { labels: { "cnpg.io/reload": "" } },
      issuerRef: { kind: "ClusterIssuer", name: "manifold-cross-region-ca", group: "cert-manager.io" },
    });
    expect(get(PRIMARY, "Certificate", "shop-db-tls").spec.dnsNames).toEqual(
      expect.arrayContaining([
        "shop-db.shop.production.us-west-2.svc.example.internal",
        "shop-db",
        "shop-db.shop.svc.cluster.local",
        "shop-db-rw",
        "shop-db-rw.shop.svc",
      ]),
    );
    // Its instances stay out of the mesh, so the other regions' TLS reaches PostgreSQL itself.
    expect(db.inheritedMetadata.annotations).toEqual({ "sidecar.istio.io/inject": "false" });
    expect(get(PRIMARY, "Certificate", "shop-cache-tls").spec).toMatchObject({
      secretName: "shop-cache-tls",
      dnsNames: [
        "shop-cache.shop.production.us-west-2.svc.example.internal",
        "shop-cache",
        "shop-cache.shop",
        "shop-cache.shop.svc",
        "shop-cache.shop.svc.cluster.local",
      ],
      issuerRef: { kind: "ClusterIssuer", name: "manifold-cross-region-ca", group: "cert-manager.io" },
    });
    const cache = get(PRIMARY, "StatefulSet", "shop-cache-primary");
    expect(flag(cache, "--port")).toBe("6379");
    expect(flag(cache, "--tls-port")).toBe("6380");
    expect(flag(cache, "--tls-cert-file")).toBe("/etc/manifold/cross-region-tls/tls.crt");
    expect(flag(cache, "--tls-key-file")).toBe("/etc/manifold/cross-region-tls/tls.key");
    expect(flag(cache, "--tls-ca-cert-file")).toBe("/etc/manifold/cross-region-tls/ca.crt");
    expect(cache.spec.template.spec.volumes).toContainEqual({
      name: "cross-region-tls",
      secret: { secretName: "shop-cache-tls", defaultMode: 0o440 },
    });
    expect(cache.spec.template.spec.containers[0].ports).toContainEqual({
      name: "tcp-redis-tls",
      containerPort: 6380,
      protocol: "TCP",
    });
    // Under failover any member may become the primary: the in-region replicas serve TLS too, and follow whichever
    // member the sentinels name, in the cluster, in plain text on 6379.
    const local = get(PRIMARY, "StatefulSet", "shop-cache-replica");
    expect(flag(local, "--tls-port")).toBe("6380");
    expect(args(local)).not.toContain("--tls-replication");
    expect(local.spec.template.spec.containers[0].command[2]).toContain('set -- "$@" --replicaof "$master" 6379');
    expect(local.spec.template.spec.volumes.map((v: Parsed) => v.name)).toContain("cross-region-tls");
    // The other regions reach the current primary through HAProxy, which passes their TLS through to it.
    expect(get(PRIMARY, "Service", "shop-cache-cross-region").spec.selector).toEqual({
      "app.kubernetes.io/name": "shop-cache",
      "app.kubernetes.io/part-of": "shop",
      "app.kubernetes.io/component": "haproxy",
    });
  });
});

describe("the other regions reach the primary only with TLS", () => {
  it("writers: the ExternalName names the TLS port, their URLs ask for verified TLS, and they mount the CA", () => {
    expect(get(SECONDARY, "Service", "shop-cache").spec).toMatchObject({
      type: "ExternalName",
      externalName: "shop-cache.shop.production.us-west-2.svc.example.internal",
      ports: [{ name: "tcp-redis-tls", port: 6380 }],
    });
    expect(get(SECONDARY, "ConfigMap", "shop-config").data).toMatchObject({
      DATABASE_URL: `postgresql://shop-db:5432/shop?sslmode=verify-full&sslrootcert=${CA_FILE}`,
      DATABASE_CA_FILE: CA_FILE,
      CACHE_URL: "rediss://shop-cache:6380",
      CACHE_CA_FILE: CA_FILE,
    });
    // The CA comes from a Certificate of the cross-region CA; the readers of the ConfigMap mount its ca.crt alone.
    expect(get(SECONDARY, "Certificate", "cross-region-ca").spec).toMatchObject({
      secretName: "cross-region-ca",
      issuerRef: { kind: "ClusterIssuer", name: "manifold-cross-region-ca", group: "cert-manager.io" },
    });
    const readers = objectsOf(result, SECONDARY, "Deployment").filter((d: Parsed) =>
      (d.spec.template.spec.containers[0].envFrom ?? []).some((e: Parsed) => e.configMapRef?.name === "shop-config"),
    );
    expect(readers.length).toBeGreaterThan(0);
    for (const reader of readers) {
      expect(reader.spec.template.spec.volumes).toContainEqual({
        name: "cross-region-ca",
        secret: { secretName: "cross-region-ca", items: [{ key: "ca.crt", path: "ca.crt" }], defaultMode: 0o444 },
      });
      expect(reader.spec.template.spec.containers[0].volumeMounts).toContainEqual({
        name: "cross-region-ca",
        mountPath: "/etc/manifold/cross-region-ca",
        readOnly: true,
      });
    }
    // In the primary region the clients stay in the cluster: no CA, no variable.
    expect(objectsOf(result, PRIMARY, "Certificate").map((c) => c.metadata.name)).not.toContain("cross-region-ca");
    expect(get(PRIMARY, "ConfigMap", "shop-config").data.CACHE_CA_FILE).toBeUndefined();
    expect(get(PRIMARY, "ConfigMap", "shop-config").data).toMatchObject({
      DATABASE_URL: "postgresql://shop-db:5432/shop",
      CACHE_URL: "redis://shop-cache:6379",
    });
  });

  it("replicas: Redis's with their own certificate and TLS towards the primary, egress only to its network", () => {
    // Postgres replica clusters follow the primary's object store, not a connection to it: no certificate here.
    expect(objectsOf(result, SECONDARY, "Certificate").map((c) => c.metadata.name)).toEqual([
      "cross-region-ca",
      "shop-cache-tls",
    ]);
    expect(get(SECONDARY, "Cluster", "shop-db").spec.replica).toEqual({
      self: "shop-db-us-east-1",
      primary: "shop-db-us-west-2",
      source: "shop-db-us-west-2",
    });
    expect(get(SECONDARY, "Certificate", "shop-cache-tls").spec.dnsNames).toEqual([
      "shop-cache-replica",
      "shop-cache-replica.shop",
      "shop-cache-replica.shop.svc",
      "shop-cache-replica.shop.svc.cluster.local",
    ]);
    const replica = get(SECONDARY, "StatefulSet", "shop-cache-replica");
    expect(flag(replica, "--tls-replication")).toBe("yes");
    expect(flag(replica, "--tls-port")).toBe("6380");
    expect(flag(replica, "--replicaof")).toBe("shop-cache.shop.production.us-west-2.svc.example.internal");
    expect(args(replica).at(-1)).toBe("6380");
    expect(replica.spec.template.spec.volumes).toContainEqual({
      name: "cross-region-tls",
      secret: { secretName: "shop-cache-tls", defaultMode: 0o440 },
    });
    const policy = get(SECONDARY, "NetworkPolicy", "shop-cache").spec;
    expect(policy.egress).toContainEqual({
      to: [{ ipBlock: { cidr: "10.30.0.0/16" } }],
      ports: [{ protocol: "TCP", port: 6380 }],
    });
    // Nothing here calls the local replicas but their own backup (a restore loads into the primary region), and
    // Prometheus scrapes the exporter: the callers write to the primary region.
    expect(policy.ingress).toContainEqual({ from: [expect.anything()], ports: [{ protocol: "TCP", port: 9121 }] });
    expect(policy.ingress.filter((r: Parsed) => r.ports[0].port !== 9121)).toEqual([
      {
        from: [
          {
            podSelector: {
              matchLabels: { "app.kubernetes.io/name": "shop-cache-backup", "app.kubernetes.io/part-of": "shop" },
            },
          },
        ],
        ports: [{ protocol: "TCP", port: 6379 }],
      },
    ]);
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
    const services = objectsOf(result, dev, "Service").map((s) => s.metadata.name);
    expect(services).toContain("shop-db");
    expect(services).not.toContain("shop-db-cross-region");
    expect(services).not.toContain("shop-cache-cross-region");
    const cache = get(dev, "StatefulSet", "shop-cache-primary");
    expect(flag(cache, "--port")).toBe("6379");
    expect(args(cache).filter((a) => a.startsWith("--tls"))).toEqual([]);
    expect(get(dev, "ConfigMap", "shop-config").data).toMatchObject({
      DATABASE_URL: "postgresql://shop-db:5432/shop",
      CACHE_URL: "redis://shop-cache:6379",
    });
  });
});
