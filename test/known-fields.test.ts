import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { Application } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application";
import { ApplicationSet } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ApplicationSet";
import { unknownFields } from "../compiler/validate/known-fields.ts";
import { registerModel } from "../compiler/validate/models.ts";
import { validateTarget } from "../compiler/validate/index.ts";
import type { ResolvedTarget } from "../compiler/model/target.ts";
import { runsInCi } from "../compiler/ci-environment.ts";
import { CRD_SCHEMAS, schemasPresent } from "./helpers/schemas.ts";

// Relative to the repository, wherever it is checked out.
const CRDS = CRD_SCHEMAS;

// Test objects and schemas are read and changed at any depth.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- free-form JSON in tests
type Json = any;

/** An object with every field a CRD schema declares, at every depth (one item per list, a placeholder per scalar). */
function everyField(schema: Json): unknown {
  if (schema?.properties)
    return Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, everyField(v)]));
  if (schema?.type === "array") return [everyField(schema.items)];
  return schema?.type === "object" ? {} : "x";
}

describe("known fields", () => {
  it.skipIf(!schemasPresent() && !runsInCi())(
    "the ExternalSecret v1 model knows the upstream CRD's fields, but for six newer ones, and rejects others",
    () => {
      const crd = JSON.parse(readFileSync(`${CRDS}/external-secrets.io/externalsecret_v1.json`, "utf8"));
      const object = { ...(everyField(crd) as object), apiVersion: "external-secrets.io/v1", kind: "ExternalSecret" };
      // The newest model (2.0.0) predates these fields of the reference CRD: Manifold renders none of them,
      // and a patch that adds one is reported as unknown until the model catches up.
      const newerThanModel = [
        "/spec/data/0/remoteRef/nullBytePolicy",
        "/spec/dataFrom/0/extract/nullBytePolicy",
        "/spec/dataFrom/0/find/nullBytePolicy",
        "/spec/dataFrom/0/rewrite/0/merge",
        "/spec/target/manifest",
        "/spec/target/template/metadata/finalizers",
      ];
      expect(unknownFields(object)).toEqual(newerThanModel);
      (object as Json).spec.target.nmae = "x";
      (object as Json).spec.data[0].remoteRef.kye = "x";
      expect(unknownFields(object)).toEqual(
        [...newerThanModel, "/spec/data/0/remoteRef/kye", "/spec/target/nmae"].sort(),
      );
    },
  );

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
      constructor(private data: Json) {}
      validate() {
        if (typeof this.data.spec?.targetRef?.name !== "string") throw new Error("targetRef.name");
      }
    }
    registerModel("autoscaling.k8s.io/v1", "VerticalPodAutoscaler", Loose as Json);
    expect(
      unknownFields({
        apiVersion: "autoscaling.k8s.io/v1",
        kind: "VerticalPodAutoscaler",
        metadata: { name: "x" },
        spec: { targetRef: { name: "x" }, updatePolicy: {} },
      } as Json),
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
          helm: { valuesObject: { free: { form: [1, 2] } } } as Json,
        },
        syncPolicy: { syncOptions: ["ServerSideApply=true"] },
      },
    }).toJSON();
    expect(unknownFields(app as Json)).toEqual([]);
    (app as Json).spec.source.directory = { recurse: true, recursive: true };
    expect(unknownFields(app as Json)).toEqual(["/spec/source/directory/recursive"]);
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
    }).toJSON() as Json;
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
    const messages = validateTarget(target, objects as Json)
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
