/** `manifold init` makes a project that compiles and passes its tests; `manifold new` adds descriptions. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { REPO, runCli } from "./helpers/project.ts";

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** An empty temp folder. */
function emptyDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "manifold-init-"));
  made.push(dir);
  return dir;
}

/** An initialised project without npm: node_modules/manifold links to this repository, as `npm ci` would. */
function initialised(): string {
  const root = emptyDir();
  const run = runCli(root, ["init", "--no-lock"]);
  expect(run.status, run.stderr).toBe(0);
  mkdirSync(join(root, "node_modules"));
  symlinkSync(REPO, join(root, "node_modules", "manifold"));
  return root;
}

/** Output without the runtime's deprecation warnings (which depend on the Node version). */
function own(text: string): string {
  return text
    .split("\n")
    .filter((l) => !/^\(node:\d+\) |^\(Use `node --trace-/.test(l))
    .join("\n");
}

function sh(cwd: string, command: string, args: string[]) {
  const r = spawnSync(command, args, { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { status: r.status ?? -1, out: own(`${r.stdout}\n${r.stderr}`) };
}

describe("manifold init", () => {
  it("makes a project that installs with npm ci, passes npm test and compiles", () => {
    const root = emptyDir();
    const run = runCli(root, ["init"]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain("Next:");
    expect(run.stderr).toContain("npx manifold compile");
    expect(existsSync(join(root, "package-lock.json"))).toBe(true);
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    expect(pkg.dependencies.manifold).toBe(`file:${REPO}`);
    const ci = sh(root, "npm", ["ci", "--no-audit", "--no-fund"]);
    expect(ci.status, ci.out).toBe(0);
    const test = sh(root, "npm", ["test", "--", "--test-reporter=tap"]);
    expect(test.status, test.out).toBe(0);
    expect(test.out).toMatch(/# pass 1\n/); // validation; the rendered/ check waits for the first compile
    expect(test.out).toMatch(/# fail 0\n/);
    const compile = sh(root, "npx", ["manifold", "compile"]);
    expect(compile.status, compile.out).toBe(0);
    expect(compile.out).toMatch(/compiled 1 targets, \d+ objects/);
    expect(compile.out).not.toMatch(/warning|error/);
    const deployment = parse(
      readFileSync(join(root, "rendered/dev/us-west-2/hello/deployment-hello-web.yaml"), "utf8"),
    );
    expect(deployment.spec.template.spec.containers[0].image).toBe("docker.io/nginxinc/nginx-unprivileged:1.27.3");
    expect(existsSync(join(root, "rendered/argocd"))).toBe(true);
    const after = sh(root, "npm", ["test", "--", "--test-reporter=tap"]);
    expect(after.status, after.out).toBe(0);
    expect(after.out).toMatch(/# pass 2/); // now rendered/ exists and is checked too
  }, 240_000);

  it("writes every part of a project: environment, region, Argo CD layer, platform, CI, test", () => {
    const root = initialised();
    for (const f of [
      "tsconfig.json",
      ".gitignore",
      "environments/dev.ts",
      "regions/us-west-2.ts",
      "argocd/layer.ts",
      "platforms/hello.ts",
      "test/manifold.test.mjs",
      ".github/workflows/manifold.yml",
      ".gitlab-ci.yml",
      "ci/gitlab-note.mjs",
    ])
      expect(existsSync(join(root, f)), f).toBe(true);
    expect(readFileSync(join(root, ".gitlab-ci.yml"), "utf8")).toContain("node ci/gitlab-note.mjs");
    const validate = runCli(root, ["validate"]);
    expect(validate.status, validate.stderr).toBe(0);
    expect(validate.stderr).toContain("validated 1 targets: 0 error(s), 0 warning(s), 0 waived");
  });

  it("refuses a folder that is not empty, and writes nothing", () => {
    const root = emptyDir();
    writeFileSync(join(root, "notes.txt"), "mine");
    const run = runCli(root, ["init", "--no-lock"]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/is not empty \(notes\.txt\); run init in an empty folder/);
    expect(existsSync(join(root, "package.json"))).toBe(false);
  });
});

describe("manifold new", () => {
  it("adds a platform, a region and an environment that compile as generated, each saying what is next", () => {
    const root = initialised();
    for (const args of [
      ["platform", "shop"],
      ["region", "eu-west-1"],
      ["environment", "staging"],
    ]) {
      const run = runCli(root, ["new", ...args]);
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toContain(`created  ${args[0]}s/${args[1]}.ts`);
      expect(run.stderr).toMatch(/^Next:\n {2}\S/);
    }
    const compile = runCli(root, ["compile"]);
    expect(compile.status, compile.stderr).toBe(0);
    expect(own(compile.stderr)).not.toMatch(/warning|error/);
    for (const target of ["dev/us-west-2/shop", "staging/us-west-2/shop", "staging/eu-west-1/hello"])
      expect(existsSync(join(root, "rendered", target, "README.md")), target).toBe(true);
  });

  it("refuses an existing description and a name that is not a DNS label", () => {
    const root = initialised();
    const again = runCli(root, ["new", "platform", "hello"]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain("error: platforms/hello.ts: already exists; nothing was written");
    const bad = runCli(root, ["new", "platform", "My_Shop"]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('"My_Shop" is not a valid platform name');
    const usage = runCli(root, ["new", "cluster", "x"]);
    expect(usage.status).toBe(2);
  });
});
