/**
 * Descriptions under the precompiled CLI (compiler/precompiled.ts, compiler/description-bundle.ts): the stale ones are
 * bundled in one esbuild build, each into its own module with its own manifest. One build of many gives the same
 * modules as one build each; a bad description among good ones is reported exactly as under the sources while the
 * good ones are bundled; an edit rebuilds only the descriptions built from the edited file.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, posix } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleDescriptions, type Manifest } from "../compiler/description-bundle.ts";
import { CLI, cleanProjects, cliEnv, descriptionFiles, edit, makeProject, REPO } from "./helpers/project.ts";

const LANGUAGE = pathToFileURL(join(REPO, "dist", "language.mjs")).href;
const LIBRARY = pathToFileURL(join(REPO, "dist", "manifold.mjs")).href;

/**
 * Runs the CLI in `cwd`: precompiled with its descriptions bundled, or under the sources (tsx) with `sources`; `extra`
 * adds to its environment.
 */
function cli(
  cwd: string,
  args: string[],
  sources = false,
  extra: NodeJS.ProcessEnv = {},
): { status: number; stderr: string } {
  // the bundles even where Node could strip the types itself (test/native-descriptions.test.ts)
  const env = cliEnv({ MANIFOLD_BUNDLE_DESCRIPTIONS: "1", ...extra });
  if (sources) env.MANIFOLD_NO_PRECOMPILE = "1";
  else delete env.MANIFOLD_NO_PRECOMPILE;
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: "utf8", env });
  return { status: r.status ?? -1, stderr: r.stderr };
}

