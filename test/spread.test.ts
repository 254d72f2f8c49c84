import { describe, expect, it } from "vitest";
import { spreadRule } from "../compiler/validate/rules/spread.ts";
import { spreadConstraints } from "../compiler/blocks/spread.ts";
import type { KubeObject } from "../compiler/model/object.ts";
import { findings, rendered } from "./helpers/rule.ts";

const labels = { app: "api" };
const deployment = (replicas: number | undefined, spec: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "api" },
  spec: { replicas, template: { metadata: { labels }, spec: { containers: [], ...spec } } },
});
const hpa = (minReplicas: number): KubeObject => ({
  apiVersion: "autoscaling/v2",
  kind: "HorizontalPodAutoscaler",
  metadata: { name: "api" },
  spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "api" }, minReplicas, maxReplicas: 9 },
});
const term = (topologyKey: string) => ({ topologyKey, labelSelector: { matchLabels: labels } });

const CASES: { name: string; objects: KubeObject[]; expect: string[] }[] = [
  {
    name: "the rendered spread over zones and nodes",
    objects: [deployment(3, { topologySpreadConstraints: spreadConstraints(labels) })],
    expect: [],
  },
  { name: "one replica needs no spread", objects: [deployment(1)], expect: [] },
  {
    name: "three replicas with no spread",
    objects: [deployment(3)],
    expect: [
      "Deployment/api /spec/template/spec/topologySpreadConstraints: runs at least 3 pods but does not spread them over topology.kubernetes.io/zone and kubernetes.io/hostname; one failure can take them all",
    ],
  },
  {
    name: "an HPA minimum of two, spread over nodes only",
    objects: [deployment(undefined, { topologySpreadConstraints: [term("kubernetes.io/hostname")] }), hpa(2)],
    expect: [
      "Deployment/api /spec/template/spec/topologySpreadConstraints: runs at least 2 pods but does not spread them over topology.kubernetes.io/zone; one failure can take them all",
    ],
  },
  {
    name: "preferred pod anti-affinity over zones and nodes",
    objects: [
      deployment(2, {
        affinity: {
          podAntiAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 100, podAffinityTerm: term("topology.kubernetes.io/zone") },
              { weight: 100, podAffinityTerm: term("kubernetes.io/hostname") },
            ],
          },
        },
      }),
    ],
    expect: [],
  },
  {
    name: "constraints that select other pods do not count",
    objects: [deployment(2, { topologySpreadConstraints: spreadConstraints({ app: "web" }) })],
    expect: [
      "Deployment/api /spec/template/spec/topologySpreadConstraints: runs at least 2 pods but does not spread them over topology.kubernetes.io/zone and kubernetes.io/hostname; one failure can take them all",
    ],
  },
];

describe("spread", () => {
  it.each(CASES)("$name", (c) => expect(findings(spreadRule, rendered(c.objects))).toEqual(c.expect));
});
