/**
 * Descriptions imported with Node's own type stripping under the precompiled CLI (compiler/native-descriptions.ts):
 * when it is taken, that it renders what the bundles render, and that what type stripping cannot run, or would run
 * differently, still goes through the bundles.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nativeTypeScript, strippable, thisRuntime, type Runtime } from "../compiler/native-descriptions.ts";
import { CLI, REPO, cleanProjects, cliEnv, descriptionFiles, edit, makeProject } from "./helpers/project.ts";
import { buildDist, checkListingBuiltIns } from "./helpers/precompiled.ts";

afterAll(cleanProjects);

beforeAll(buildDist);

/** Runs the precompiled CLI in `root` with `env` over cliEnv's. */
function run(root: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const full = cliEnv(env);
  delete full.MANIFOLD_NO_PRECOMPILE;
  return spawnSync(process.execPath, [CLI, ...args], { cwd: root, encoding: "utf8", env: full });
}

/**
 * The descriptions bundled in `root`'s description cache: one manifest each, named after the description's path
 * (its folder's slash an underscore) with `.json`.
 */
function bundled(root: string): string[] {
  const dir = join(root, ".manifold-cache", "descriptions");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.slice(0, -".json".length).replace("_", "/"))
    .sort();
}

/** Every file under `dir`, by its path relative to it, with its bytes. */
function tree(dir: string, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : 1,
  )) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) for (const [p, c] of tree(dir, path)) out.set(p, c);
    else out.set(path, readFileSync(join(dir, path), "latin1"));
  }
  return out;
}

describe("nativeTypeScript", () => {
  const node = (version: string, typescript: unknown = "strip", hooks = true): Runtime => ({
    version,
    typescript,
    hooks,
  });
  const cases: [string, NodeJS.ProcessEnv, Runtime, boolean][] = [
    ["Node 26", {}, node("26.10.0"), true],
    ["Node 24.3, the first without the warning", {}, node("24.3.0"), true],
    ["Node 24.2, which warns", {}, node("24.2.0"), false],
    ["Node 22.18 (its type stripping, but no Node 24)", {}, node("22.18.0"), false],
    ["Node 20, no type stripping", {}, node("20.20.2", undefined, false), false],
    ["type stripping off (--no-experimental-strip-types)", {}, node("26.10.0", false), false],
    ["--experimental-transform-types", {}, node("26.10.0", "transform"), false],
    ["no synchronous hooks", {}, node("26.10.0", "strip", false), false],
    ["MANIFOLD_BUNDLE_DESCRIPTIONS=1", { MANIFOLD_BUNDLE_DESCRIPTIONS: "1" }, node("26.10.0"), false],
    ["MANIFOLD_BUNDLE_DESCRIPTIONS=yes", { MANIFOLD_BUNDLE_DESCRIPTIONS: "yes" }, node("26.10.0"), false],
    ["MANIFOLD_BUNDLE_DESCRIPTIONS=0", { MANIFOLD_BUNDLE_DESCRIPTIONS: "0" }, node("26.10.0"), true],
    ["MANIFOLD_BUNDLE_DESCRIPTIONS empty", { MANIFOLD_BUNDLE_DESCRIPTIONS: "" }, node("26.10.0"), true],
  ];
  it.each(cases)("%s", (_, env, runtime, expected) => {
    expect(nativeTypeScript(env, runtime)).toBe(expected);
  });
});

