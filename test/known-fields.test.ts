import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { Application } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application";
import { ApplicationSet } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ApplicationSet";
import { FIELD_TREES, unknownFields, type FieldNode } from "../compiler/validate/known-fields.ts";
import { registerModel } from "../compiler/validate/models.ts";
import { validateTarget } from "../compiler/validate/index.ts";
import type { ResolvedTarget } from "../compiler/model/target.ts";
import { CRD_SCHEMAS, inCi, schemasPresent } from "./helpers/schemas.ts";

// Relative to the repository, wherever it is checked out.
const CRDS = CRD_SCHEMAS;

// The Argo CD layer registers these when it renders them; this suite does it itself.
registerModel("argoproj.io/v1alpha1", "Application", Application as any);
registerModel("argoproj.io/v1alpha1", "ApplicationSet", ApplicationSet as any);

/** Every field the tree names exists in the upstream schema, and every object the tree describes lists all the schema's fields. */
function compareTree(node: FieldNode, schema: any, path: string, problems: string[]): void {
  if (node === true || node === "map") return;
  if (Array.isArray(node)) return compareTree(node[0], schema?.items, `${path}[]`, problems);
  const props = schema?.properties ?? {};
  for (const key of Object.keys(node)) if (!(key in props)) problems.push(`${path}.${key} is not in the CRD`);
  for (const key of Object.keys(props)) if (!(key in node)) problems.push(`${path}.${key} is missing from the tree`);
  for (const [key, child] of Object.entries(node))
    if (key in props) compareTree(child, props[key], `${path}.${key}`, problems);
}

