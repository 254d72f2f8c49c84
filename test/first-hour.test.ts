/** The first hour of a new user: help on every command, npm scripts without surprise hooks, docs that match code. */
import { mkdirSync, readFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../compiler/cli.ts";
import { cleanProjects, edit, makeProject, REPO, runCli } from "./helpers/project.ts";
import layer from "../argocd/layer.ts";

/** Runs the CLI in-process and collects what it prints. */
async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (s) => (out += s + "\n"), err: (s) => (err += s + "\n") });
  return { code, out, err };
}

describe("help", () => {
  for (const command of ["compile", "validate", "plan", "diff", "publish", "init", "new"]) {
    it(`'${command} -h' prints the same help as '${command} --help'`, async () => {
      const long = await cli([command, "--help"]);
      const short = await cli([command, "-h"]);
      expect(long.code).toBe(0);
      expect(short.code, short.err).toBe(0);
      expect(short.out).toBe(long.out);
      expect(short.out).toMatch(new RegExp(`^Usage: manifold ${command}`));
    });
  }
});

describe("npm scripts", () => {
  it("no script is a pre- or post-hook of another, so 'npm run compile' runs only the compile", () => {
    const scripts = Object.keys(JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")).scripts as object);
    const hooks = scripts.filter((s) => /^(pre|post)/.test(s) && scripts.includes(s.replace(/^(pre|post)/, "")));
    expect(hooks).toEqual([]);
  });

  it("the bundle script exists and the docs name it", () => {
    const pkg = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8"));
    expect(pkg.scripts.bundle).toBe("node bin/precompile.mjs");
    expect(readFileSync(join(REPO, "README.md"), "utf8")).toContain("npm run bundle");
    expect(readFileSync(join(REPO, "README.md"), "utf8")).not.toContain("npm run precompile");
  });
});

describe("examples/ci/README.md", () => {
  it("describes the production rollout in the order argocd/layer.ts sets", () => {
    const text = readFileSync(join(REPO, "examples/ci/README.md"), "utf8").replace(/\s+/g, " ");
    const rollout = layer.environments.production.rollout;
    if (rollout.type !== "RollingSync") throw new Error("production is expected to roll out with RollingSync");
    const roles = (rollout.steps ?? []).map((s) => s.roles.join(" and "));
    expect(text).toContain(`${roles[0]} region first, then ${roles.slice(1).join(", then ")}`);
    // The primary goes first: it holds the writable databases and runs the migration (README, "Rollout").
    expect(roles[0]).toBe("primary");
  });
});

afterAll(cleanProjects);

/** Manifold's own stderr lines, without the runtime's deprecation warnings (which depend on the Node version). */
function ownLines(stderr: string): string[] {
  return stderr
    .trim()
    .split("\n")
    .filter((l) => !/^\(node:\d+\) |^\(Use `node --trace-/.test(l));
}

describe("compile output", () => {
  it("counts waived findings in one line (each with --verbose) and ends with the line that matters", () => {
    const root = makeProject({ rendered: true });
    const quiet = runCli(root, ["compile", "--check"]);
    expect(quiet.status, quiet.stderr).toBe(0);
    const lines = ownLines(quiet.stderr);
    expect(lines.filter((l) => l.includes("(waived: "))).toEqual([]);
    // Warnings keep their words, one line for the same warning in several targets (the seed fleet's production
    // images are not pinned by digest; reachability's least-privilege findings; alerts on metrics no exporter provides
    // yet); then the waived count, then the line
    // that matters.
    const warnings = lines.slice(0, -2);
    expect(warnings.every((l) => / warning (image-digests|reachability|monitoring-rules): .*\[targets? /.test(l))).toBe(
      true,
    );
    expect(warnings.some((l) => /\[targets [^;\]]+(; [^;\]]+)+/.test(l))).toBe(true);
    expect(new Set(warnings).size).toBe(warnings.length);
    const [count, last] = lines.slice(-2);
    expect(count).toMatch(/^\d+ waived finding\(s\) \(min-replicas \d+\); 'manifold compile --verbose'/);
    expect(last).toMatch(/^rendered\/ is up to date: /);
    const verbose = runCli(root, ["compile", "--check", "--verbose"]);
    expect(verbose.status).toBe(0);
    const waived = verbose.stderr.split("\n").filter((l) => l.includes("(waived: "));
    expect(waived.length).toBe(Number(/^(\d+) waived/.exec(count)![1]));
    expect(waived.every((l) => / error min-replicas: /.test(l))).toBe(true);
  });
});

describe("errors that say where", () => {
  it("an exception thrown while a description runs names its file and line", () => {
    const root = makeProject();
    edit(
      root,
      "platforms/ossa.ts",
      "export default platform({",
      'const boom = (): string => {\n  throw new Error("kaboom");\n};\nexport default platform({\n  description: boom(),',
    );
    const line =
      readFileSync(join(root, "platforms/ossa.ts"), "utf8").split("\n").indexOf('  throw new Error("kaboom");') + 1;
    const run = runCli(root, ["compile"]);
    expect(run.status).toBe(1);
    expect(ownLines(run.stderr)).toEqual([`error: platforms/ossa.ts:${line}: cannot be loaded: kaboom`]);
  });

  it("an empty platforms/ says there are no platforms and how to add one", () => {
    const root = makeProject();
    renameSync(join(root, "platforms"), join(root, "platforms-away"));
    mkdirSync(join(root, "platforms"));
    const run = runCli(root, ["compile"]);
    expect(run.status).toBe(1);
    expect(ownLines(run.stderr).join("\n")).toMatch(
      /^error: platforms\/: there are no platforms: add one with 'npx manifold new platform <name>'/,
    );
    expect(run.stderr).not.toContain("no target matches");
  });

  it("plan with an unknown platform or environment suggests the name meant", async () => {
    const platform = await cli(["plan", "osa", "production", "us-west-2", "--root", REPO]);
    expect(platform.code).toBe(1);
    expect(platform.err).toContain('there is no platform "osa" (did you mean "ossa"?); platforms: ');
    const env = await cli(["plan", "ossa", "prod", "us-west-2", "--root", REPO]);
    expect(env.err).toContain(
      'there is no environment "prod" (did you mean "production"?); environments: dev, production, staging',
    );
  });
});
