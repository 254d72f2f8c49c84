/**
 * Bundling descriptions with esbuild (used by compiler/precompiled.ts under the precompiled CLI). Several
 * descriptions are bundled in one build, so an input they share (a region, an environment, a helper file) is read
 * and parsed once; each still becomes its own self-contained module (no code splitting: a description's
 * bundle never depends on a file another description's rebuild replaces), with its own manifest of the inputs it
 * was built from.
 */
import { createHash } from "./hash.ts";
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, realpathSync } from "node:fs";
import { basename, dirname, isAbsolute, join, posix, resolve as resolvePath } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Metafile, Plugin } from "esbuild";
import { ignoredWorkDir, writeAside } from "./scratch.ts";

/**
 * The manifests' format: 2 keeps each input's content, not its hash; 3 adds the project root, the folders' listings
 * and the configuration files that are absent.
 */
export const MANIFEST_FORMAT = 3;

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
  /**
   * The absolute project root the bundle was built in: it holds the absolute paths `import.meta` gave (a cache
   * copied or restored under another folder would read the old folder's files).
   */
  root: string;
  /**
   * What could change how an import resolves, without any input changing: the listing (folderListing) of each folder
   * holding an input and of its parent (a new `x.ts` beside an imported `x/index.ts` or `x.js`, a symbolic link
   * pointed elsewhere: esbuild records the file a link leads to, not the link), relative to the root.
   */
  folders: Record<string, string>;
  /**
   * The configuration files esbuild reads while resolving (CONFIG_FILES) that were absent from every folder above
   * an input; those present are among `inputs`.
   */
  absent: string[];
}

/** The files esbuild reads from an input's folder and every folder above it: resolution settings (paths, imports). */
const CONFIG_FILES = ["tsconfig.json", "jsconfig.json", "package.json"];

/** The names an import can resolve to: code and JSON files. */
const RESOLVABLE = /\.(?:[cm]?[jt]sx?|json)$/;

/**
 * A folder's names that can change how an import resolves, one per line and sorted: the code and JSON files, and
 * every symbolic link with its target. Folders are left out (a folder's own files are listed where they matter), so
 * `rendered/` or the scratch folder appearing beside a description changes nothing. An unreadable folder lists as
 * empty.
 */
export function folderListing(dir: string): string {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return "";
  }
  const names: string[] = [];
  for (const e of entries)
    if (e.isSymbolicLink()) names.push(`${e.name} -> ${linkTarget(join(dir, e.name))}`);
    else if (!e.isDirectory() && RESOLVABLE.test(e.name)) names.push(e.name);
  return names.sort().join("\n");
}

/** A symbolic link's target, or "?" when it cannot be read (gone meanwhile): a listing that differs, so no match. */
function linkTarget(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return "?";
  }
}

/** The folders (relative to the root, `/`-separated) whose listing a bundle built from `inputs` depends on. */
function listedFolders(inputs: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const input of inputs) {
    const folder = posix.dirname(input);
    out.add(folder);
    out.add(posix.dirname(folder));
  }
  return out;
}

/** Every folder from each of `folders` up to the file system's root, relative to `root`. */
function foldersAbove(root: string, folders: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const folder of folders) {
    let at = resolvePath(root, folder);
    for (;;) {
      const rel = relativeTo(root, at);
      if (out.has(rel)) break;
      out.add(rel);
      const up = dirname(at);
      if (up === at) break;
      at = up;
    }
  }
  return out;
}

/** `path` relative to `root`, with `/` separators ("." for the root itself). */
function relativeTo(root: string, path: string): string {
  return posix.relative(root.replaceAll("\\", "/"), path.replaceAll("\\", "/")) || ".";
}

/**
 * What of the file system around the inputs a bundle depends on, beyond the inputs: the folders' listings and the
 * configuration files above them (their content, or their absence). Taken before a build for the folders known then
 * (the descriptions' own), so that a file appearing during the build shows as a change at the next check.
 */
interface Surroundings {
  listings: Map<string, string>;
  configs: Map<string, string | null>;
}

/** Adds to `into` the listings of `folders` it does not have yet. */
function list(root: string, folders: Iterable<string>, into: Surroundings): void {
  for (const folder of folders)
    if (!into.listings.has(folder)) into.listings.set(folder, folderListing(join(root, folder)));
}

/** Adds to `into` the listings of `folders` and the configuration files above them (taken before a build). */
function survey(root: string, folders: Iterable<string>, into: Surroundings): void {
  list(root, folders, into);
  for (const folder of foldersAbove(root, into.listings.keys()))
    for (const name of CONFIG_FILES) {
      const file = folder === "." ? name : `${folder}/${name}`;
      if (into.configs.has(file)) continue;
      into.configs.set(file, contentOrNull(join(root, file)));
    }
}

/** A file's bytes (bytesOf), or null when it cannot be read (absent). */
function contentOrNull(path: string): string | null {
  try {
    return bytesOf(path);
  } catch {
    return null;
  }
}

