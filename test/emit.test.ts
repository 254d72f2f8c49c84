import { afterAll, describe, expect, it } from "vitest";
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { cleanProjects, edit, makeProject, runCli } from "./helpers/project.ts";
import { readTree } from "../compiler/emit/write.ts";

afterAll(cleanProjects);

describe("manifold compile writes rendered/ atomically", () => {
  it("renders from scratch, then reports nothing to do", () => {
    const root = makeProject();
    const first = runCli(root, ["compile"]);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toMatch(
      /compiled \d+ targets, \d+ objects in \d+ ms; rendered\/: \d+ added, 0 changed, 0 removed/,
    );
    expect(existsSync(join(root, "rendered/production/eu-west-1/ossa/deployment-ossa-gateway.yaml"))).toBe(true);
    const second = runCli(root, ["compile"]);
    expect(second.stderr).toMatch(/rendered\/ unchanged/);
    expect(readdirSync(root).filter((f) => f.startsWith("rendered."))).toEqual([]);
  });

  it("matches the committed rendered/ byte for byte", () => {
    const root = makeProject({ rendered: true });
    const check = runCli(root, ["compile", "--check"]);
    expect(check.status, check.stdout + check.stderr).toBe(0);
  });

  it("removes the file of an object that is gone, and --check lists stale files first", () => {
    const root = makeProject({ rendered: true });
    mkdirSync(join(root, "rendered/production/us-west-2/ossa"), { recursive: true });
    writeFileSync(join(root, "rendered/production/us-west-2/ossa/deployment-ossa-legacy.yaml"), "kind: Deployment\n");
    edit(root, "platforms/ossa.ts", 'agentService("discovery", 5, 30,', 'agentService("discovery", 6, 30,');
    const check = runCli(root, ["compile", "--check"]);
    expect(check.status).toBe(1);
    expect(check.stdout).toContain("removed  rendered/production/us-west-2/ossa/deployment-ossa-legacy.yaml");
    expect(check.stdout).toContain(
      "changed  rendered/production/us-west-2/ossa/horizontalpodautoscaler-ossa-discovery.yaml",
    );
    expect(check.stderr).toMatch(/rendered\/ is stale: \d+ file\(s\) differ/);
    expect(existsSync(join(root, "rendered/production/us-west-2/ossa/deployment-ossa-legacy.yaml"))).toBe(true);

    const run = runCli(root, ["compile"]);
    expect(run.status, run.stderr).toBe(0);
    expect(existsSync(join(root, "rendered/production/us-west-2/ossa/deployment-ossa-legacy.yaml"))).toBe(false);
    expect(
      readFileSync(
        join(root, "rendered/production/us-west-2/ossa/horizontalpodautoscaler-ossa-discovery.yaml"),
        "utf8",
      ),
    ).toContain("minReplicas: 6");
  });

  it("a filtered compile replaces only its own targets", () => {
    const root = makeProject({ rendered: true });
    const before = readTree(join(root, "rendered"));
    edit(root, "platforms/ossa.ts", "OSSA_VERSION: VERSION,", 'OSSA_VERSION: "0.1.9",');
    const run = runCli(root, ["compile", "--env", "dev"]);
    expect(run.status, run.stderr).toBe(0);
    const after = readTree(join(root, "rendered"));
    const changed = [...after.keys()].filter((p) => after.get(p) !== before.get(p));
    expect(changed).toEqual(["dev/us-west-2/ossa/README.md", "dev/us-west-2/ossa/configmap-ossa-config.yaml"]);
  });

  it("writes a README per target with the waves and a mermaid graph", () => {
    const readme = readFileSync(join(import.meta.dirname, "../rendered/production/us-west-2/ossa/README.md"), "utf8");
    expect(readme).toContain("| Phase | Wave | Objects |");
    expect(readme).toContain("```mermaid");
    expect(readme).toContain("gateway --> orchestration");
    expect(readme).not.toMatch(/\d{4}-\d\d-\d\dT/);
  });
});

describe("the CLI", () => {
  it("exits 2 on a usage error and 0 on --help", () => {
    const root = makeProject();
    expect(runCli(root, ["compile", "--bogus"]).status).toBe(2);
    expect(runCli(root, ["frobnicate"]).status).toBe(2);
    const help = runCli(root, ["compile", "--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("--check");
    for (const command of ["validate", "plan"]) expect(runCli(root, [command, "--help"]).status).toBe(0);
  });

  it("validate writes nothing and reports the fleet clean", () => {
    const root = makeProject();
    const run = runCli(root, ["validate", "--format", "json"]);
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.ok).toBe(true);
    expect(
      report.findings.filter((f: { severity: string; waived?: string }) => f.severity === "error" && !f.waived),
    ).toEqual([]);
    expect(existsSync(join(root, "rendered"))).toBe(false);
  });

  it("validate --format json reports description errors as data", () => {
    const root = makeProject();
    edit(root, "platforms/ossa.ts", 'replicas: 3,\n      storage: "20Gi"', 'replicas: -1,\n      storage: "20Gi"');
    const run = runCli(root, ["validate", "--format", "json"]);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.errors[0]).toMatchObject({
      file: "platforms/ossa.ts",
      field: "components.redis.replicas",
      target: "ossa",
    });
  });
});