describe("strippable", () => {
  // the files loaded, relative to a temp folder; the configs written there
  const files = ["app/platforms/a.ts", "app/environments/dev.ts", "app/lib/level.ts"];
  const cases: [string, Record<string, string>, boolean][] = [
    ["no config at all", {}, true],
    ["this repo's tsconfig.json", { "app/tsconfig.json": readFileSync(join(REPO, "tsconfig.json"), "utf8") }, true],
    [
      "comments and trailing commas",
      { "app/tsconfig.json": '{ // c\n "compilerOptions": { "strict": true, /* x */ "target": "ESNext", }, }' },
      true,
    ],
    ["paths", { "app/tsconfig.json": '{ "compilerOptions": { "paths": { "@/*": ["./src/*"] } } }' }, false],
    [
      "baseUrl beside a description",
      { "app/platforms/tsconfig.json": '{ "compilerOptions": { "baseUrl": "." } }' },
      false,
    ],
    ["extends", { "app/tsconfig.json": '{ "extends": "./base.json" }' }, false],
    ["decorators", { "app/jsconfig.json": '{ "compilerOptions": { "experimentalDecorators": true } }' }, false],
    ["fields assigned", { "app/tsconfig.json": '{ "compilerOptions": { "useDefineForClassFields": false } }' }, false],
    ["an old target", { "app/tsconfig.json": '{ "compilerOptions": { "target": "ES2019" } }' }, false],
    [
      "an old target, fields defined",
      { "app/tsconfig.json": '{ "compilerOptions": { "target": "es2019", "useDefineForClassFields": true } }' },
      true,
    ],
    ["unreadable JSON", { "app/tsconfig.json": "{ nope" }, false],
    ["a byte order mark", { "app/tsconfig.json": '\uFEFF{ "compilerOptions": { "strict": true } }' }, true],
    ["extends in a jsconfig.json", { "app/jsconfig.json": '{ "extends": "@tsconfig/node22" }' }, false],
    ["a config in a folder nothing is loaded from", { "app/test/tsconfig.json": '{ "extends": "x" }' }, true],
    ["a config beside a helper only", { "app/lib/tsconfig.json": '{ "compilerOptions": { "target": "es5" } }' }, false],
    [
      "a config above the project (a monorepo's)",
      { "tsconfig.json": '{ "compilerOptions": { "baseUrl": "." } }' },
      false,
    ],
    [
      "the nearest config only: a plain one beside, paths above",
      { "tsconfig.json": '{ "compilerOptions": { "baseUrl": "." } }', "app/tsconfig.json": "{}" },
      true,
    ],
    [
      "tsconfig.json over jsconfig.json in one folder",
      { "app/tsconfig.json": "{}", "app/jsconfig.json": '{ "compilerOptions": { "baseUrl": "." } }' },
      true,
    ],
  ];
  it.each(cases)("%s", (_, configs, expected) => {
    const dir = mkdtempSync(join(tmpdir(), "manifold-strippable-"));
    try {
      for (const [path, text] of Object.entries(configs)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), text);
      }
      expect(strippable(files.map((file) => join(dir, file)))).toBe(expected);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!nativeTypeScript({}, thisRuntime()))("a compile with native descriptions", () => {
  it("bundles no description, loads no esbuild, and renders byte for byte what the bundles render", () => {
    const native = makeProject({ rendered: true });
    // the main thread's built-ins at its exit (esbuild's service needs node:child_process)
    const { r, loaded } = checkListingBuiltIns(native, false);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain("rendered/ is up to date");
    expect(bundled(native)).toEqual([]);
    expect(existsSync(join(native, ".manifold-cache", "descriptions"))).toBe(false);
    expect(loaded.filter((m) => /^NativeModule (?:child_process|tty)$/.test(m))).toEqual([]);

    // the same project, compiled afresh natively and with the bundles: the same bytes
    const a = makeProject();
    const b = makeProject();
    expect(run(a, ["compile"]).status).toBe(0);
    const withBundles = run(b, ["compile"], { MANIFOLD_BUNDLE_DESCRIPTIONS: "1" });
    expect(withBundles.status, withBundles.stderr).toBe(0);
    expect(bundled(a)).toEqual([]);
    expect(bundled(b).length).toBeGreaterThan(20);
    expect(tree(join(a, "rendered"))).toEqual(tree(join(b, "rendered")));
  });

  it("bundles only the descriptions type stripping cannot run, and renders them", () => {
    const root = makeProject({
      files: {
        "platforms/_tiers.ts": "export enum Tier { Gold = 3 }\n",
        "platforms/_plain.ts": "export const REPLICAS = 3;\n",
      },
    });
    // an enum (not erasable), and an import without its extension: both bundled; the rest imported natively
    edit(root, "platforms/alfred.ts", /^/, 'import { Tier } from "./_tiers.ts";\nvoid Tier.Gold;\n');
    edit(root, "platforms/ossa.ts", /^/, 'import { REPLICAS } from "./_plain";\nvoid REPLICAS;\n');
    const r = run(root, ["compile"]);
    expect(r.status, r.stderr).toBe(0);
    expect(bundled(root)).toEqual(["platforms/alfred.ts", "platforms/ossa.ts"]);
    expect(readdirSync(join(root, "rendered", "production", "us-east-1"))).toEqual(
      expect.arrayContaining(["alfred", "ossa"]),
    );
  });

  // a config that makes esbuild resolve or compile differently: every description is bundled, not only those it
  // touches (an import only the bundler resolves fails natively anyway; class fields assigned would not)
  const bundling: [string, Record<string, string>, string][] = [
    [
      "a tsconfig.json maps paths",
      {
        "tsconfig.json": '{ "compilerOptions": { "baseUrl": ".", "paths": { "@lib/*": ["lib/*"] } } }',
        "lib/level.ts": 'export const LEVEL = "WARN";\n',
      },
      'import { LEVEL } from "@lib/level.ts";\nvoid LEVEL;\n',
    ],
    [
      "a helper's own tsconfig.json assigns class fields",
      {
        "lib/tsconfig.json": '{ "compilerOptions": { "useDefineForClassFields": false } }',
        "lib/level.ts": 'export class Level { value = "WARN"; }\n',
      },
      'import { Level } from "../lib/level.ts";\nvoid new Level().value;\n',
    ],
  ];
  it.each(bundling)("takes the bundles for every description when %s", (_, files, imports) => {
    const root = makeProject({ files });
    edit(root, "platforms/alfred.ts", /^/, imports);
    const r = run(root, ["compile"]);
    expect(r.status, r.stderr).toBe(0);
    expect(bundled(root)).toEqual(descriptionFiles(root).sort());
  });

  it("loads natively once per process: a second load takes the bundles, so an edit between the loads is seen", () => {
    const root = makeProject();
    const script = join(root, "load-twice.mjs");
    writeFileSync(
      script,
      [
        `import { readFileSync, writeFileSync } from "node:fs";`,
        `import { load } from ${JSON.stringify(pathToFileURL(join(REPO, "dist", "manifold.mjs")).href)};`,
        `const file = ${JSON.stringify(join(root, "platforms", "context-foundation.ts"))};`,
        `const seen = async () => JSON.stringify(await load(${JSON.stringify(root)})).includes("EDITED");`,
        `const before = await seen();`,
        // the hooks are off once the descriptions are imported: the compiler's index resolves to itself again
        `const index = import.meta.resolve(${JSON.stringify(pathToFileURL(join(root, "compiler", "index.ts")).href)});`,
        `writeFileSync(file, readFileSync(file, "utf8").replace('LOG_LEVEL: "INFO"', 'LOG_LEVEL: "EDITED"'));`,
        `console.log(JSON.stringify([before, await seen(), index.endsWith("/compiler/index.ts")]));`,
      ].join("\n"),
    );
    const r = spawnSync(process.execPath, [script], { cwd: root, encoding: "utf8", env: cliEnv() });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([false, true, true]);
    expect(bundled(root)).toContain("platforms/context-foundation.ts");
  });

  it("serves the package name `manifold` the running language, in a project of another name", () => {
    const root = makeProject({ files: { "package.json": '{ "name": "acme-platforms", "type": "module" }' } });
    edit(root, "platforms/alfred.ts", '"../compiler/index.ts"', '"manifold"');
    const r = run(root, ["compile"]);
    expect(r.status, r.stderr).toBe(0);
    expect(bundled(root)).toEqual([]);
    expect(readdirSync(join(root, "rendered", "production", "us-east-1"))).toContain("alfred");
  });

  it("reports a description that fails to link natively and throws bundled with the error the bundles give", () => {
    // a type imported without `import type` (Node cannot link it; Node keeps that failure under the file's URL)
    const broken = [
      'import { PlatformDescription } from "../compiler/index.ts";',
      "const none: PlatformDescription | undefined = undefined;",
      "void none;",
      'throw new Error("no such platform");',
      "",
    ].join("\n");
    const outcomes = [{}, { MANIFOLD_BUNDLE_DESCRIPTIONS: "1" }].map((env) => {
      const root = makeProject();
      edit(root, "platforms/alfred.ts", /^/, broken);
      const r = run(root, ["compile"], env);
      return { status: r.status, stderr: r.stderr.replaceAll(root, "<root>") };
    });
    expect(outcomes[0].status).not.toBe(0);
    expect(outcomes[0].stderr).toContain("platforms/alfred.ts:4: cannot be loaded: no such platform");
    expect(outcomes[0]).toEqual(outcomes[1]);
  });

  it("loads the descriptions as ES modules whatever package.json says, with no warning", () => {
    for (const manifest of ['{ "name": "typeless" }', '{ "name": "old", "type": "commonjs" }']) {
      const root = makeProject({ files: { "package.json": manifest } });
      const r = run(root, ["compile"]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).not.toMatch(/\(node:\d+\)|MODULE_TYPELESS|ExperimentalWarning/);
      expect(bundled(root)).toEqual([]);
    }
  });

  it("reports a description that throws as the bundles do: its file and line, no stack", () => {
    const outcomes = [{}, { MANIFOLD_BUNDLE_DESCRIPTIONS: "1" }].map((env) => {
      const root = makeProject();
      edit(root, "regions/us-west-2.ts", /^/, 'throw new Error("no such region");\n');
      const r = run(root, ["compile"], env);
      return {
        status: r.status,
        stderr: r.stderr.replaceAll(root, "<root>"),
        wrote: existsSync(join(root, "rendered")),
      };
    });
    expect(outcomes[0].status).not.toBe(0);
    expect(outcomes[0].stderr).toContain("regions/us-west-2.ts:1");
    expect(outcomes[0].stderr).toContain("no such region");
    expect(outcomes[0].stderr).not.toMatch(/\n\s+at /);
    expect(outcomes[0].wrote).toBe(false);
    expect(outcomes[0]).toEqual(outcomes[1]);
  });
});
