/**
 * Bundling descriptions with esbuild (used by compiler/precompiled.ts under the precompiled CLI). Several
 * descriptions are bundled in one build, so an input they share (a region, an environment, a helper file) is read
 * and parsed once; each still becomes its own self-contained module (no code splitting: a description's
 * bundle never depends on a file another description's rebuild replaces), with its own manifest of the inputs it
 * was built from.
 */
import { createHash } from "./hash.ts";
import { existsSync, mkdirSync, readFileSync, realpathSync } from "node:fs";
import { basename, dirname, join, resolve as resolvePath } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Metafile, Plugin } from "esbuild";
import { ignoredWorkDir, writeAside } from "./scratch.ts";

/** The manifests' format: 2 keeps each input's content, not its hash. */
export const MANIFEST_FORMAT = 2;

/** What a description's bundle was built from and against: `.manifold-cache/descriptions/<file>.json`. */
export interface Manifest {
  format: number;
  /** The entry point of the running bundle the imports point at (the language alone, or the whole library). */
  library: string;
  /** True when it imports more than the language, so it was bundled against the whole library. */
  whole?: boolean;
  out: string;
  /**
   * Every input file (relative to the project root) with its content, byte for byte (latin1 text): checking that a
   * bundle is up to date compares each input with it, which needs no hash (nor node:crypto) at all.
   */
  inputs: Record<string, string>;
}

/** Reads a file as latin1 text, one character per byte: equal texts are equal bytes. */
export function bytesOf(path: string): string {
  return readFileSync(path, "latin1");
}

/** The short content hash used for bundle names. */
export function sha(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex").slice(0, 32);
}

/** A file name for `file` (relative to the project root) inside the descriptions folder. */
export function cacheName(file: string): string {
  return file.replace(/[^A-Za-z0-9_.-]/g, "_");
}

let started: Promise<typeof import("esbuild")> | undefined;

/**
 * esbuild, with its service process started (initialize) as soon as it is imported, so that the process starts while
 * the caller does other work (importing the language entry point) instead of at the first build.
 */
export function esbuild(): Promise<typeof import("esbuild")> {
  return (started ??= import("esbuild").then((m) => {
    try {
      void m.initialize({});
    } catch {
      // already running: a build in this process started it
    }
    return m;
  }));
}

/**
 * The esbuild plugin for descriptions: the compiler's entry point resolves to `api`, `import.meta` keeps pointing at
 * the original file, and each file read is kept in `texts` (by absolute path, as bytesOf gives it) as it is loaded.
 */
function descriptionPlugin(library: string, names: string[] | undefined, texts: Map<string, string>): Plugin {
  const ownIndex = realpathSync(fileURLToPath(new URL("../compiler/index.ts", library)));
  const api = names ? { path: "index", namespace: "manifold-language" } : { path: library, external: true as const };
  return {
    name: "manifold-descriptions",
    setup(b) {
      // The compiler's public entry point is the running bundle itself: as a path, or as the package
      // `manifold` (a project made by `manifold init` depends on this repository under that name).
      b.onResolve({ filter: /^manifold$/ }, () => api);
      b.onResolve({ filter: /compiler[\\/]index(\.ts)?$/ }, (args) => {
        const path = resolvePath(args.resolveDir, args.path.endsWith(".ts") ? args.path : `${args.path}.ts`);
        return existsSync(path) && realpathSync(path) === ownIndex ? api : undefined;
      });
      b.onResolve({ filter: /.*/, namespace: "manifold-language" }, () => ({ path: library, external: true }));
      b.onLoad({ filter: /.*/, namespace: "manifold-language" }, () => ({
        contents: `export { ${(names ?? []).join(", ")} } from ${JSON.stringify(library)};`,
        loader: "js",
      }));
      // import.meta keeps pointing at the original file, so descriptions may read files next to them.
      b.onLoad({ filter: /\.(m?ts|m?js)$/ }, (args) => {
        const data = readFileSync(args.path);
        texts.set(args.path, data.toString("latin1"));
        const contents = data
          .toString("utf8")
          .replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href))
          .replaceAll("import.meta.dirname", JSON.stringify(dirname(args.path)))
          .replaceAll("import.meta.filename", JSON.stringify(args.path));
        return { contents, loader: /\.m?ts$/.test(args.path) ? "ts" : "js" };
      });
    },
  };
}

/** The inputs one entry point was built from: every file reachable from it through the imports esbuild followed. */
function reachableInputs(metafile: Metafile, entry: string): string[] {
  const seen = new Set<string>([entry]);
  for (const input of seen)
    for (const imported of metafile.inputs[input]?.imports ?? [])
      if (!imported.external && imported.path in metafile.inputs) seen.add(imported.path);
  return [...seen].filter((input) => !input.startsWith("manifold-language:"));
}

/**
 * Bundles these descriptions (relative to `root`) in one esbuild build into `dir`, each into its own module with its
 * own manifest, their imports of compiler/index.ts pointing at `library`. With `names`, they point at a module
 * exporting only those names from it, so that importing any other name fails the build. Rejects with esbuild's
 * error when the build fails; then nothing is written.
 */
export async function bundleDescriptions(
  root: string,
  files: string[],
  dir: string,
  library: string,
  names?: string[],
): Promise<Map<string, Manifest>> {
  const { build } = await esbuild();
  const texts = new Map<string, string>();
  const result = await build({
    // each output is named by its index in `files`
    entryPoints: files.map((file, i) => ({ in: join(root, file), out: String(i) })),
    outdir: dir,
    absWorkingDir: root,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    write: false,
    metafile: true,
    logLevel: "silent",
    plugins: [descriptionPlugin(library, names, texts)],
  });
  const entryOf = new Map(
    Object.entries(result.metafile.outputs).map(([path, output]) => [basename(path), output.entryPoint]),
  );
  const made = result.outputFiles.map((output) => {
    const file = files[Number.parseInt(basename(output.path), 10)];
    const entry = entryOf.get(basename(output.path));
    if (file === undefined || entry === undefined) throw new Error(`esbuild made an unexpected output ${output.path}`);
    const inputs: Record<string, string> = {};
    for (const input of reachableInputs(result.metafile, entry)) {
      const path = join(root, input);
      inputs[input] = texts.get(path) ?? bytesOf(path);
    }
    const manifest: Manifest = { format: MANIFEST_FORMAT, library, ...(names ? {} : { whole: true }), out: "", inputs };
    return { file, code: output.contents, manifest };
  });
  ignoredWorkDir(dirname(dir));
  mkdirSync(dir, { recursive: true });
  const manifests = new Map<string, Manifest>();
  for (const { file, code, manifest } of made) {
    manifest.out = `${cacheName(file)}.${sha(code)}.mjs`;
    writeAside(join(dir, manifest.out), code);
    writeAside(join(dir, `${cacheName(file)}.json`), JSON.stringify(manifest));
    manifests.set(file, manifest);
  }
  return manifests;
}