describe("known fields", () => {
  it.skipIf(!schemasPresent() && !inCi())("the ExternalSecret v1 field tree matches the upstream CRD schema", () => {
    const crd = JSON.parse(readFileSync(`${CRDS}/external-secrets.io/externalsecret_v1.json`, "utf8"));
    const problems: string[] = [];
    compareTree(FIELD_TREES["external-secrets.io/v1/ExternalSecret"], crd, "", problems);
    expect(problems).toEqual([]);
  });

  it("finds unknown fields at any depth of a core object, outermost only", () => {
    const object = {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "x", namespace: "y", label: {} },
      spec: {
        ports: [{ port: 80, targetPort: "http", nmae: "http", extra: { deeper: 1 } }],
        selector: { any: "key" },
        tpye: "ClusterIP",
      },
    };
    expect(unknownFields(object)).toEqual([
      "/metadata/label",
      "/spec/ports/0/extra",
      "/spec/ports/0/nmae",
      "/spec/tpye",
    ]);
  });

  it("finds unknown fields in Istio objects, whose models compile their schemas at run time", () => {
    const vs = {
      apiVersion: "networking.istio.io/v1beta1",
      kind: "VirtualService",
      metadata: { name: "api", namespace: "demo" },
      spec: {
        hosts: ["api"],
        http: [
          { route: [{ destination: { host: "api", port: { number: 80 } }, wieght: 100 }], retries: { attempts: 3 } },
        ],
      },
    };
    expect(unknownFields(vs)).toEqual(["/spec/http/0/route/0/wieght"]);
  });

  it("does not guess from hand-written checks: a kind registered with one gets no unknown-field check", () => {
    class Loose {
      constructor(private data: any) {}
      validate() {
        if (typeof this.data.spec?.targetRef?.name !== "string") throw new Error("targetRef.name");
      }
    }
    registerModel("autoscaling.k8s.io/v1", "VerticalPodAutoscaler", Loose as any);
    expect(
      unknownFields({
        apiVersion: "autoscaling.k8s.io/v1",
        kind: "VerticalPodAutoscaler",
        metadata: { name: "x" },
        spec: { targetRef: { name: "x" }, updatePolicy: {} },
      } as any),
    ).toBeUndefined();
  });

  it("treats free-form fields (x-kubernetes-preserve-unknown-fields) and maps as open, in Argo CD objects too", () => {
    const app = new Application({
      metadata: { name: "demo", namespace: "argocd", annotations: { "any/key": "v" } },
      spec: {
        project: "demo",
        destination: { server: "https://kubernetes.default.svc", namespace: "demo" },
        source: {
          repoURL: "https://example.com/repo.git",
          path: "x",
          targetRevision: "main",
          helm: { valuesObject: { free: { form: [1, 2] } } } as any,
        },
        syncPolicy: { syncOptions: ["ServerSideApply=true"] },
      },
    }).toJSON();
    expect(unknownFields(app as any)).toEqual([]);
    (app as any).spec.source.directory = { recurse: true, recursive: true };
    expect(unknownFields(app as any)).toEqual(["/spec/source/directory/recursive"]);
  });

  it("knows the ApplicationSet RollingSync strategy fields", () => {
    const appset = new ApplicationSet({
      metadata: { name: "demo", namespace: "argocd" },
      spec: {
        goTemplate: true,
        goTemplateOptions: ["missingkey=error"],
        generators: [{ clusters: { selector: { matchLabels: { "argocd.argoproj.io/secret-type": "cluster" } } } }],
        strategy: {
          type: "RollingSync",
          rollingSync: {
            steps: [{ matchExpressions: [{ key: "tier", operator: "In", values: ["primary"] }], maxUpdate: "50%" }],
          },
        },
        template: {
          metadata: { name: "{{.name}}" },
          spec: { project: "demo", destination: { server: "{{.server}}" }, source: { repoURL: "r", path: "p" } },
        },
      },
    }).toJSON() as any;
    expect(unknownFields(appset)).toEqual([]);
    appset.spec.strategy.rollingSync.steps[0].maxUpdates = 1;
    expect(unknownFields(appset)).toEqual(["/spec/strategy/rollingSync/steps/0/maxUpdates"]);
  });

  it("checks Argo CD values in Application and ApplicationSet objects", () => {
    const target = {
      id: "argocd",
      policy: { rules: {} },
      sources: ["argocd/index.ts"],
      namePrefix: "",
      namespace: "argocd",
    } as unknown as ResolvedTarget;
    const objects = [
      {
        band: "foundation" as const,
        object: {
          apiVersion: "argoproj.io/v1alpha1",
          kind: "Application",
          metadata: { name: "a", namespace: "argocd" },
          spec: {
            project: "p",
            destination: { server: "s" },
            source: { repoURL: "r" },
            syncPolicy: { syncOptions: ["CreateNamespace=true", "ServerSideApply=ture"] },
          },
        },
      },
      {
        band: "foundation" as const,
        object: {
          apiVersion: "argoproj.io/v1alpha1",
          kind: "ApplicationSet",
          metadata: { name: "s", namespace: "argocd" },
          spec: {
            generators: [],
            goTemplateOptions: ["missingkey=eror"],
            strategy: {
              type: "RollingSync",
              rollingSync: { steps: [{ matchExpressions: [{ key: "k", operator: "Exists" }], maxUpdate: -1 }] },
            },
            template: {
              metadata: {},
              spec: {
                project: "p",
                destination: {},
                source: { repoURL: "r" },
                syncPolicy: { syncOptions: ["PruneLast=true", "Prune=No"] },
              },
            },
          },
        },
      },
    ];
    const messages = validateTarget(target, objects as any)
      .filter((f) => f.rule === "argocd-values")
      .map((f) => `${f.object} ${f.pointer}: ${f.message}`);
    expect(messages).toEqual([
      'Application/a /spec/syncPolicy/syncOptions/1: sync option "ServerSideApply=ture" must be ServerSideApply=true or ServerSideApply=false',
      'ApplicationSet/s /spec/template/spec/syncPolicy/syncOptions/1: sync option "Prune=No" must be Prune=false or Prune=confirm',
      'ApplicationSet/s /spec/strategy/rollingSync/steps/0/matchExpressions/0/operator: operator "Exists" is not one of In, NotIn',
      "ApplicationSet/s /spec/strategy/rollingSync/steps/0/maxUpdate: maxUpdate -1 is neither a non-negative integer nor a percentage",
      'ApplicationSet/s /spec/goTemplateOptions/0: goTemplateOptions entry "missingkey=eror" is not one of missingkey=error, missingkey=zero, missingkey=default, missingkey=invalid',
    ]);
  });
});
