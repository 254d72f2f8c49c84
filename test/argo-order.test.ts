import { describe, expect, it } from "vitest";
import { compareSyncOrder, kindRank, sortForSync, syncPhase, syncWave } from "../compiler/sync/apply-order.ts";
import type { KubeObject } from "../compiler/model/object.ts";

function obj(kind: string, name: string, annotations: Record<string, string> = {}, apiVersion = "v1"): KubeObject {
  return { apiVersion, kind, metadata: { name, annotations } };
}
const ids = (objects: KubeObject[]) => [...objects].sort(compareSyncOrder).map((o) => `${o.kind}/${o.metadata.name}`);

describe("Argo CD's sync order, hand-checked", () => {
  it("orders by kind within a wave, in gitops-engine's kind list", () => {
    expect(
      ids([
        obj("Deployment", "a"),
        obj("Service", "a"),
        obj("ConfigMap", "a"),
        obj("Namespace", "a"),
        obj("ServiceAccount", "a"),
        obj("HorizontalPodAutoscaler", "a"),
        obj("StatefulSet", "a"),
        obj("Ingress", "a"),
        obj("NetworkPolicy", "a"),
        obj("PodDisruptionBudget", "a"),
        obj("Secret", "a"),
        obj("Job", "a"),
      ]),
    ).toEqual([
      "Namespace/a",
      "NetworkPolicy/a",
      "PodDisruptionBudget/a",
      "ServiceAccount/a",
      "Secret/a",
      "ConfigMap/a",
      "Service/a",
      "Deployment/a",
      "HorizontalPodAutoscaler/a",
      "StatefulSet/a",
      "Job/a",
      "Ingress/a",
    ]);
  });

  it("puts unknown kinds and custom resources after every listed kind of their wave, ordered by name among themselves", () => {
    expect(
      ids([
        obj("ServiceMonitor", "b", {}, "monitoring.coreos.com/v1"),
        obj("APIService", "z"),
        obj("ExternalSecret", "a", {}, "external-secrets.io/v1"),
        obj("PriorityClass", "c"),
        obj("Ingress", "y"),
      ]),
    ).toEqual(["Ingress/y", "APIService/z", "ExternalSecret/a", "ServiceMonitor/b", "PriorityClass/c"]);
    expect(kindRank("VirtualService")).toBe(0);
    expect(kindRank("Namespace")).toBeLessThan(kindRank("APIService"));
  });

  it("orders by phase first, then wave, then kind, then name", () => {
    const objects = [
      obj("ConfigMap", "late", { "argocd.argoproj.io/sync-wave": "5" }),
      obj("Deployment", "early", { "argocd.argoproj.io/sync-wave": "-1" }),
      obj("Job", "post", { "argocd.argoproj.io/hook": "PostSync" }),
      obj("Job", "pre", { "argocd.argoproj.io/hook": "PreSync", "argocd.argoproj.io/sync-wave": "10" }),
      obj("Job", "fail", { "argocd.argoproj.io/hook": "SyncFail" }),
      obj("Service", "b"),
      obj("Service", "a"),
      obj("CustomThing", "zero", {}, "example.com/v1"),
    ];
    expect(ids(objects)).toEqual([
      "Job/pre",
      "Deployment/early",
      "Service/a",
      "Service/b",
      "CustomThing/zero",
      "ConfigMap/late",
      "Job/post",
      "Job/fail",
    ]);
  });

  it("moves a Namespace before the first object in it, and a CRD before its first custom resource, as gitops-engine does", () => {
    const ns = { ...obj("Namespace", "team", { "argocd.argoproj.io/sync-wave": "5" }) };
    const hook = {
      ...obj("Job", "migrate", { "argocd.argoproj.io/hook": "PreSync" }),
      metadata: { name: "migrate", namespace: "team", annotations: { "argocd.argoproj.io/hook": "PreSync" } },
    };
    const crd = {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: "widgets.example.com", annotations: { "argocd.argoproj.io/sync-wave": "3" } },
      spec: { group: "example.com", names: { kind: "Widget" } },
    };
    const widget = obj("Widget", "w", {}, "example.com/v1");
    const order = sortForSync([ns, hook, crd, widget].map((object) => ({ object: object as KubeObject }))).map(
      (x) => `${x.object.kind}/${x.object.metadata.name}`,
    );
    expect(order).toEqual([
      "Namespace/team",
      "Job/migrate",
      "CustomResourceDefinition/widgets.example.com",
      "Widget/w",
    ]);
    const plain = [ns, hook, crd, widget].sort(compareSyncOrder).map((o) => `${o.kind}/${o.metadata.name}`);
    expect(plain).toEqual([
      "Job/migrate",
      "Widget/w",
      "CustomResourceDefinition/widgets.example.com",
      "Namespace/team",
    ]);
  });

  it("parses waves like Argo CD: integers, Helm's hook weight as a fallback, anything else 0", () => {
    expect(syncWave(obj("X", "a", { "argocd.argoproj.io/sync-wave": "-3" }))).toBe(-3);
    expect(syncWave(obj("X", "a", { "helm.sh/hook-weight": "7" }))).toBe(7);
    expect(syncWave(obj("X", "a", { "argocd.argoproj.io/sync-wave": "two" }))).toBe(0);
    expect(syncWave(obj("X", "a"))).toBe(0);
    expect(syncPhase(obj("Job", "a", { "argocd.argoproj.io/hook": "Skip,PostSync" }))).toBe("PostSync");
    // a hook named like an Object.prototype member is no phase
    expect(syncPhase(obj("Job", "a", { "argocd.argoproj.io/hook": "constructor,PreSync" }))).toBe("PreSync");
    expect(syncPhase(obj("Job", "a", { "argocd.argoproj.io/hook": "toString" }))).toBe("Sync");
  });
});
