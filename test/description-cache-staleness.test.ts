/**
 * When a cached description bundle (compiler/precompiled.ts, compiler/description-bundle.ts) must be built again
 * although none of the files it was built from changed: what an import resolves to can change around them (a
 * symbolic link pointed elsewhere, a new file taking over an import without an extension, tsconfig.json's paths), a
 * cache copied to another folder holds the old folder's paths, and `--no-cache` takes nothing from the cache. Each
 * case compiles through the precompiled CLI, changes one thing, and reads the value the description gave.
 */
import { spawnSync } from "node:child_process";
import {
  cpSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, cleanProjects, cliEnv, edit, makeProject, REPO } from "./helpers/project.ts";

const TARGET = ["--platform", "context-foundation", "--env", "staging", "--region", "us-west-2"];
const CONFIG = "rendered/staging/us-west-2/context-foundation/configmap-context-foundation-config.yaml";
const DESCRIPTION = "platforms/context-foundation.ts";

/** Runs the precompiled CLI in `cwd`, its descriptions bundled even where Node could strip their types itself. */
function cli(cwd: string, args: string[]): { status: number; stderr: string } {
  const env = cliEnv({ MANIFOLD_BUNDLE_DESCRIPTIONS: "1" });
  delete env.MANIFOLD_NO_PRECOMPILE;
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: "utf8", env });
  return { status: r.status ?? -1, stderr: r.stderr };
}

/** Compiles the staging us-west-2 target of context-foundation and returns the LOG_LEVEL it rendered. */
function logLevel(root: string, ...extra: string[]): string {
  const r = cli(root, ["compile", ...TARGET, ...extra]);
  expect(r.status, r.stderr).toBe(0);
  return /^ {2}LOG_LEVEL: (\S+)$/m.exec(readFileSync(join(root, CONFIG), "utf8"))?.[1] ?? "none";
}

/** Makes the staging LOG_LEVEL of context-foundation come from `expression`, after the `imports` lines. */
function levelFrom(root: string, imports: string, expression: string): void {
  edit(root, DESCRIPTION, /^/, `${imports}\n`);
  edit(root, DESCRIPTION, '    LOG_LEVEL: "INFO",', `    LOG_LEVEL: ${expression},`);
}

/** Writes two modules exporting LEVEL under `shared/`: level-a.ts (A) and level-b.ts (B). */
function twoLevels(root: string): void {
  mkdirSync(join(root, "shared"));
  writeFileSync(join(root, "shared/level-a.ts"), 'export const LEVEL: string = "A";\n');
  writeFileSync(join(root, "shared/level-b.ts"), 'export const LEVEL: string = "B";\n');
}

/**
 * With `config(to)` mapping the import `@level` to `shared/<to>`: LEVEL comes from level-a.ts, then, once the
 * configuration says level-b.ts, from level-b.ts.
 */
function followsConfig(root: string, config: (to: string) => void): void {
  config("level-a.ts");
  levelFrom(root, 'import { LEVEL } from "@level";', "LEVEL");
  expect(logLevel(root)).toBe("A");
  config("level-b.ts");
  expect(logLevel(root)).toBe("B");
}

beforeAll(() => {
  // builds dist/ (the precompiled CLI) when it is missing or stale
  const r = cli(REPO, ["--help"]);
  expect(r.status, r.stderr).toBe(0);
});
afterAll(cleanProjects);

