/**
 * Importing descriptions fast. Under the sources (tsx) a description is
 * imported as it is. Under the precompiled CLI (dist/manifold.mjs) on Node 24.3
 * and later, Node strips their types itself (compiler/native-descriptions.ts)
 * and only those it cannot run are bundled. Otherwise there is
 * no TypeScript loader: each description is bundled with esbuild into plain
 * JavaScript, once, and cached in `.manifold-cache/descriptions/`, keyed by
 * the content of every file it was built from. The stale ones are bundled
 * together, in one build (compiler/description-bundle.ts), each into its own
 * module. Its imports of
 * `compiler/index.ts` point at the running bundle's language entry point
 * (dist/language.mjs, compiler/language.ts: the description helpers only),
 * or, when a description imports more than the language, at the whole
 * library (dist/manifold.mjs); both share their chunks with the CLI, so
 * descriptions and the compiler share one module instance. Anything unexpected (a build error, an
 * import that throws) falls back to the tsx loader, which gives the exact
 * error a user would see under the sources.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve as resolvePath } from "node:path";
import { pathToFileURL } from "node:url";
import {
  MANIFEST_FORMAT,
  bundleDescriptions,
  bytesOf,
  cacheName,
  esbuild,
  folderListing,
  type Manifest,
} from "./description-bundle.ts";
import { nativeTypeScript, strippable, withDescriptionHooks } from "./native-descriptions.ts";

declare const __MANIFOLD_PRECOMPILED__: boolean | undefined;
declare const __MANIFOLD_SOURCE_KEY__: string | undefined;

/** True when this code runs from the precompiled bundle. */
export const PRECOMPILED: boolean =
  typeof __MANIFOLD_PRECOMPILED__ !== "undefined" && __MANIFOLD_PRECOMPILED__ === true;

/** The compiler's source key baked into the bundle, or undefined under the sources. */
export const BUNDLED_SOURCE_KEY: string | undefined =
  typeof __MANIFOLD_SOURCE_KEY__ !== "undefined" ? __MANIFOLD_SOURCE_KEY__ : undefined;

function readManifest(path: string): Manifest | undefined {
  try {
    const m = JSON.parse(readFileSync(path, "utf8")) as Manifest;
    return m?.format === MANIFEST_FORMAT &&
      typeof m.out === "string" &&
      typeof m.library === "string" &&
      typeof m.root === "string" &&
      typeof m.inputs === "object" &&
      m.inputs &&
      typeof m.folders === "object" &&
      m.folders &&
      Array.isArray(m.absent)
      ? m
      : undefined;
  } catch {
    return undefined;
  }
}

/** The bundle's entry points, next to the chunk holding this module: the language alone, and the whole library. */
const LANGUAGE = new URL("./language.mjs", import.meta.url).href;
const LIBRARY = new URL("./manifold.mjs", import.meta.url).href;

/** What a check of several manifests has read so far: inputs' contents and folders' listings, by relative path. */
interface Seen {
  texts: Map<string, string>;
  listings: Map<string, string>;
}

/**
 * True when the bundle `m` describes was built in this root and exists, every input still has its content, every
 * folder it lists still lists the same (no new file to resolve an import to, no link pointed elsewhere) and every
 * configuration file then absent still is.
 */
