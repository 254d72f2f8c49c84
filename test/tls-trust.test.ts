import { describe, expect, it } from "vitest";
import { tlsTrustRule } from "../compiler/validate/rules/tls-trust.ts";
import type { KubeObject, RenderedObject } from "../compiler/model/object.ts";
import type { ResolvedTarget } from "../compiler/model/target.ts";
import { findings, ruleTarget } from "./helpers/rule.ts";

const CA = "/etc/manifold/cross-region-ca/ca.crt";
const cluster = (serviceDomain: string) => ({ serviceDomain, networks: ["10.0.0.0/16"] });

/** A target with a Redis and a Postgres store whose primary region is us-west-2. */
const target = (role: "primary" | "secondary"): ResolvedTarget =>
  ruleTarget({
    region: role === "primary" ? "us-west-2" : "us-east-1",
    role,
    namePrefix: "demo-",
    components: {
      cache: { type: "store", engine: "redis", replicas: 1 },
      db: { type: "store", engine: "postgres", replicas: 1 },
    } as unknown as ResolvedTarget["components"],
    primary: { region: "us-west-2", cluster: cluster("production.us-west-2.example.internal") },
    peers: [{ region: role === "primary" ? "us-east-1" : "us-west-2", role: "primary", cluster: cluster("x") }],
  } as Partial<ResolvedTarget>);

const item = (object: KubeObject, component?: string): RenderedObject => ({ object, component, band: "workload" });
const service = (name: string, component: string) =>
  item({ apiVersion: "v1", kind: "Service", metadata: { name, namespace: "demo" }, spec: {} }, component);
const certificate = (name: string, issuer: string, dnsNames?: string[]) =>
  item({
    apiVersion: "cert-manager.io/v1",
    kind: "Certificate",
    metadata: { name, namespace: "demo" },
    spec: { secretName: name, dnsNames, issuerRef: { kind: "ClusterIssuer", name: issuer } },
  });
const config = (data: Record<string, string>) =>
  item({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "demo-config", namespace: "demo" }, data });
const deployment = (secretName: string | undefined, env: { name: string; value: string }[] = []) =>
  item(
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "demo-api", namespace: "demo" },
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: "api",
                envFrom: [{ configMapRef: { name: "demo-config" } }],
                env,
                volumeMounts: secretName ? [{ name: "ca", mountPath: "/etc/manifold/cross-region-ca" }] : [],
              },
            ],
            volumes: secretName
              ? [{ name: "ca", secret: { secretName, items: [{ key: "ca.crt", path: "ca.crt" }] } }]
              : [],
          },
        },
      },
    },
    "api",
  );
const stores = [service("demo-cache", "cache"), service("demo-db", "db")];
const trusted = certificate("cross-region-ca", "manifold-cross-region-ca");
const verifyFull = `postgresql://demo-db:5432/app?sslmode=verify-full&sslrootcert=${CA}`;

const CASES: { name: string; role?: "primary"; objects: RenderedObject[]; expect: string[] }[] = [
  {
    name: "clients that mount the CA their URL and variable name",
    objects: [
      ...stores,
      trusted,
      config({ REDIS_URL: "rediss://demo-cache:6380", REDIS_CA_FILE: CA, DB_URL: verifyFull }),
      deployment("cross-region-ca"),
    ],
    expect: [],
  },
  {
    name: "a Redis URL with no CA file variable",
    objects: [...stores, trusted, config({ REDIS_URL: "rediss://demo-cache:6380" }), deployment("cross-region-ca")],
    expect: [
      "Deployment/demo-api /spec/template/spec/containers/0/envFrom/0: REDIS_URL reaches demo-cache in the primary region over TLS, whose certificate comes from the private cross-region CA, but names no CA file (no sslrootcert, no REDIS_CA_FILE)",
    ],
  },
  {
    name: "sslmode=require, which libpq does not verify",
    objects: [
      ...stores,
      trusted,
      config({}),
      deployment("cross-region-ca", [
        { name: "DB_URL", value: `postgresql://demo-db:5432/app?sslmode=require&sslrootcert=${CA}` },
      ]),
    ],
    expect: [
      "Deployment/demo-api /spec/template/spec/containers/0/env/0: DB_URL asks demo-db in the primary region for sslmode=require: libpq never checks the server's name with it, node-postgres reads it as verify-full",
    ],
  },
  {
    name: "a CA file mounted from a Secret that no cross-region Certificate makes",
    objects: [
      ...stores,
      certificate("other-ca", "letsencrypt-prod"),
      config({ DB_URL: verifyFull }),
      deployment("other-ca"),
    ],
    expect: [
      `Deployment/demo-api /spec/template/spec/containers/0/envFrom/0: DB_URL trusts ${CA} for demo-db in the primary region, but the container mounts no ca.crt of a manifold-cross-region-ca Certificate there: a verifying client rejects the server`,
    ],
  },
  {
    name: "a CA file that is not mounted at all",
    objects: [...stores, trusted, config({ DB_URL: verifyFull }), deployment(undefined)],
    expect: [
      `Deployment/demo-api /spec/template/spec/containers/0/envFrom/0: DB_URL trusts ${CA} for demo-db in the primary region, but the container mounts no ca.crt of a manifold-cross-region-ca Certificate there: a verifying client rejects the server`,
    ],
  },
  {
    name: "in the primary region, a server certificate without the store's short name",
    role: "primary",
    objects: [
      item(
        {
          apiVersion: "v1",
          kind: "Service",
          metadata: {
            name: "demo-cache-cross-region",
            namespace: "demo",
            annotations: {
              "external-dns.alpha.kubernetes.io/hostname": "demo-cache.demo.production.us-west-2.example.internal",
            },
          },
          spec: { type: "LoadBalancer" },
        },
        "cache",
      ),
      certificate("demo-cache-tls", "manifold-cross-region-ca", [
        "demo-cache.demo.production.us-west-2.example.internal",
        "demo-cache.demo",
        "demo-cache.demo.svc",
        "demo-cache.demo.svc.cluster.local",
      ]),
    ],
    expect: [
      "Certificate/demo-cache-tls /spec/dnsNames: the server certificate of demo-cache does not name demo-cache, which clients in other regions dial: verify-full (and a verifying Redis client) rejects it",
    ],
  },
  {
    name: "in the primary region, a CloudNativePG Cluster that serves its operator's own certificate",
    role: "primary",
    objects: [
      item(
        {
          apiVersion: "postgresql.cnpg.io/v1",
          kind: "Cluster",
          metadata: { name: "demo-db", namespace: "demo" },
          spec: {},
        },
        "db",
      ),
    ],
    expect: [
      "Cluster/demo-db /spec/certificates/serverTLSSecret: demo-db takes writes from other regions but serves a certificate of the operator's own CA: their clients cannot verify it",
    ],
  },
  {
    name: "in the primary region, a CloudNativePG Cluster that serves the cross-region certificate",
    role: "primary",
    objects: [
      certificate("demo-db-tls", "manifold-cross-region-ca"),
      item(
        {
          apiVersion: "postgresql.cnpg.io/v1",
          kind: "Cluster",
          metadata: { name: "demo-db", namespace: "demo" },
          spec: { certificates: { serverTLSSecret: "demo-db-tls", serverCASecret: "demo-db-tls" } },
        },
        "db",
      ),
    ],
    expect: [],
  },
];

describe("tls-trust", () => {
  it.each(CASES)("$name", (c) =>
    expect(findings(tlsTrustRule, c.objects, target(c.role ?? "secondary"))).toEqual(c.expect),
  );
});
