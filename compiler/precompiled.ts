/**
 * Importing descriptions fast. Under the sources (tsx) a description is
 * imported as it is. Under the precompiled CLI (dist/manifold.mjs) there is
 * no TypeScript loader: each description is bundled with esbuild into plain
 * JavaScript, once, and cached in `.manifold-cache/descriptions/`, keyed by
 * the content of every file it was built from. Its imports of
 * `compiler/index.ts` point at the running bundle's language entry point
 * (dist/language.mjs, compiler/language.ts: the description helpers only),
 * or, when a description imports more than the language, at the whole
 * library (dist/manifold.mjs); both share their chunks with the CLI, so
 * descriptions and the compiler share one module instance. Anything unexpected (a build error, an
 * import that throws) falls back to the tsx loader, which gives the exact
 * error a user would see under the sources.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, resolve as resolvePath } from "node:path";
import { ignoredWorkDir } from "./scratch.ts";
import { fileURLToPath, pathToFileURL } from "node:url";

declare const __MANIFOLD_PRECOMPILED__: boolean | undefined;
declare const __MANIFOLD_SOURCE_KEY__: string | undefined;

/** True when this code runs from the precompiled bundle. */
export const PRECOMPILED: boolean =
  typeof __MANIFOLD_PRECOMPILED__ !== "undefined" && __MANIFOLD_PRECOMPILED__ === true;

/** The compiler's source key baked into the bundle, or undefined under the sources. */
export const BUNDLED_SOURCE_KEY: string | undefined =
  typeof __MANIFOLD_SOURCE_KEY__ !== "undefined" ? __MANIFOLD_SOURCE_KEY__ : undefined;

interface Manifest {
  /** The entry point of the running bundle the imports point at (LANGUAGE or LIBRARY). */
  library: string;
  /** True when it imports more than the language, so it was bundled against the whole library. */
  whole?: boolean;
  out: string;
  /** Every input file (relative to the project root) with the hash of its content. */
  inputs: Record<string, string>;
}

function sha(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex").slice(0, 32);
}

function readManifest(path: string): Manifest | undefined {
  try {
    const m = JSON.parse(readFileSync(path, "utf8")) as Manifest;
    return typeof m.out === "string" && typeof m.library === "string" && typeof m.inputs === "object" && m.inputs
      ? m
      : undefined;
  } catch {
    return undefined;
  }
}

/** The bundle's entry points, next to the chunk holding this module: the language alone, and the whole library. */
const LANGUAGE = new URL("./language.mjs", import.meta.url).href;
const LIBRARY = new URL("./manifold.mjs", import.meta.url).href;

function upToDate(root: string, dir: string, m: Manifest): boolean {
  if (m.library !== (m.whole ? LIBRARY : LANGUAGE) || !existsSync(join(dir, m.out))) return false;
  for (const [file, hash] of Object.entries(m.inputs)) {
    try {
      if (sha(readFileSync(join(root, file))) !== hash) return false;
    } catch {
      return false;
    }
  }
  return true;
}

let tsxRegistered = false;

/** Imports a TypeScript module through the tsx loader (the fallback). */
async function importWithTsx(url: string): Promise<unknown> {
  if (!tsxRegistered) {
    const { register } = await import("tsx/esm/api");
    register();
    tsxRegistered = true;
  }
  return import(url);
}

/**
 * Bundles one description to `dir` and records its inputs: against the language entry point, or, when the
 * description imports a name the language does not export (esbuild then fails), against the whole library.
 */
async function bundle(root: string, file: string, dir: string, manifestPath: string): Promise<Manifest> {
  const names = Object.keys((await import(LANGUAGE)) as object);
  return bundleAgainst(root, file, dir, manifestPath, LANGUAGE, names).catch(() =>
    bundleAgainst(root, file, dir, manifestPath, LIBRARY),
  );
}