function upToDate(root: string, dir: string, m: Manifest, seen: Seen = newSeen()): boolean {
  if (m.root !== root || m.library !== (m.whole ? LIBRARY : LANGUAGE) || !existsSync(join(dir, m.out))) return false;
  for (const [folder, listing] of Object.entries(m.folders)) {
    let now = seen.listings.get(folder);
    if (now === undefined) seen.listings.set(folder, (now = folderListing(join(root, folder))));
    if (now !== listing) return false;
  }
  if (m.absent.some((file) => existsSync(join(root, file)))) return false;
  const { texts } = seen;
  for (const [file, content] of Object.entries(m.inputs)) {
    try {
      let now = texts.get(file);
      if (now === undefined) texts.set(file, (now = bytesOf(join(root, file))));
      if (now !== content) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/** Nothing read yet. */
function newSeen(): Seen {
  return { texts: new Map(), listings: new Map() };
}

let tsx: Promise<(specifier: string, parent: string) => Promise<unknown>> | undefined;

/**
 * Imports a TypeScript module through the tsx loader (the fallback), in a namespace of its own: every module it
 * loads is a new one, whatever Node keeps under the file's URL (a native import that failed to link is kept, and
 * would give its error again).
 */
async function importWithTsx(url: string): Promise<unknown> {
  tsx ??= import("tsx/esm/api").then(({ register }) => register({ namespace: "manifold-fallback" }).import);
  return (await tsx)(url, url);
}

/** The names the language entry point exports. */
async function languageNames(): Promise<string[]> {
  return Object.keys((await import(LANGUAGE)) as object);
}

/**
 * Bundles one description on its own: against the language entry point, or, when the description imports a name
 * the language does not export (esbuild then fails), against the whole library.
 */
async function bundleOne(root: string, file: string, dir: string): Promise<Manifest> {
  const names = await languageNames();
  const built = await bundleDescriptions(root, [file], dir, LANGUAGE, names).catch(() =>
    bundleDescriptions(root, [file], dir, LIBRARY),
  );
  return built.get(file)!;
}

/** A relative path with forward slashes, as esbuild writes them in its messages. */
function slashed(file: string): string {
  return file.replaceAll("\\", "/");
}

/** Where each of the errors of a failed esbuild build is (what filesInError reads of them). */
export type BuildErrors = { location: { file: string } | null }[];

/** The locations of the errors of `e` when it is a failed esbuild build's (it has `errors`), else undefined. */
export function buildErrors(e: unknown): BuildErrors | undefined {
  const errors = (e as { errors?: { location?: { file?: string } | null }[] } | undefined)?.errors;
  if (!Array.isArray(errors)) return undefined;
  return errors.map((m) => ({ location: typeof m?.location?.file === "string" ? { file: m.location.file } : null }));
}

/** The files (relative to the project root) that esbuild's build error `e` names. */
function filesInError(e: unknown): Set<string> {
  return new Set((buildErrors(e) ?? []).map((m) => slashed(m.location?.file ?? "")));
}

/**
 * Descriptions already checked or bundled by this process (prepareDescriptions), by root and file: their manifest,
 * or null when bundling failed (the import then goes straight to the tsx fallback).
 */
const prepared = new Map<string, Manifest | null>();

/** The manifest of one description's bundle, when it is there and up to date. */
function current(root: string, file: string, seen?: Seen): Manifest | undefined {
  const dir = join(root, ".manifold-cache", "descriptions");
  const manifest = readManifest(join(dir, `${cacheName(file)}.json`));
  return manifest && upToDate(root, dir, manifest, seen) ? manifest : undefined;
}

/**
 * Bundles descriptions elsewhere (the helper thread, parallel.ts), as bundleTogether does here: the manifest of each
 * of `files`, or a rejection, after which they are bundled here. Given no files, it only learns that none is stale.
 */
export type DescriptionBundler = (root: string, files: string[], dir: string) => Promise<Map<string, Manifest>>;

/**
 * The stale descriptions `files` (relative to the absolute `root`) bundled together against the language entry point
 * into `dir`, in one esbuild build: what prepareDescriptions runs, here or, through a DescriptionBundler, on the helper
 * thread. Rejects with esbuild's error when the build fails.
 */
export async function bundleTogether(root: string, files: string[], dir: string): Promise<Map<string, Manifest>> {
  void esbuild().catch(() => undefined); // its service starts while the language entry point is imported
  return bundleDescriptions(root, files, dir, LANGUAGE, await languageNames());
}

/**
 * Under the precompiled CLI, brings the bundles of all these descriptions up to date at once: the stale ones are
 * bundled in one esbuild build (each input they share is read and parsed once), not one after the other as they
 * are imported. Those that build cannot bundle are bundled one by one, as importDescription would; any failure
 * is left for importDescription to report. With `fresh`, every one is bundled again, whatever the cache holds. With
 * a `bundler`, the one build is its (on the helper thread, while this one loads its own code); when it fails, here.
 */
export async function prepareDescriptions(
  given: string,
  files: string[],
  fresh = false,
  bundler?: DescriptionBundler,
): Promise<void> {
  if (!PRECOMPILED) return;
  // esbuild needs an absolute working folder (a relative one fails every build, so every import fell back to tsx)
  const root = resolvePath(given);
  const dir = join(root, ".manifold-cache", "descriptions");
  const seen = newSeen();
  const stale: string[] = [];
  // the descriptions' own configs first, so that the usual reason to keep the bundles (a tsconfig.json with paths at
  // the root) costs no native attempt; those of the helpers they load are known only after it
  const native = nativeTypeScript() && !importedNatively.tried && strippable(files.map((file) => join(root, file)));
  for (const file of native ? await importEachNatively(root, files) : files) {
    const manifest = fresh ? undefined : current(root, file, seen);
    if (manifest) prepared.set(`${root}\0${file}`, manifest);
    else stale.push(file);
  }
  const record = (file: string, manifest: Manifest | null) => void prepared.set(`${root}\0${file}`, manifest);
  // The helper's shared build: its manifests, or why it failed (esbuild's errors, when the build itself failed).
  let failedElsewhere: unknown;
  const elsewhere = await bundler?.(root, stale, dir).catch((e: unknown) => void (failedElsewhere = e));
  if (!stale.length) return;
  if (elsewhere && stale.every((file) => elsewhere.has(file))) {
    for (const file of stale) record(file, elsewhere.get(file)!);
    return;
  }
  void esbuild().catch(() => undefined); // its service starts while the language entry point is imported
  const names = await languageNames().catch(() => undefined);
  const oneByOne = (some: string[]) =>
    Promise.all(
      some.map((file) =>
        bundleOne(root, file, dir).then(
          (m) => record(file, m),
          () => record(file, null),
        ),
      ),
    );
  // One shared build of some of them: esbuild's error when it failed, else undefined.
  const shared = (some: string[]): Promise<unknown> =>
    bundleDescriptions(root, some, dir, LANGUAGE, names).then(
      (built) => {
        for (const [file, manifest] of built) record(file, manifest);
        return undefined;
      },
      (e: unknown) => e ?? new Error("esbuild failed"),
    );
  if (!names) return;
  // A shared build the helper ran and esbuild failed is not run again: it goes on from the files its errors name.
  const failure = buildErrors(failedElsewhere) ? failedElsewhere : await shared(stale);
  if (failure === undefined) return;
  // The shared build failed: the descriptions its errors name are bundled one by one, the others together again.
  const named = filesInError(failure);
  const failed = stale.filter((file) => named.has(slashed(file)));
  const others = stale.filter((file) => !named.has(slashed(file)));
  if (!failed.length || !others.length) return void (await oneByOne(stale));
  await Promise.all([oneByOne(failed), shared(others).then((e) => (e === undefined ? undefined : oneByOne(others)))]);
}

/**
 * The descriptions this process imported with Node's type stripping (prepareDescriptions), by root and file: their
 * modules, which importDescription hands out once. Node keeps a module for the life of the process, so only the
 * first load in a process is native (`tried`): a later one (the same root, its files since edited, or another root
 * sharing some) takes the bundles, which are keyed by content.
 */
const importedNatively = { tried: false, modules: new Map<string, unknown>() };

/**
 * Imports each of `files` (relative to the absolute `root`) with Node's type stripping, one after the other in their
 * order, as importDescription would, and keeps the modules for it; returns those to bundle instead: those that failed,
 * or all of them when a file they loaded would run differently bundled (strippable).
 */
async function importEachNatively(root: string, files: string[]): Promise<string[]> {
  importedNatively.tried = true;
  const modules = new Map<string, unknown>();
  const { result: failed, files: loaded } = await withDescriptionHooks(LANGUAGE, async () => {
    const failed: string[] = [];
    for (const file of files)
      try {
        modules.set(`${root}\0${file}`, await import(pathToFileURL(join(root, file)).href));
      } catch {
        failed.push(file);
      }
    return failed;
  });
  // the descriptions' folders were checked before the import; this checks those of every file loaded, their helpers'
  if (!strippable(loaded)) return files;
  for (const [key, imported] of modules) importedNatively.modules.set(key, imported);
  return failed;
}

/** Imports one description module (`file` relative to `root`), the fast way under the precompiled CLI. */
export async function importDescription(given: string, file: string): Promise<unknown> {
  const root = resolvePath(given);
  const url = pathToFileURL(join(root, file)).href;
  if (!PRECOMPILED) return import(url);
  const dir = join(root, ".manifold-cache", "descriptions");
  const key = `${root}\0${file}`;
  const imported = importedNatively.modules.get(key); // a module namespace, never undefined
  if (imported !== undefined) {
    importedNatively.modules.delete(key);
    return imported;
  }
  const known = prepared.get(key);
  prepared.delete(key);
  try {
    if (known === null) throw new Error("not bundled");
    const manifest = known ?? current(root, file) ?? (await bundleOne(root, file, dir));
    return await import(pathToFileURL(join(dir, manifest.out)).href);
  } catch {
    return importWithTsx(url);
  }
}
