import { describe, expect, it } from "vitest";
import { peerReadinessRule } from "../compiler/validate/rules/peer-readiness.ts";
import type { Component, StoreComponent } from "../compiler/describe/types.ts";
import type { StoreEnvContext } from "../compiler/stores/engine.ts";
import { findings, rendered, ruleTarget } from "./helpers/rule.ts";

const store = (engine: string): Component => ({ type: "store", engine, replicas: 3 }) as unknown as Component;
const set = (policy: string | undefined, liveness: string, replicas = 3) => ({
  apiVersion: "apps/v1",
  kind: "StatefulSet",
  metadata: { name: "db" },
  spec: {
    replicas,
    podManagementPolicy: policy,
    template: { spec: { containers: [{ name: "db", livenessProbe: { httpGet: { path: liveness, port: "http" } } }] } },
  },
});

const CASES = [
  { name: "a Parallel Qdrant cluster probing /livez", engine: "qdrant", object: set("Parallel", "/livez"), expect: [] },
  {
    name: "an OrderedReady Qdrant cluster probing /readyz for liveness",
    engine: "qdrant",
    object: set("OrderedReady", "/readyz"),
    expect: [
      "StatefulSet/db /spec/podManagementPolicy: members become Ready only once their peers run, but pods start one by one (OrderedReady); pod 0 never becomes Ready",
      "StatefulSet/db /spec/template/spec/containers/0/livenessProbe/httpGet/path: liveness probes /readyz, which answers only while the peers are up; a restart cannot bring them back",
    ],
  },
  {
    name: "a NATS JetStream cluster with the default policy",
    engine: "nats",
    object: set(undefined, "/healthz?js-enabled-only=true"),
    expect: [
      "StatefulSet/db /spec/podManagementPolicy: members become Ready only once their peers run, but pods start one by one (OrderedReady); pod 0 never becomes Ready",
    ],
  },
  { name: "a single NATS server needs no peers", engine: "nats", object: set(undefined, "/livez", 1), expect: [] },
  { name: "postgres members do not wait for peers", engine: "postgres", object: set("OrderedReady", "/"), expect: [] },
];

describe("peer-readiness", () => {
  it.each(CASES)("$name", (c) => {
    const target = ruleTarget({ components: { db: store(c.engine) } });
    expect(findings(peerReadinessRule, rendered([c.object], "db"), target)).toEqual(c.expect);
  });

  it("every engine that needs peers for readiness has a liveness probe off its peer-dependent paths", async () => {
    const { ENGINES } = await import("../compiler/stores/index.ts");
    for (const [name, engine] of Object.entries(ENGINES)) {
      if (!engine.peerDependentPaths) continue;
      const spec = { replicas: 3 } as StoreComponent;
      const ctx: StoreEnvContext = {
        mode: "cluster",
        spec,
        primaryHost: "",
        setName: "s",
        headlessName: "h",
        namespace: "n",
      };
      const path = (engine.liveness ?? engine.probe)(ctx).httpGet?.path;
      expect(engine.peerDependentPaths, name).not.toContain(path);
    }
  });
});
