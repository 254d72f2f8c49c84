import { describe, expect, it } from "vitest";
import { clusterCapabilitiesRule } from "../compiler/validate/rules/cluster-capabilities.ts";
import { clusterCapabilities } from "../compiler/validate/capabilities.ts";
import type { ClusterCapabilities } from "../compiler/describe/types.ts";
import type { KubeObject } from "../compiler/model/object.ts";
import type { Finding } from "../compiler/model/finding.ts";
import { reporter } from "../compiler/validate/context.ts";
import { findings, rendered, ruleTarget } from "./helpers/rule.ts";

const FULL: ClusterCapabilities = {
  kubernetesVersion: "1.33",
  argocdVersion: "3.3",
  cni: { name: "cilium", networkPolicy: true },
  provided: [
    "istio",
    "istio-cni",
    "default-storage-class",
    "cert-manager",
    "metrics-server",
    "ingress-nginx",
    "custom-metrics",
  ],
  customMetrics: ["queue_depth"],
};

const target = (caps: Partial<ClusterCapabilities> = {}) =>
  ruleTarget({
    cluster: {
      name: "prod-1",
      server: "https://prod-1.example.com",
      ingressDomain: "prod-1.example.com",
      serviceDomain: "prod-1.svc.example.internal",
      capabilities: { ...FULL, ...caps },
    },
    sources: ["platforms/demo.ts", "environments/production.ts", "regions/us-west-2.ts"],
  });

const without = (...caps: string[]) => ({ provided: FULL.provided.filter((c) => !caps.includes(c)) });

const certificate: KubeObject = {
  apiVersion: "cert-manager.io/v1",
  kind: "Certificate",
  metadata: { name: "tls", namespace: "demo" },
  spec: {},
};
const hpa = (metrics: unknown[], apiVersion = "autoscaling/v2"): KubeObject => ({
  apiVersion,
  kind: "HorizontalPodAutoscaler",
  metadata: { name: "api", namespace: "demo" },
  spec: { metrics },
});
const pods = (name: string) => ({
  type: "Pods",
  pods: { metric: { name }, target: { type: "AverageValue", averageValue: "1" } },
});
const cpu = { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } };
const claim = (storageClassName?: string): KubeObject => ({
  apiVersion: "v1",
  kind: "PersistentVolumeClaim",
  metadata: { name: "data", namespace: "demo" },
  spec: { ...(storageClassName ? { storageClassName } : {}), resources: { requests: { storage: "1Gi" } } },
});
const namespace = (labels: Record<string, string>): KubeObject => ({
  apiVersion: "v1",
  kind: "Namespace",
  metadata: { name: "demo", labels },
});
const policy: KubeObject = {
  apiVersion: "networking.k8s.io/v1",
  kind: "NetworkPolicy",
  metadata: { name: "deny", namespace: "demo" },
  spec: { podSelector: {} },
};
const ingress = (ingressClassName: string): KubeObject => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "Ingress",
  metadata: { name: "api", namespace: "demo" },
  spec: { ingressClassName },
});
const sidecar: KubeObject = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "api", namespace: "demo" },
  spec: { template: { spec: { initContainers: [{ name: "proxy", restartPolicy: "Always" }], containers: [] } } },
};
const crd: KubeObject = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "certificates.cert-manager.io" },
  spec: { group: "cert-manager.io", names: { kind: "Certificate" } },
};