/**
 * Bundles one description with its imports of compiler/index.ts pointing at `library`. With `names`, they point at
 * a module exporting only those names from it, so that importing any other name fails the build.
 */
async function bundleAgainst(
  root: string,
  file: string,
  dir: string,
  manifestPath: string,
  library: string,
  names?: string[],
): Promise<Manifest> {
  const { build } = await import("esbuild");
  const ownIndex = realpathSync(fileURLToPath(new URL("../compiler/index.ts", library)));
  const api = names ? { path: "index", namespace: "manifold-language" } : { path: library, external: true as const };
  const result = await build({
    entryPoints: [join(root, file)],
    absWorkingDir: root,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    write: false,
    metafile: true,
    logLevel: "silent",
    plugins: [
      {
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
            const url = pathToFileURL(args.path).href;
            const contents = readFileSync(args.path, "utf8")
              .replaceAll("import.meta.url", JSON.stringify(url))
              .replaceAll("import.meta.dirname", JSON.stringify(dirname(args.path)))
              .replaceAll("import.meta.filename", JSON.stringify(args.path));
            return { contents, loader: /\.m?ts$/.test(args.path) ? "ts" : "js" };
          });
        },
      },
    ],
  });
  const code = result.outputFiles[0].contents;
  const out = `${file.replace(/[^A-Za-z0-9_.-]/g, "_")}.${sha(Buffer.from(code))}.mjs`;
  const inputs: Record<string, string> = {};
  for (const input of Object.keys(result.metafile.inputs))
    if (!input.startsWith("manifold-language:")) inputs[input] = sha(readFileSync(join(root, input)));
  ignoredWorkDir(dirname(dir));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${out}.${process.pid}.tmp`), code);
  renameSync(join(dir, `${out}.${process.pid}.tmp`), join(dir, out));
  const manifest: Manifest = { library, ...(names ? {} : { whole: true }), out, inputs };
  writeFileSync(`${manifestPath}.${process.pid}.tmp`, JSON.stringify(manifest));
  renameSync(`${manifestPath}.${process.pid}.tmp`, manifestPath);
  return manifest;
}

/** Descriptions already checked or bundled by this process (prepareDescriptions), by root and file. */
const prepared = new Map<string, Manifest>();

/** The up-to-date bundle of one description: its manifest, bundling it first when it is missing or stale. */
async function ensureBundled(root: string, file: string): Promise<Manifest> {
  const dir = join(root, ".manifold-cache", "descriptions");
  const manifestPath = join(dir, `${file.replace(/[^A-Za-z0-9_.-]/g, "_")}.json`);
  const manifest = readManifest(manifestPath);
  return manifest && upToDate(root, dir, manifest) ? manifest : bundle(root, file, dir, manifestPath);
}

/**
 * Under the precompiled CLI, brings the bundles of all these descriptions up to date at once: the stale ones are
 * bundled side by side (esbuild builds them in parallel), not one after the other as they are imported. Any
 * failure is left for importDescription to meet and report.
 */
export async function prepareDescriptions(root: string, files: string[]): Promise<void> {
  if (!PRECOMPILED) return;
  await Promise.all(
    files.map((file) =>
      ensureBundled(root, file).then(
        (m) => void prepared.set(`${root}\0${file}`, m),
        () => undefined,
      ),
    ),
  );
}

/** Imports one description module (`file` relative to `root`), the fast way under the precompiled CLI. */
export async function importDescription(root: string, file: string): Promise<unknown> {
  const url = pathToFileURL(join(root, file)).href;
  if (!PRECOMPILED) return import(url);
  const dir = join(root, ".manifold-cache", "descriptions");
  try {
    const manifest = prepared.get(`${root}\0${file}`) ?? (await ensureBundled(root, file));
    prepared.delete(`${root}\0${file}`);
    return await import(pathToFileURL(join(dir, manifest.out)).href);
  } catch {
    return importWithTsx(url);
  }
}