/** Manifold's own stderr lines, without the runtime's warnings. */
function ownLines(stderr: string): string[] {
  return stderr
    .trim()
    .split("\n")
    .filter((l) => !/^\(node:\d+\) |^\(Use `node --trace-/.test(l));
}

const CACHE = ".manifold-cache/descriptions";

/** The manifests in a project's description cache, by description file name (`platforms_ossa.ts`). */
function manifests(root: string): Map<string, { manifest: Manifest; ino: number }> {
  const dir = join(root, CACHE);
  return new Map(
    readdirSync(dir)
      .filter((f) => f.endsWith(".json"))
      .map((f) => [
        f.replace(/\.json$/, ""),
        { manifest: JSON.parse(readFileSync(join(dir, f), "utf8")) as Manifest, ino: statSync(join(dir, f)).ino },
      ]),
  );
}

/** True when a manifest's bundle exists and every input it lists still has its content, byte for byte. */
function upToDate(root: string, manifest: Manifest): boolean {
  return (
    readdirSync(join(root, CACHE)).includes(manifest.out) &&
    Object.keys(manifest.inputs).length > 0 &&
    Object.entries(manifest.inputs).every(([file, content]) =>
      readFileSync(join(root, file)).equals(Buffer.from(content, "latin1")),
    )
  );
}

beforeAll(() => {
  // builds dist/ (the precompiled CLI) when it is missing or stale
  const r = cli(REPO, ["--help"]);
  expect(r.status, r.stderr).toBe(0);
});
afterAll(cleanProjects);

describe("one esbuild build for many descriptions", () => {
  it("makes the same modules, manifests and default exports as one build per description", async () => {
    const root = makeProject();
    const files = descriptionFiles(root);
    expect(files.length).toBeGreaterThan(10);
    const names = Object.keys(await import("../compiler/language.ts"));
    const together = await bundleDescriptions(root, files, join(root, "together"), LANGUAGE, names);
    const alone = new Map<string, Manifest>();
    for (const file of files)
      for (const [f, m] of await bundleDescriptions(root, [file], join(root, "alone"), LANGUAGE, names))
        alone.set(f, m);
    expect([...together.keys()].sort()).toEqual([...files].sort());
    for (const file of files) {
      const m = together.get(file)!;
      // `out` is named by the hash of the module's code: the same name is the same code
      expect(m, file).toEqual(alone.get(file));
      expect(readFileSync(join(root, "together", m.out)), file).toEqual(readFileSync(join(root, "alone", m.out)));
      expect(Object.keys(m.inputs), file).toContain(file);
    }
    // each lists the files it imports, and a shared helper only for the descriptions that import it
    for (const file of files) {
      const source = readFileSync(join(root, file), "utf8");
      for (const [, path] of source.matchAll(/^import (?!type\b)[^;]*?from "(\.\.?\/[^"]+)"/gm))
        if (!path.includes("compiler/"))
          expect(Object.keys(together.get(file)!.inputs), file).toContain(posix.join(file, "..", path));
      if (file.startsWith("addons/"))
        expect("addons/_aws.ts" in together.get(file)!.inputs, file).toBe(source.includes('from "./_aws.ts"'));
    }
    expect(files.filter((f) => "addons/_aws.ts" in together.get(f)!.inputs).length).toBeGreaterThan(1);

    // Each module, imported as the precompiled CLI imports it (its imports point at dist/language.mjs), has the
    // default export the source description has.
    const script = `
      const [root, files, outs] = JSON.parse(process.argv[1]);
      const values = {};
      for (const [i, file] of files.entries())
        values[file] = await Promise.all(["together", "alone"].map(async (dir) =>
          (await import(new URL(dir + "/" + outs[i], root + "/").href)).default));
      process.stdout.write(JSON.stringify(values));`;
    const args = [pathToFileURL(root).href, files, files.map((f) => together.get(f)!.out)];
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script, JSON.stringify(args)], {
      encoding: "utf8",
    });
    expect(r.status, r.stderr).toBe(0);
    const values = JSON.parse(r.stdout) as Record<string, [unknown, unknown]>;
    for (const file of files) {
      const source = ((await import(pathToFileURL(join(root, file)).href)) as { default: unknown }).default;
      const expected: unknown = JSON.parse(JSON.stringify(source));
      expect(values[file][0], file).toEqual(expected);
      expect(values[file][1], file).toEqual(expected);
    }
  });
});

describe("the precompiled CLI's description cache", () => {
  it("reports a bad description among good ones exactly as under the sources, and bundles the good ones", () => {
    const root = makeProject();
    edit(root, "platforms/ossa.ts", "export default platform({", "export default platform({{");
    // a description that imports more than the language is bundled against the whole library
    edit(
      root,
      "platforms/alfred.ts",
      /^/,
      'import { checkProject } from "../compiler/index.ts";\nvoid checkProject;\n',
    );
    const args = ["plan", "alfred", "staging", "us-west-2"];
    const run = cli(root, args);
    expect(run.status).toBe(1);
    const lines = ownLines(run.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^error: platforms\/ossa\.ts: cannot be loaded: Transform failed with 1 error: platforms\/ossa\.ts:\d+:\d+: ERROR: /,
    );
    expect(lines).toEqual(ownLines(cli(root, args, true).stderr));

    const cache = manifests(root);
    const good = descriptionFiles(root).filter((f) => f !== "platforms/ossa.ts");
    expect([...cache.keys()].sort()).toEqual(good.map((f) => f.replace("/", "_")).sort());
    for (const file of good) {
      const { manifest } = cache.get(file.replace("/", "_"))!;
      expect(upToDate(root, manifest), file).toBe(true);
      expect(manifest.library, file).toBe(file === "platforms/alfred.ts" ? LIBRARY : LANGUAGE);
      expect(manifest.whole, file).toBe(file === "platforms/alfred.ts" ? true : undefined);
    }
  });

  // A compile with nothing cached has the helper thread bundle the descriptions (compiler/parallel.ts): its shared
  // build fails on a bad description and on one importing more than the language, and the main thread goes on from
  // the files esbuild's errors name, as when it ran that build itself (MANIFOLD_NO_THREADS).
  it.skipIf(availableParallelism() < 2)(
    "in a fresh compile, bundles on the helper thread as on the main thread: the same errors and manifests",
    () => {
      const project = (broken: boolean) => {
        const root = makeProject({ rendered: true });
        if (broken) edit(root, "platforms/ossa.ts", "export default platform({", "export default platform({{");
        edit(
          root,
          "platforms/alfred.ts",
          /^/,
          'import { checkProject } from "../compiler/index.ts";\nvoid checkProject;\n',
        );
        return root;
      };
      const library = (root: string) =>
        [...manifests(root)].map(([file, { manifest }]) => [file, manifest.library, manifest.whole]).sort();
      const helper = project(true);
      const single = project(true);
      const threaded = cli(helper, ["compile", "--check"], false, { MANIFOLD_NO_THREADS: "" });
      expect(threaded.status).toBe(1);
      expect(ownLines(threaded.stderr)).toEqual(
        ownLines(cli(single, ["compile", "--check"], false, { MANIFOLD_NO_THREADS: "1" }).stderr),
      );
      expect(library(helper)).toEqual(library(single));
      expect(manifests(helper).get("platforms_alfred.ts")?.manifest.library).toBe(LIBRARY);
      expect(manifests(helper).has("platforms_ossa.ts")).toBe(false);
      // without the bad one, the compile goes through: alfred bundled against the whole library, the rest together
      const good = project(false);
      const run = cli(good, ["compile", "--check"], false, { MANIFOLD_NO_THREADS: "" });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stderr).toContain("rendered/ is up to date");
      expect(manifests(good).get("platforms_alfred.ts")?.manifest.whole).toBe(true);
      expect(manifests(good).size).toBe(descriptionFiles(good).length);
    },
  );

  it("reports an error in a file several descriptions share once for each of them, as under the sources", () => {
    const root = makeProject();
    edit(root, "addons/_aws.ts", /$/, "\nexport const broken = ;\n");
    const args = ["plan", "alfred", "staging", "us-west-2"];
    const lines = ownLines(cli(root, args).stderr);
    const users = descriptionFiles(root).filter((f) =>
      readFileSync(join(root, f), "utf8").includes('from "./_aws.ts"'),
    );
    expect(users.length).toBeGreaterThan(1);
    expect(lines.map((l) => l.replace(/: cannot be loaded: .*/, ""))).toEqual(users.map((f) => `error: ${f}`));
    expect(lines).toEqual(ownLines(cli(root, args, true).stderr));
    const cache = manifests(root);
    for (const file of descriptionFiles(root)) {
      const entry = cache.get(file.replace("/", "_"));
      if (lines.some((l) => l.startsWith(`error: ${file}:`))) expect(entry, file).toBeUndefined();
      else expect(entry && upToDate(root, entry.manifest), file).toBe(true);
    }
  });

  it("rebuilds only the descriptions built from an edited file", () => {
    const root = makeProject();
    const args = ["plan", "alfred", "staging", "us-west-2"];
    const first = cli(root, args);
    expect(first.status, first.stderr).toBe(0);
    const before = manifests(root);
    expect(before.size).toBe(descriptionFiles(root).length);

    const rewritten = (after: Map<string, { ino: number }>, since: Map<string, { ino: number }>) =>
      [...after].filter(([name, { ino }]) => since.get(name)?.ino !== ino).map(([name]) => name);

    edit(root, "platforms/alfred.ts", /$/, "\n// edited\n");
    expect(cli(root, args).status).toBe(0);
    const afterOne = manifests(root);
    expect(rewritten(afterOne, before)).toEqual(["platforms_alfred.ts"]);

    edit(root, "regions/_contract.ts", /$/, "\n// edited\n");
    expect(cli(root, args).status).toBe(0);
    const afterShared = manifests(root);
    const users = [...before].filter(([, { manifest }]) => "regions/_contract.ts" in manifest.inputs);
    expect(users.length).toBeGreaterThan(3);
    expect(rewritten(afterShared, afterOne).sort()).toEqual(users.map(([name]) => name).sort());
    for (const [name, { manifest }] of afterShared) expect(upToDate(root, manifest), name).toBe(true);
  });
});
