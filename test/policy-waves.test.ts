import { describe, expect, it } from "vitest";
import { policyWavesRule } from "../compiler/validate/rules/policy-waves.ts";
import { latePolicyHazards } from "../compiler/sync/policy-hazards.ts";
import type { KubeObject } from "../compiler/model/object.ts";
import { findings, rendered } from "./helpers/rule.ts";

const wave = (n: number) => ({ "argocd.argoproj.io/sync-wave": String(n) });
const deployment = (n: number): KubeObject => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "api", namespace: "demo", annotations: wave(n) },
  spec: { template: { metadata: { labels: { app: "api" } }, spec: { containers: [] } } },
});
const netpol = (n: number, matchLabels: Record<string, string>): KubeObject => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "NetworkPolicy",
  metadata: { name: "allow-api", namespace: "demo", annotations: wave(n) },
  spec: { podSelector: { matchLabels } },
});
const authz = (n: number): KubeObject => ({
  apiVersion: "security.istio.io/v1",
  kind: "AuthorizationPolicy",
  metadata: { name: "allow-nothing", namespace: "demo", annotations: wave(n) },
  spec: {},
});

const CASES: { name: string; objects: KubeObject[]; expect: string[] }[] = [
  {
    name: "policies in the foundation wave",
    objects: [netpol(0, { app: "api" }), authz(0), deployment(1)],
    expect: [],
  },
  {
    name: "a NetworkPolicy after the workload it selects",
    objects: [netpol(3, { app: "api" }), deployment(1)],
    expect: [
      "NetworkPolicy/allow-api /metadata/annotations/argocd.argoproj.io~1sync-wave: is applied in wave 3, after Deployment/api (wave 1) whose traffic it governs; policies belong in the foundation",
    ],
  },
  {
    name: "an AuthorizationPolicy with an empty selector selects every workload",
    objects: [authz(5), deployment(1)],
    expect: [
      "AuthorizationPolicy/allow-nothing /metadata/annotations/argocd.argoproj.io~1sync-wave: is applied in wave 5, after Deployment/api (wave 1) whose traffic it governs; policies belong in the foundation",
    ],
  },
  { name: "a late policy that selects other pods", objects: [netpol(3, { app: "web" }), deployment(1)], expect: [] },
];

describe("policy-waves", () => {
  it.each(CASES)("$name", (c) => expect(findings(policyWavesRule, rendered(c.objects))).toEqual(c.expect));

  it("the plan reports the same as a late-policy hazard", () => {
    expect(latePolicyHazards([netpol(3, { app: "api" }), deployment(1)]).map((h) => `${h.rule} ${h.object}`)).toEqual([
      "late-policy NetworkPolicy/allow-api",
    ]);
  });
});