/** JSON with comments and trailing commas (tsconfig.json's dialect) as plain JSON. */
export function plainJson(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
      out += text.slice(start, i + 1);
    } else if (c === "/" && text[i + 1] === "/") while (i < text.length && text[i] !== "\n") i++;
    else if (c === "/" && text[i + 1] === "*") {
      i = text.indexOf("*/", i + 2);
      if (i < 0) break;
      i++;
    } else out += c;
  }
  return out.replace(/,(\s*[}\]])/g, "$1");
}

/**
 * What a tsconfig.json or jsconfig.json (`file`, relative to the root, with `content` as bytesOf gives it) makes
 * esbuild read or search beyond itself: the files it extends by path (with and without `.json`: either may be the
 * one), and the folders its `baseUrl` and `paths` point imports at (each pattern's folder before its `*`), where a
 * new file can take an import over. A file it cannot parse adds nothing (its content is keyed anyway).
 */
function tsconfigReach(root: string, file: string, content: string): { extended: string[]; folders: string[] } {
  let config: { extends?: unknown; compilerOptions?: { baseUrl?: unknown; paths?: unknown } };
  try {
    config = JSON.parse(plainJson(Buffer.from(content, "latin1").toString("utf8"))) as typeof config;
  } catch {
    return { extended: [], folders: [] };
  }
  const dir = dirname(join(root, file));
  const at = (path: string, from = dir) => relativeTo(root, resolvePath(from, path));
  const extended = [config?.extends]
    .flat()
    .filter((e): e is string => typeof e === "string" && (e.startsWith(".") || isAbsolute(e)))
    .flatMap((e) => (e.endsWith(".json") ? [at(e)] : [at(e), at(`${e}.json`)]));
  const options = config?.compilerOptions ?? {};
  const base = typeof options.baseUrl === "string" ? resolvePath(dir, options.baseUrl) : undefined;
  const folders = base ? [relativeTo(root, base)] : [];
  const paths = options.paths && typeof options.paths === "object" ? Object.values(options.paths) : [];
  for (const target of paths.flat())
    if (typeof target === "string") {
      const prefix = target.split("*")[0];
      folders.push(at(prefix.endsWith("/") || prefix === "" ? prefix || "." : dirname(prefix), base ?? dir));
    }
  return { extended, folders };
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
      // Every file is read here, once, so the manifest keeps the very bytes the build used. import.meta keeps
      // pointing at the original file, so descriptions may read files next to them.
      b.onLoad({ filter: RESOLVABLE }, (args) => {
        const data = readFileSync(args.path);
        texts.set(args.path, data.toString("latin1"));
        if (args.path.endsWith(".json")) return { contents: data, loader: "json" };
        const contents = data
          .toString("utf8")
          .replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href))
          .replaceAll("import.meta.dirname", JSON.stringify(dirname(args.path)))
          .replaceAll("import.meta.filename", JSON.stringify(args.path));
        return { contents, loader: loaderOf(args.path) };
      });
    },
  };
}

/** esbuild's loader for a code file, by its extension (as esbuild itself picks it). */
function loaderOf(path: string): "ts" | "tsx" | "js" | "jsx" {
  if (path.endsWith("x")) return path.endsWith("tsx") ? "tsx" : "jsx";
  return /\.[cm]?ts$/.test(path) ? "ts" : "js";
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
  const around: Surroundings = { listings: new Map(), configs: new Map() };
  survey(root, listedFolders(files), around);
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
    const reached = reachableInputs(result.metafile, entry);
    for (const input of reached) {
      const path = join(root, input);
      inputs[input] = texts.get(path) ?? bytesOf(path);
    }
    const near = listedFolders(reached);
    // the configuration files above the inputs, and those they extend; their `paths` and `baseUrl` folders listed too
    const listed = new Set(near);
    const configs = new Map<string, string | null>();
    const addConfig = (file: string): void => {
      if (configs.has(file)) return;
      let content = around.configs.get(file);
      if (content === undefined) around.configs.set(file, (content = contentOrNull(join(root, file))));
      configs.set(file, content);
      if (content === null || !/(?:^|\/)[jt]sconfig[^/]*\.json$/.test(file)) return;
      const reach = tsconfigReach(root, file, content);
      reach.extended.forEach(addConfig);
      for (const folder of reach.folders) listed.add(folder);
    };
    for (const folder of [...foldersAbove(root, near)].sort())
      for (const name of CONFIG_FILES) addConfig(folder === "." ? name : `${folder}/${name}`);
    list(root, listed, around);
    const folders = Object.fromEntries([...listed].sort().map((folder) => [folder, around.listings.get(folder)!]));
    const absent: string[] = [];
    for (const [config, content] of [...configs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      if (content === null) absent.push(config);
      else inputs[config] ??= content;
    const manifest: Manifest = {
      format: MANIFEST_FORMAT,
      library,
      ...(names ? {} : { whole: true }),
      out: "",
      inputs,
      root,
      folders,
      absent,
    };
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
