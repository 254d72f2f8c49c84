import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { irsaAccountsRule } from "../compiler/validate/rules/irsa-accounts.ts";
import { reporter, type ChartServiceAccount } from "../compiler/validate/context.ts";
import type { Finding } from "../compiler/model/finding.ts";
import type { KubeObject } from "../compiler/model/object.ts";
import { checkProject } from "../compiler/load.ts";
import { resolveClusters, type ClusterTarget } from "../compiler/cluster/resolve.ts";
import { chartAccounts } from "../compiler/cluster/chart-accounts.ts";
import { rendered, ruleTarget } from "./helpers/rule.ts";
import { repoProject } from "./helpers/memory.ts";
import { REPO } from "./helpers/project.ts";

const ROLE = "arn:aws:iam::111122223333:role/secrets-production-demo";
const IRSA = "eks.amazonaws.com/role-arn";
const account = (annotations: Record<string, string> = { [IRSA]: ROLE }, namespace = "demo"): KubeObject => ({
  apiVersion: "v1",
  kind: "ServiceAccount",
  metadata: { name: "demo-secret-store", namespace, annotations },
});
const store = (serviceAccountRef: Record<string, string> = { name: "demo-secret-store" }): KubeObject => ({
  apiVersion: "external-secrets.io/v1",
  kind: "SecretStore",
  metadata: { name: "demo-secret-store", namespace: "demo" },
  spec: { provider: { aws: { service: "SecretsManager", region: "us-west-2", auth: { jwt: { serviceAccountRef } } } } },
});
const clusterStore = (serviceAccountRef: Record<string, string>): KubeObject => ({
  apiVersion: "external-secrets.io/v1",
  kind: "ClusterSecretStore",
  metadata: { name: "aws" },
  spec: { provider: { aws: { service: "SecretsManager", auth: { jwt: { serviceAccountRef } } } } },
});
const chart = (annotations: Record<string, string>): ChartServiceAccount => ({
  addon: "external-secrets",
  namespace: "external-secrets",
  name: "external-secrets",
  annotations,
});

/** The rule's findings as `Kind/name pointer: message (fix)`. */
function check(objects: KubeObject[], accounts?: ChartServiceAccount[]): string[] {
  const ctx = { target: ruleTarget(), objects: rendered(objects), chartAccounts: accounts };
  const out: Finding[] = [];
  irsaAccountsRule.check(ctx, reporter(ctx, irsaAccountsRule.name, out));
  return out.map((f) => `${f.object} ${f.pointer}: ${f.message} (${f.fix})`);
}

const POINTER = "/spec/provider/aws/auth/jwt/serviceAccountRef";
const CASES: { name: string; objects: KubeObject[]; accounts?: ChartServiceAccount[]; expect: string[] }[] = [
  { name: "a store and its annotated ServiceAccount", objects: [account(), store()], expect: [] },
  {
    name: "a ServiceAccount without the annotation",
    objects: [account({}), store()],
    expect: [
      `SecretStore/demo-secret-store ${POINTER}: authenticates as ServiceAccount demo/demo-secret-store, which is bound to no IAM role (no ${IRSA} annotation) (annotate ServiceAccount demo-secret-store with ${IRSA}: <the store's IAM role>)`,
    ],
  },
  {
    name: "an empty annotation",
    objects: [account({ [IRSA]: " " }), store()],
    expect: [
      `SecretStore/demo-secret-store ${POINTER}: authenticates as ServiceAccount demo/demo-secret-store, which is bound to no IAM role (no ${IRSA} annotation) (annotate ServiceAccount demo-secret-store with ${IRSA}: <the store's IAM role>)`,
    ],
  },
  {
    name: "a ServiceAccount nothing creates",
    objects: [store()],
    expect: [
      `SecretStore/demo-secret-store ${POINTER}: authenticates as ServiceAccount demo/demo-secret-store, which nothing here creates (render ServiceAccount demo-secret-store in demo, annotated ${IRSA}, or name one that exists)`,
    ],
  },
  {
    name: "a namespaced store never uses another namespace's account",
    objects: [account(undefined, "billing"), store({ name: "demo-secret-store", namespace: "billing" })],
    expect: [
      `SecretStore/demo-secret-store ${POINTER}: authenticates as ServiceAccount demo/demo-secret-store, which nothing here creates (render ServiceAccount demo-secret-store in demo, annotated ${IRSA}, or name one that exists)`,
    ],
  },
  {
    name: "a store that authenticates otherwise",
    objects: [
      {
        ...store(),
        spec: { provider: { aws: { service: "SecretsManager", auth: { secretRef: { accessKeyIDSecretRef: {} } } } } },
      },
    ],
    expect: [],
  },
  {
    name: "a ClusterSecretStore on a chart's annotated account",
    objects: [clusterStore({ name: "external-secrets", namespace: "external-secrets" })],
    accounts: [chart({ [IRSA]: ROLE })],
    expect: [],
  },
  {
    name: "a ClusterSecretStore on a chart's account without the annotation",
    objects: [clusterStore({ name: "external-secrets", namespace: "external-secrets" })],
    accounts: [chart({})],
    expect: [
      `ClusterSecretStore/aws ${POINTER}: authenticates as ServiceAccount external-secrets/external-secrets (add-on external-secrets's chart), which is bound to no IAM role (no ${IRSA} annotation) (set serviceAccount.annotations["${IRSA}"] in add-on external-secrets's values)`,
    ],
  },
  {
    name: "a ClusterSecretStore on an account without a namespace",
    objects: [clusterStore({ name: "external-secrets" })],
    accounts: [chart({ [IRSA]: ROLE })],
    expect: [
      `ClusterSecretStore/aws ${POINTER}: names ServiceAccount external-secrets without a namespace: it would be looked for in every reader's namespace (name the namespace of the ServiceAccount bound to the store's IAM role)`,
    ],
  },
];

