import { describe, expect, it } from "vitest";
import { imageRegistriesRule } from "../compiler/validate/rules/image-registries.ts";
import { imageDigestsRule } from "../compiler/validate/rules/image-digests.ts";
import type { KubeObject } from "../compiler/model/object.ts";
import { findings, rendered, ruleTarget } from "./helpers/rule.ts";

const pod = (image: string): KubeObject => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "api" },
  spec: { template: { spec: { containers: [{ name: "api", image }] } } },
});
const policy = {
  networkPolicies: true,
  disruptionBudgets: true,
  resourceQuota: true,
  registries: ["docker.io", "ghcr.io"],
};
const DIGEST = "sha256:" + "ab".repeat(32);

const CASES: { name: string; image: string; registries: boolean; expect: string[] }[] = [
  {
    name: "a qualified image from an allowed registry",
    image: "docker.io/library/redis:7.4.1",
    registries: true,
    expect: [],
  },
  {
    name: "an image without a registry host",
    image: "redis:7.4.1",
    registries: true,
    expect: ['Deployment/api /spec/template/spec/containers/0/image: image "redis:7.4.1" names no registry host'],
  },
  {
    name: "an image from a registry the environment does not allow",
    image: "quay.io/prometheus/node-exporter:v1.8.2",
    registries: true,
    expect: [
      'Deployment/api /spec/template/spec/containers/0/image: image "quay.io/prometheus/node-exporter:v1.8.2" comes from quay.io, which environment production does not allow (docker.io, ghcr.io)',
    ],
  },
  { name: "any registry when the environment lists none", image: "quay.io/a/b:1", registries: false, expect: [] },
  { name: "a registry with a port", image: "localhost:5000/a:1", registries: false, expect: [] },
];

describe("image-registries", () => {
  it.each(CASES)("$name", (c) => {
    const target = ruleTarget(c.registries ? { policy } : {});
    expect(findings(imageRegistriesRule, rendered([pod(c.image)]), target)).toEqual(c.expect);
  });
});

describe("image-digests", () => {
  it.each([
    { image: `docker.io/library/redis:7.4.1@${DIGEST}`, expect: [] },
    {
      image: "docker.io/library/redis:7.4.1",
      expect: [
        'Deployment/api /spec/template/spec/containers/0/image: image "docker.io/library/redis:7.4.1" has no digest',
      ],
    },
  ])("$image", (c) => expect(findings(imageDigestsRule, rendered([pod(c.image)]))).toEqual(c.expect));
});