const CASES: { name: string; objects: KubeObject[]; caps?: Partial<ClusterCapabilities>; expect: string[] }[] = [
  {
    name: "everything the objects need is there",
    objects: [
      certificate,
      hpa([cpu, pods("queue_depth")]),
      claim(),
      namespace({ "istio-injection": "enabled" }),
      policy,
      ingress("nginx"),
      sidecar,
    ],
    expect: [],
  },
  {
    name: "a CRD kind without its provider",
    objects: [certificate],
    caps: without("cert-manager"),
    expect: [
      "Certificate/tls /apiVersion: Certificate (cert-manager.io/v1) is served by nothing on cluster prod-1 (clusters.production.capabilities.provided lacks cert-manager)",
    ],
  },
  {
    name: "a CRD kind whose CRD the target installs itself",
    objects: [crd, certificate],
    caps: without("cert-manager"),
    expect: [],
  },
  {
    name: "a CRD kind no capability serves",
    objects: [{ ...certificate, apiVersion: "example.com/v1", kind: "Widget" }],
    expect: [
      "Widget/tls /apiVersion: Widget (example.com/v1) is served by nothing on cluster prod-1 (no capability in clusters.production.capabilities.provided serves example.com/v1)",
    ],
  },
  {
    name: "an HPA on a Pods metric nothing serves",
    objects: [hpa([pods("latency_seconds")])],
    expect: [
      "HorizontalPodAutoscaler/api /spec/metrics/0/pods/metric/name: a Pods metric latency_seconds is served by no adapter on cluster prod-1 (clusters.production.capabilities.customMetrics does not list it)",
    ],
  },
  {
    name: "an HPA on a Pods metric without a custom metrics adapter",
    objects: [hpa([pods("queue_depth")])],
    caps: without("custom-metrics"),
    expect: [
      "HorizontalPodAutoscaler/api /spec/metrics/0/pods/metric/name: a Pods metric (queue_depth) needs a custom metrics adapter (the custom metrics API), which cluster prod-1 does not run (clusters.production.capabilities.provided lacks custom-metrics)",
    ],
  },
  {
    name: "an HPA on cpu without metrics-server",
    objects: [hpa([cpu])],
    caps: without("metrics-server"),
    expect: [
      "HorizontalPodAutoscaler/api /spec/metrics/0/type: a Resource metric needs metrics-server (the resource metrics API), which cluster prod-1 does not run (clusters.production.capabilities.provided lacks metrics-server)",
    ],
  },
  {
    name: "a claim without a class and no default StorageClass",
    objects: [claim(), claim("gp3")],
    caps: without("default-storage-class"),
    expect: [
      "PersistentVolumeClaim/data /spec: a claim without a storageClassName needs a default StorageClass (claims without a class bind to it), which cluster prod-1 does not run (clusters.production.capabilities.provided lacks default-storage-class)",
    ],
  },
  {
    name: "a meshed namespace under Pod Security restricted without Istio CNI",
    objects: [namespace({ "istio-injection": "enabled", "pod-security.kubernetes.io/enforce": "restricted" })],
    caps: without("istio-cni"),
    expect: [
      "Namespace/demo /metadata/labels/istio-injection: a meshed namespace that enforces Pod Security restricted needs Istio's CNI plugin (meshed pods need no privileged istio-init container), which cluster prod-1 does not run (clusters.production.capabilities.provided lacks istio-cni)",
    ],
  },
  {
    name: "a meshed namespace without Pod Security needs Istio only",
    objects: [namespace({ "istio.io/rev": "stable" })],
    caps: without("istio-cni", "istio"),
    expect: [
      "Namespace/demo /metadata/labels/istio.io~1rev: a meshed namespace needs Istio (istiod), which cluster prod-1 does not run (clusters.production.capabilities.provided lacks istio)",
    ],
  },
  {
    name: "a NetworkPolicy on a CNI that does not enforce it",
    objects: [policy, { ...policy, metadata: { name: "allow-dns", namespace: "demo" } }],
    caps: { cni: { name: "flannel", networkPolicy: false } },
    expect: [
      "NetworkPolicy/deny /spec: no NetworkPolicy of this target is enforced on cluster prod-1: its CNI flannel does not enforce NetworkPolicies (clusters.production.capabilities.cni.networkPolicy)",
    ],
  },
  {
    name: "an Ingress class no controller serves",
    objects: [ingress("traefik")],
    expect: [
      "Ingress/api /spec/ingressClassName: an Ingress of class traefik is served by no controller on cluster prod-1 (no capability in clusters.production.capabilities.provided serves that class)",
    ],
  },
  {
    name: "an API version newer than the cluster",
    objects: [hpa([cpu])],
    caps: { kubernetesVersion: "1.22" },
    expect: [
      "HorizontalPodAutoscaler/api /apiVersion: HorizontalPodAutoscaler (autoscaling/v2) needs Kubernetes 1.23 or later; cluster prod-1 runs 1.22 (clusters.production.capabilities.kubernetesVersion)",
    ],
  },
  {
    name: "an API version the cluster no longer serves",
    objects: [hpa([cpu], "autoscaling/v2beta2")],
    expect: [
      "HorizontalPodAutoscaler/api /apiVersion: HorizontalPodAutoscaler (autoscaling/v2beta2) is no longer served from Kubernetes 1.26; cluster prod-1 runs 1.33 (clusters.production.capabilities.kubernetesVersion)",
    ],
  },
  {
    name: "a native sidecar on a cluster before 1.29",
    objects: [sidecar],
    caps: { kubernetesVersion: "1.28" },
    expect: [
      "Deployment/api /spec/template/spec/initContainers/0/restartPolicy: a native sidecar (an init container with restartPolicy: Always) needs Kubernetes 1.29 or later; cluster prod-1 runs 1.28 (clusters.production.capabilities.kubernetesVersion)",
    ],
  },
];

describe("cluster-capabilities", () => {
  it.each(CASES)("$name", (c) =>
    expect(findings(clusterCapabilitiesRule, rendered(c.objects), target(c.caps))).toEqual(c.expect),
  );

  it("blames the region file that declares the cluster", () => {
    const out: Finding[] = [];
    const ctx = { target: target(without("cert-manager")), objects: rendered([certificate]) };
    clusterCapabilitiesRule.check(ctx, reporter(ctx, clusterCapabilitiesRule.name, out));
    expect(out.map((f) => [f.file, f.rule, f.target])).toEqual([
      ["regions/us-west-2.ts", "cluster-capabilities", "demo/production/us-west-2"],
    ]);
  });

  it("unions the contract with what managed add-ons contribute", () => {
    const offer = clusterCapabilities(target({ provided: [], customMetrics: undefined }), [
      { from: "prometheus-adapter", provided: ["custom-metrics"], customMetrics: ["queue_depth"] },
      { from: "cert-manager", provided: ["cert-manager"], apis: ["example.com/v1"] },
    ]);
    expect([...offer.provided]).toEqual(["custom-metrics", "cert-manager"]);
    expect(offer.customMetrics.has("queue_depth")).toBe(true);
    expect(offer.apis.has("cert-manager.io/v1") && offer.apis.has("example.com/v1")).toBe(true);
  });
});