describe("irsa-accounts", () => {
  it.each(CASES)("$name", (c) => expect(check(c.objects, c.accounts)).toEqual(c.expect));
});

describe("the ServiceAccounts add-on charts create", () => {
  const cluster = (addons: { name: string; values: Record<string, unknown>; hydrated?: boolean }[]) =>
    ({
      addons: addons.map((a) => ({
        name: a.name,
        file: `addons/${a.name}.ts`,
        values: a.values,
        layers: [],
        description: {
          name: a.name,
          namespace: a.name,
          chart: { repository: "https://charts.example.com", chart: a.name, version: "1.0.0" },
          ...(a.hydrated ? { delivery: "hydrated" } : {}),
        },
      })),
    }) as unknown as ClusterTarget;

  it("reads serviceAccount.name, .annotations and .create, and leaves hydrated charts to their rendered objects", () => {
    expect(
      chartAccounts(
        cluster([
          { name: "a", values: { serviceAccount: { annotations: { [IRSA]: ROLE, other: 3 } } } },
          { name: "b", values: { serviceAccount: { name: "bee" } } },
          { name: "c", values: { serviceAccount: { create: false } } },
          { name: "d", values: {}, hydrated: true },
        ]),
      ),
    ).toEqual([
      { addon: "a", namespace: "a", name: "a", annotations: { [IRSA]: ROLE } },
      { addon: "b", namespace: "b", name: "bee", annotations: {} },
    ]);
  });
});

/** Every object of a rendered folder. */
function folder(path: string): KubeObject[] {
  return readdirSync(path)
    .filter((f) => f.endsWith(".yaml"))
    .flatMap((f) => parseAllDocuments(readFileSync(join(path, f), "utf8")).map((d) => d.toJS() as KubeObject));
}

describe("rendered/", () => {
  it("has every AWS store, of every platform and cluster folder, on a ServiceAccount bound to an IAM role", async () => {
    const clusters = resolveClusters(checkProject(await repoProject()));
    let stores = 0;
    for (const env of ["dev", "staging", "production"])
      for (const region of readdirSync(join(REPO, "rendered", env))) {
        const c = clusters.find((x) => x.id === `${env}/${region}`)!;
        const folders = [
          ...readdirSync(join(REPO, "rendered", env, region)).map((p) => join(REPO, "rendered", env, region, p)),
          ...readdirSync(join(REPO, "rendered/clusters", env, region)).map((p) =>
            join(REPO, "rendered/clusters", env, region, p),
          ),
        ];
        for (const path of folders) {
          const objects = folder(path);
          stores += objects.filter((o) => /SecretStore$/.test(o.kind)).length;
          expect(check(objects, chartAccounts(c)), path).toEqual([]);
        }
      }
    // the platforms' own stores and the cross-region CA's, on every cluster
    expect(stores).toBeGreaterThanOrEqual(30);
  });
});