describe("a cached description bundle is built again", () => {
  it("when a symbolic link among its imports is pointed at another file", () => {
    const root = makeProject();
    twoLevels(root);
    symlinkSync("../shared/level-a.ts", join(root, "platforms/_level.ts"));
    levelFrom(root, 'import { LEVEL } from "./_level.ts";', "LEVEL");
    expect(logLevel(root)).toBe("A");
    unlinkSync(join(root, "platforms/_level.ts"));
    symlinkSync("../shared/level-b.ts", join(root, "platforms/_level.ts"));
    expect(logLevel(root)).toBe("B");
  });

  it("when a new file takes over an import without an extension", () => {
    const root = makeProject();
    writeFileSync(join(root, "platforms/_level.js"), 'export const LEVEL = "A";\n');
    levelFrom(root, 'import { LEVEL } from "./_level";', "LEVEL");
    expect(logLevel(root)).toBe("A");
    // esbuild, like the sources' loader, resolves ./_level to the .ts file first
    writeFileSync(join(root, "platforms/_level.ts"), 'export const LEVEL: string = "B";\n');
    expect(logLevel(root)).toBe("B");
  });

  it("when tsconfig.json's paths lead an import elsewhere", () => {
    const root = makeProject();
    twoLevels(root);
    const tsconfig = (to: string) =>
      writeFileSync(
        join(root, "tsconfig.json"),
        JSON.stringify({ compilerOptions: { baseUrl: ".", paths: { "@level": [`./shared/${to}`] } } }),
      );
    followsConfig(root, tsconfig);
  });

  it("when a tsconfig.json that tsconfig.json extends changes its paths", () => {
    const root = makeProject();
    twoLevels(root);
    writeFileSync(join(root, "tsconfig.json"), '{ "extends": "./tsconfig.base" }');
    const base = (to: string) =>
      writeFileSync(
        join(root, "tsconfig.base.json"),
        `{\n  // comments and trailing commas, as tsconfig.json allows\n  "compilerOptions": { "paths": { "@level": ["./shared/${to}"], }, },\n}\n`,
      );
    followsConfig(root, base);
  });

  it("when a new file appears in a folder tsconfig.json's paths search first", () => {
    const root = makeProject();
    twoLevels(root);
    mkdirSync(join(root, "generated"));
    writeFileSync(join(root, "generated/other.ts"), "export const OTHER = 1;\n");
    writeFileSync(
      join(root, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { paths: { "@levels/*": ["./generated/*", "./shared/*"] } } }),
    );
    levelFrom(root, 'import { LEVEL } from "@levels/level-a";', "LEVEL");
    expect(logLevel(root)).toBe("A");
    writeFileSync(join(root, "generated/level-a.ts"), 'export const LEVEL: string = "G";\n');
    expect(logLevel(root)).toBe("G");
  });

  it("when the project is copied, cache and all, to another folder: import.meta names the new one", () => {
    const root = makeProject();
    writeFileSync(join(root, "platforms/_level.txt"), "A\n");
    levelFrom(
      root,
      'import { readFileSync } from "node:fs";',
      'readFileSync(new URL("./_level.txt", import.meta.url), "utf8").trim()',
    );
    expect(logLevel(root)).toBe("A");
    const copy = makeProject();
    // the copy keeps its own links to the compiler and node_modules
    for (const dir of ["platforms", ".manifold-cache", "rendered"])
      cpSync(join(root, dir), join(copy, dir), { recursive: true, force: true });
    writeFileSync(join(copy, "platforms/_level.txt"), "B\n");
    expect(logLevel(copy)).toBe("B");
    expect(logLevel(root)).toBe("A");
  });

  it("with a relative --root too: esbuild gets the absolute folder, and the bundles serve the next compile", () => {
    const root = makeProject();
    const relative = (args: string[]) => cli(join(root, ".."), [...args, "--root", basename(root)]);
    expect(relative(["compile", ...TARGET]).status).toBe(0);
    const dir = join(root, ".manifold-cache/descriptions");
    expect(readdirSync(dir).filter((f) => f.endsWith(".json")).length).toBeGreaterThan(10);
    const again = relative(["compile", ...TARGET]);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/\(1 unchanged, from the cache\)/);
  });

  it("with --no-cache: every description is bundled again", () => {
    const root = makeProject();
    expect(logLevel(root)).toBe("INFO");
    const dir = join(root, ".manifold-cache/descriptions");
    const manifests = () =>
      new Map(
        readdirSync(dir)
          .filter((f) => f.endsWith(".json"))
          .map((f) => [f, statSync(join(dir, f)).ino]),
      );
    const before = manifests();
    expect(before.size).toBeGreaterThan(10);
    expect(logLevel(root)).toBe("INFO");
    expect(manifests()).toEqual(before);
    expect(logLevel(root, "--no-cache")).toBe("INFO");
    const after = manifests();
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [file, ino] of after) expect(ino, file).not.toBe(before.get(file));
  });
});
