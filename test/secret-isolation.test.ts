import { beforeAll, describe, expect, it } from "vitest";
import { secretIsolationRule } from "../compiler/validate/rules/secret-isolation.ts";
import type { KubeObject } from "../compiler/model/object.ts";
import { compile, type CompileResult } from "../compiler/compile.ts";
import { findings, rendered, ruleTarget } from "./helpers/rule.ts";
import { REPO } from "./helpers/project.ts";
import type { Parsed } from "./helpers/parsed.ts";

const target = ruleTarget({
  namePrefix: "demo-",
  secretStore: {
    provider: "aws-secrets-manager",
    awsRegion: "us-west-2",
    roleArnPrefix: "arn:aws:iam::111122223333:role/secrets-",
  },
});
const ROLE = "arn:aws:iam::111122223333:role/secrets-production-demo";
const account = (role = ROLE): KubeObject => ({
  apiVersion: "v1",
  kind: "ServiceAccount",
  metadata: { name: "demo-secret-store", namespace: "demo", annotations: { "eks.amazonaws.com/role-arn": role } },
});
const store = (serviceAccountRef: Record<string, string> = { name: "demo-secret-store" }): KubeObject => ({
  apiVersion: "external-secrets.io/v1",
  kind: "SecretStore",
  metadata: { name: "demo-secret-store", namespace: "demo" },
  spec: { provider: { aws: { service: "SecretsManager", region: "us-west-2", auth: { jwt: { serviceAccountRef } } } } },
});
const externalSecret = (spec: Record<string, unknown>): KubeObject => ({
  apiVersion: "external-secrets.io/v1",
  kind: "ExternalSecret",
  metadata: { name: "db", namespace: "demo" },
  spec: { secretStoreRef: { kind: "SecretStore", name: "demo-secret-store" }, ...spec },
});
const data = (key: string) => ({ data: [{ secretKey: "password", remoteRef: { key, property: "password" } }] });

const CASES: { name: string; objects: KubeObject[]; expect: string[] }[] = [
  {
    name: "its own keys through its own store",
    objects: [account(), store(), externalSecret(data("production/demo/db"))],
    expect: [],
  },
  {
    name: "another platform's key",
    objects: [account(), store(), externalSecret(data("production/billing/db"))],
    expect: [
      "ExternalSecret/db /spec/data/0/remoteRef/key: reads production/billing/db, outside this platform's secrets (production/demo/)",
    ],
  },
  {
    name: "another environment's key",
    objects: [account(), store(), externalSecret({ dataFrom: [{ extract: { key: "dev/demo/db" } }] })],
    expect: [
      "ExternalSecret/db /spec/dataFrom/0/extract/key: reads dev/demo/db, outside this platform's secrets (production/demo/)",
    ],
  },
  {
    name: "a search across the store",
    objects: [account(), store(), externalSecret({ dataFrom: [{ find: { name: { regexp: ".*" } } }] })],
    expect: [
      "ExternalSecret/db /spec/dataFrom/0/find: searches the store for keys, which can match other platforms' secrets",
    ],
  },
  {
    name: "a ClusterSecretStore any namespace can use",
    objects: [
      account(),
      store(),
      externalSecret({ ...data("production/demo/db"), secretStoreRef: { kind: "ClusterSecretStore", name: "aws" } }),
    ],
    expect: [
      "ExternalSecret/db /spec/secretStoreRef: reads through ClusterSecretStore aws, not the platform's own SecretStore demo-secret-store in its namespace",
    ],
  },
  {
    name: "a store bound to another platform's role",
    objects: [
      account("arn:aws:iam::111122223333:role/secrets-production-billing"),
      store(),
      externalSecret(data("production/demo/db")),
    ],
    expect: [
      "SecretStore/demo-secret-store /spec/provider/aws/auth/jwt/serviceAccountRef: does not authenticate as this platform's own ServiceAccount bound to the IAM role arn:aws:iam::111122223333:role/secrets-production-demo",
    ],
  },
  {
    name: "a store authenticating as a ServiceAccount of another namespace",
    objects: [
      account(),
      store({ name: "demo-secret-store", namespace: "billing" }),
      externalSecret(data("production/demo/db")),
    ],
    expect: [
      "SecretStore/demo-secret-store /spec/provider/aws/auth/jwt/serviceAccountRef: does not authenticate as this platform's own ServiceAccount bound to the IAM role arn:aws:iam::111122223333:role/secrets-production-demo",
    ],
  },
];

describe("secret-isolation", () => {
  it.each(CASES)("$name", (c) => expect(findings(secretIsolationRule, rendered(c.objects), target)).toEqual(c.expect));
});

describe("the rendered fleet", () => {
  let result: CompileResult;
  beforeAll(async () => {
    result = await compile({ root: REPO });
  });

  it("gives every platform that reads secrets its own SecretStore, ServiceAccount and IAM role, per environment", () => {
    const roles = new Map<string, string>();
    for (const t of result.targets) {
      const objects = t.objects.map((o) => o.object as Parsed);
      const secrets = objects.filter((o) => o.kind === "ExternalSecret");
      if (!secrets.length) continue;
      const stores = objects.filter((o) => o.kind === "SecretStore");
      expect(stores).toHaveLength(1);
      const sa = objects.find(
        (o) =>
          o.kind === "ServiceAccount" &&
          o.metadata.name === stores[0].spec.provider.aws.auth.jwt.serviceAccountRef.name,
      );
      const role = sa.metadata.annotations["eks.amazonaws.com/role-arn"];
      expect(role.endsWith(`:role/manifold-secrets-${t.target.environment}-${t.target.platform}`)).toBe(true);
      const owner = roles.get(role);
      expect(owner === undefined || owner.startsWith(`${t.target.platform}/${t.target.environment}/`)).toBe(true);
      roles.set(role, t.target.id);
      const wave = (o: Parsed) => Number(o.metadata.annotations["argocd.argoproj.io/sync-wave"]);
      for (const es of secrets) {
        // The store is Healthy (Argo CD waits on its Ready condition) before any ExternalSecret reads it.
        expect(wave(es)).toBeGreaterThan(wave(stores[0]));
        expect(es.spec.secretStoreRef).toEqual({ kind: "SecretStore", name: stores[0].metadata.name });
        for (const d of es.spec.data)
          expect(d.remoteRef.key.startsWith(`${t.target.environment}/${t.target.platform}/`)).toBe(true);
      }
    }
    expect(new Set([...roles.values()].map((id) => id.split("/")[0])).size).toBeGreaterThan(1);
  });
});
