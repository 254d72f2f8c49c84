import { describe, expect, it } from "vitest";
import { dependencyOrderedEnv, envReferences } from "../compiler/kube/env-references.ts";
import { envReferencesRule } from "../compiler/validate/rules/env-references.ts";
import { findings, rendered } from "./helpers/rule.ts";

const POD_NAME = { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } };
const deployment = (container: Record<string, unknown>) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "db" },
  spec: { template: { spec: { containers: [{ name: "db", ...container }] } } },
});

describe("$(VAR) references", () => {
  it("reads names, never the escaped $$(NAME), nor a shell command with spaces", () => {
    expect(envReferences("$(A).$(B_1)-$$(C) $(date -u) $(x.y)")).toEqual(["A", "B_1", "x.y"]);
  });

  it("orders each variable after the ones its value refers to, keeping the rest in place", () => {
    const vars = [
      { name: "ADVERTISED", value: "$(POD_NAME).headless" },
      { name: "LISTEN", value: "0.0.0.0" },
      { name: "URL", value: "http://$(ADVERTISED):$(PORT)" },
      POD_NAME,
      { name: "PORT", value: "7687" },
    ];
    expect(dependencyOrderedEnv(vars).map((v) => v.name)).toEqual(["POD_NAME", "ADVERTISED", "LISTEN", "PORT", "URL"]);
  });

  it("keeps a cycle in its order and unknown names out", () => {
    const vars = [
      { name: "A", value: "$(B)" },
      { name: "B", value: "$(A)$(NOWHERE)" },
    ];
    expect(dependencyOrderedEnv(vars).map((v) => v.name)).toEqual(["B", "A"]);
  });
});

const CASES = [
  {
    name: "a value that refers to a variable defined after it (the Neo4j advertised address)",
    container: { env: [{ name: "ADVERTISED", value: "$(POD_NAME).neo4j-headless" }, POD_NAME] },
    expect: [
      "Deployment/db /spec/template/spec/containers/0/env/0/value: ADVERTISED refers to $(POD_NAME), defined after it (env 1); Kubernetes expands only earlier variables, so the value keeps the literal text $(POD_NAME)",
    ],
  },
  {
    name: "a value that refers to an earlier variable, and an escaped one",
    container: { env: [POD_NAME, { name: "ADVERTISED", value: "$(POD_NAME).h $$(LITERAL)" }] },
    expect: [],
  },
  {
    name: "a value that refers to a variable nowhere defined",
    container: { env: [{ name: "URL", value: "http://$(HOST):80" }] },
    expect: [
      "Deployment/db /spec/template/spec/containers/0/env/0/value: URL refers to $(HOST), which container db does not define; the value keeps the literal text $(HOST)",
    ],
  },
  {
    name: "arguments refer to any variable of the env, a shell's $(hostname) is the shell's",
    container: {
      command: ["/bin/sh", "-c", 'self="$(hostname)"; exec server --auth=$(TOKEN)'],
      args: ["--name=$(POD_NAME)", "--password=$(PASSWORD)"],
      env: [{ name: "TOKEN", value: "x" }, POD_NAME],
    },
    expect: [
      "Deployment/db /spec/template/spec/containers/0/args/1: refers to $(PASSWORD), which container db does not define; it stays the literal text $(PASSWORD)",
    ],
  },
];

describe("env-references", () => {
  it.each(CASES)("$name", (c) => {
    expect(findings(envReferencesRule, rendered([deployment(c.container)], "db"))).toEqual(c.expect);
  });
});
