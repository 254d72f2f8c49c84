/**
 * The CLI in a CI job (compiler/ci-environment.ts): it compares rendered/ without its stamps, reading every file and
 * recording none, since a CI job compares a fresh clone once; the verdicts are the same as with stamps.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runsInCi } from "../compiler/ci-environment.ts";
import { cleanProjects, makeProject, runCli } from "./helpers/project.ts";

afterAll(cleanProjects);

describe("runsInCi", () => {
  it.each([
    [{ CI: "true" }, true],
    [{ CI: "1" }, true],
    [{ CI: "TRUE" }, true],
    [{ CI: "woodpecker" }, true],
    [{ CI: "false" }, false],
    [{ CI: "False" }, false],
    [{ CI: "0" }, false],
    [{ CI: "no" }, false],
    [{ CI: " Off " }, false],
    [{ CI: "" }, false],
    [{}, false],
  ] as [NodeJS.ProcessEnv, boolean][])("%j: %s", (env, expected) => {
    expect(runsInCi(env)).toBe(expected);
  });
});

describe("compile --check in a CI job", () => {
  const HPA = "production/us-west-2/ossa/horizontalpodautoscaler-ossa-discovery.yaml";

  it("records no stamps and still tells an unchanged tree from a hand edit; outside CI it records them", () => {
    const root = makeProject({ rendered: true });
    const stamps = join(root, ".manifold-cache/emit-rendered/stamps.json");

    const ci = runCli(root, ["compile", "--check"], { CI: "true" });
    expect(ci.status, ci.stderr).toBe(0);
    expect(ci.stderr).toMatch(/rendered\/ is up to date: 24 targets/);
    expect(existsSync(stamps)).toBe(false);

    const file = join(root, "rendered", HPA);
    const text = readFileSync(file, "utf8");
    writeFileSync(file, text.replace(/minReplicas: \d+/, "minReplicas: 1"));
    const edited = runCli(root, ["compile", "--check"], { CI: "true" });
    expect(edited.status).toBe(1);
    expect(edited.stdout.trim()).toBe(`changed  rendered/${HPA}`);
    expect(existsSync(stamps)).toBe(false);

    writeFileSync(file, text);
    const local = runCli(root, ["compile", "--check"], { CI: "" });
    expect(local.status, local.stderr).toBe(0);
    const recorded = JSON.parse(readFileSync(stamps, "utf8")) as { key: string; stamps: Record<string, string> };
    expect(Object.keys(recorded.stamps)).toContain(HPA);

    // a CI job neither stats nor trusts recorded stamps: with a stamp forged for an edited file (the edit's own
    // stamp, recorded as if found equal), the stamps path trusts it and a CI job still reads the file
    writeFileSync(file, text.replace(/minReplicas: \d+/, "minReplicas: 1"));
    const s = statSync(file, { bigint: true });
    recorded.stamps[HPA] = `${s.size}:${s.mtimeNs}:${s.ctimeNs}:${s.ino}`;
    writeFileSync(stamps, JSON.stringify(recorded));
    const trusting = runCli(root, ["compile", "--check"], { CI: "" });
    expect(trusting.status, trusting.stdout).toBe(0);
    const again = runCli(root, ["compile", "--check"], { CI: "1" });
    expect(again.status).toBe(1);
    expect(again.stdout.trim()).toBe(`changed  rendered/${HPA}`);
  });

  it("compile in a CI job repairs a hand edit the same way and records no stamps", () => {
    const root = makeProject({ rendered: true });
    const stamps = join(root, ".manifold-cache/emit-rendered/stamps.json");
    const file = join(root, "rendered", HPA);
    const text = readFileSync(file, "utf8");
    writeFileSync(file, "edited by hand\n");
    const run = runCli(root, ["compile"], { CI: "true" });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain("rendered/: 0 added, 1 changed, 0 removed");
    expect(readFileSync(file, "utf8")).toBe(text);
    expect(existsSync(stamps)).toBe(false);
  });
});
