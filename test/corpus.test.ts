import { afterAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { CASES } from "./corpus/cases.ts";
import { corpusErrors } from "./corpus/run.ts";
import { cleanProjects, edit, makeProject, runCli } from "./helpers/project.ts";
import { readTree } from "../compiler/emit/write.ts";

afterAll(cleanProjects);

describe("the bad-input corpus gives each broken description its exact error", () => {
  it("has at least 40 cases, each named once", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  // In-process: a ManifoldError with exactly these lines; any other exception fails the case.
  it.each(CASES)("$name", async (c) => {
    expect(await corpusErrors(c)).toEqual(c.expect);
  });
});

// Through the real CLI: exit 1, the exact lines on stderr, nothing on stdout, no stack trace, rendered/ untouched.
const CLI_CASES: { name: string; file: string; from: string; to: string; stderr: string[] }[] = [
  {
    name: "a syntax error in an environment",
    file: "environments/production.ts",
    from: 'name: "production",',
    to: 'name: "production",,',
    stderr: [/^error: environments\/production\.ts: cannot be loaded: /.source],
  },
  {
    name: "a dependency cycle",
    file: "platforms/ossa.ts",
    from: 'description: "Primary database, with read replicas",',
    to: 'description: "Primary database, with read replicas", dependsOn: ["gateway"],',
    stderr: [
      /^error: platforms\/ossa\.ts: components\.postgresql\.dependsOn: dependency cycle: postgresql -> gateway -> orchestration -> postgresql \[target ossa\]$/
        .source,
    ],
  },
  {
    name: "a patch that makes the config a plaintext Secret",
    file: "platforms/ossa.ts",
    from: "export default platform({",
    to: 'export default platform({\n  patches: [{ target: { kind: "ExternalSecret", name: "ossa-api" }, ops: [{ op: "replace", path: "/apiVersion", value: "v1" }, { op: "replace", path: "/kind", value: "Secret" }, { op: "remove", path: "/spec" }, { op: "add", path: "/stringData", value: { "jwt-secret": "hunter2" } }] }],',
    stderr: [
      /^error: platforms\/ossa\.ts: no-plaintext-secret: Secret\/ossa-api \/stringData: a Secret carries plaintext stringData \(fix: declare the value with secretRef\(\) so it renders as an ExternalSecret\) \[targets ossa\/dev\/us-west-2; .*\]$/
        .source,
    ],
  },
  {
    name: "an unknown policy level",
    file: "environments/dev.ts",
    from: 'probes: "warning"',
    to: 'probes: "loose"',
    stderr: [
      /^error: environments\/dev\.ts: policy\.rules\.probes: must be one of "off", "warning", "error" \(got "loose"\)$/
        .source,
    ],
  },
];

describe("bad input through the CLI", () => {
  it.each(CLI_CASES)("$name", (c) => {
    const root = makeProject({ rendered: true });
    const before = readTree(join(root, "rendered"));
    edit(root, c.file, c.from, c.to);
    const run = runCli(root, ["compile"]);
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout).toBe("");
    const lines = run.stderr.trimEnd().split("\n");
    expect(lines.length, run.stderr).toBe(c.stderr.length);
    c.stderr.forEach((re, i) => expect(lines[i]).toMatch(new RegExp(re)));
    expect(run.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
    const after = readTree(join(root, "rendered"));
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [p, text] of before) expect(after.get(p)).toBe(text);
  });
});
