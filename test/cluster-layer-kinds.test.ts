import { beforeAll, describe, expect, it } from "vitest";
import { clusterLayerKindsRule } from "../compiler/validate/rules/cluster-layer-kinds.ts";
import { clusterLayerPermits } from "../compiler/argocd/projects.ts";
import { CLUSTER_LAYER_KINDS } from "../compiler/kube/cluster-layer-kinds.ts";
import { kindProblem } from "../compiler/argocd/permits.ts";
import type { KubeObject } from "../compiler/model/object.ts";
import { compile, type CompileResult } from "../compiler/compile.ts";
import { findings, rendered } from "./helpers/rule.ts";
import { REPO } from "./helpers/project.ts";

const project = (clusterResourceWhitelist: { group: string; kind: string; name?: string }[]): KubeObject => ({
  apiVersion: "argoproj.io/v1alpha1",
  kind: "AppProject",
  metadata: { name: "demo", namespace: "argocd" },
  spec: { clusterResourceWhitelist },
});

describe("cluster-layer kinds", () => {
  it("a platform that renders a ClusterIssuer or a CRD is refused", () => {
    const issuer = { apiVersion: "cert-manager.io/v1", kind: "ClusterIssuer", metadata: { name: "letsencrypt" } };
    const crd = {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: "x.example.com" },
    };
    const ns = { apiVersion: "v1", kind: "Namespace", metadata: { name: "demo" } };
    expect(findings(clusterLayerKindsRule, rendered([issuer, crd, ns]))).toEqual([
      "ClusterIssuer/letsencrypt /kind: ClusterIssuer is owned by the cluster layer: every platform on the cluster shares it",
      "CustomResourceDefinition/x.example.com /kind: CustomResourceDefinition is owned by the cluster layer: every platform on the cluster shares it",
    ]);
  });

  it("finds a project that permits one by name, by wildcard or by kind", () => {
    expect(clusterLayerPermits([project([{ group: "", kind: "Namespace", name: "demo" }])])).toEqual([]);
    expect(
      clusterLayerPermits([project([{ group: "cert-manager.io", kind: "ClusterIssuer", name: "letsencrypt" }])]),
    ).toEqual(["demo: cert-manager.io/ClusterIssuer"]);
    expect(clusterLayerPermits([project([{ group: "*", kind: "*" }])])).toHaveLength(CLUSTER_LAYER_KINDS.length);
  });

  describe("the rendered fleet", () => {
    let result: CompileResult;
    beforeAll(async () => {
      result = await compile({ root: REPO });
    });

    it("no platform project permits a kind the cluster layer owns", () => {
      const projects = result.argocd!.objects.filter(
        (o) => o.kind === "AppProject" && o.metadata.labels?.["manifold.dev/platform"],
      );
      expect(projects.length).toBeGreaterThan(3);
      expect(clusterLayerPermits(projects)).toEqual([]);
      for (const p of projects)
        for (const k of CLUSTER_LAYER_KINDS)
          expect(
            kindProblem(p, { apiVersion: `${k.group}/v1`, kind: k.kind, metadata: { name: "any" } }),
          ).toBeDefined();
    });
  });
});
