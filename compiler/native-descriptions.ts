/**
 * Importing descriptions with Node's own TypeScript support (type stripping, Node 24.3 and later) under the
 * precompiled CLI: no esbuild build, no bundle to write, and Node's compile cache keeps each file's stripped code by
 * its content. While the descriptions are imported, hooks point their imports of the compiler (`compiler/index.ts`
 * of the running package, or the package `manifold`) at the running bundle's language entry point, so descriptions
 * and the compiler share one module instance, as with the bundles, and load every TypeScript file of the project as
 * an ES module, as esbuild bundles it (whatever its package.json's `type`, and without Node's warning for a
 * package.json that names none). What type stripping cannot run (an enum, an import without its extension, a type
 * imported without `import type`, a name only the whole library exports, tsconfig paths) fails the import, and the
 * caller bundles that description instead (compiler/precompiled.ts). What would run differently without failing (a
 * tsconfig.json that changes how esbuild compiles a file the descriptions load) sends them all to the bundles
 * (strippable).
 */
import module from "node:module";
import { readFileSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { switchedOn } from "./ci-environment.ts";
import { plainJson } from "./description-bundle.ts";

/** The oldest Node whose type stripping runs without an experimental warning: 24.3. */
const FIRST_VERSION = [24, 3];

/** What nativeTypeScript asks of the running Node. */
export interface Runtime {
  /** process.versions.node */
  version: string;
  /** process.features.typescript: "strip", "transform" (--experimental-transform-types) or false */
  typescript: unknown;
  /** Whether node:module has registerHooks (synchronous hooks). */
  hooks: boolean;
}

/** The running Node, as nativeTypeScript asks of it. */
export function thisRuntime(): Runtime {
  return {
    version: process.versions.node,
    typescript: process.features.typescript,
    hooks: typeof module.registerHooks === "function",
  };
}

/**
 * True when the descriptions can be imported natively: this Node (24.3 or later) strips types, and only strips them
 * (not under --experimental-transform-types, which would run enums and namespaces its own way, not esbuild's),
 * takes synchronous hooks, and MANIFOLD_BUNDLE_DESCRIPTIONS is not switched on.
 */
export function nativeTypeScript(env: NodeJS.ProcessEnv = process.env, runtime: Runtime = thisRuntime()): boolean {
  const [major, minor] = runtime.version.split(".").map(Number);
  const recent = major > FIRST_VERSION[0] || (major === FIRST_VERSION[0] && minor >= FIRST_VERSION[1]);
  return !switchedOn(env.MANIFOLD_BUNDLE_DESCRIPTIONS) && runtime.typescript === "strip" && runtime.hooks && recent;
}

/**
 * Compiler options under which esbuild (the bundles, and tsx under the sources) compiles a file differently from
 * Node's type stripping, or resolves its imports where Node would not look.
 */
const BUNDLER_OPTIONS = [
  "baseUrl",
  "paths",
  "experimentalDecorators",
  "emitDecoratorMetadata",
  "jsx",
  "jsxFactory",
  "jsxFragmentFactory",
  "jsxImportSource",
  "importsNotUsedAsValues",
  "preserveValueImports",
];

/** Targets under which class fields are defined as the language defines them, when useDefineForClassFields is unset. */
const DEFINING_TARGET = /^es(next|20(2[2-9]|[3-9]\d))$/i;

/**
 * Whether the configuration esbuild takes for a file in `folder` (the nearest tsconfig.json, or jsconfig.json where a
 * folder has no tsconfig.json, in it or above it) lets Node's type stripping run the file as esbuild compiles it:
 * none, or one that extends no other and sets no option of BUNDLER_OPTIONS, does not turn useDefineForClassFields
 * off, and names no target before ES2022 without turning it on. A config that cannot be read as JSON does not.
 * `known` keeps each folder's answer.
 */
function folderStrippable(folder: string, known: Map<string, boolean>): boolean {
  const cached = known.get(folder);
  if (cached !== undefined) return cached;
  let answer: boolean | undefined;
  for (const name of ["tsconfig.json", "jsconfig.json"]) {
    let text: string;
    try {
      text = readFileSync(join(folder, name), "utf8");
    } catch {
      continue; // none there
    }
    answer = configStrippable(text);
    break;
  }
  const parent = dirname(folder);
  answer ??= parent === folder ? true : folderStrippable(parent, known);
  known.set(folder, answer);
  return answer;
}

/** Whether one tsconfig.json or jsconfig.json (its text) leaves esbuild compiling as Node's type stripping runs. */
function configStrippable(text: string): boolean {
  let config: { extends?: unknown; compilerOptions?: Record<string, unknown> };
  try {
    config = JSON.parse(plainJson(text.replace(/^\uFEFF/, ""))) as typeof config;
  } catch {
    return false;
  }
  if (typeof config !== "object" || config === null || config.extends !== undefined) return false;
  const options = config.compilerOptions ?? {};
  if (BUNDLER_OPTIONS.some((option) => options[option] !== undefined)) return false;
  const defines = options.useDefineForClassFields;
  if (defines === false) return false;
  return defines === true || options.target === undefined || DEFINING_TARGET.test(String(options.target));
}

/**
 * True when Node's type stripping runs each of `files` (absolute paths) as esbuild would compile it: the
 * configuration esbuild takes for each (folderStrippable) changes nothing Node does not do.
 */
export function strippable(files: Iterable<string>): boolean {
  const known = new Map<string, boolean>();
  for (const file of files) if (!folderStrippable(dirname(file), known)) return false;
  return true;
}

/** Whether `url` is a file of the project's own (a file: URL outside node_modules). */
function projectFile(url: string): boolean {
  return url.startsWith("file:") && !url.includes("/node_modules/");
}

/**
 * Runs `imports` with the hooks that import descriptions natively registered on this thread, and takes them off
 * after, so nothing else the process imports goes through them: an import of the running package's
 * `compiler/index.ts` (its real path, as a symbolic link or --preserve-symlinks may give another), or of the package
 * `manifold`, gets `language` (a file URL next to the bundle); every TypeScript file of the project is loaded as an
 * ES module. Returns what `imports` returned, and the paths of the project's files the imports resolved (not those
 * of node_modules, nor the running bundle's chunks).
 */
export async function withDescriptionHooks<T>(
  language: string,
  imports: () => Promise<T>,
): Promise<{ result: T; files: Set<string> }> {
  let own: string | undefined;
  try {
    own = realpathSync(fileURLToPath(new URL("../compiler/index.ts", language)));
  } catch {
    own = undefined; // an install without the sources: only the package name is served
  }
  const isOwn = (url: string) => {
    if (own === undefined || !url.endsWith("/compiler/index.ts")) return false;
    try {
      return realpathSync(fileURLToPath(url)) === own;
    } catch {
      return false;
    }
  };
  const served = { url: language, format: "module", shortCircuit: true } as const;
  const bundle = new URL(".", language).href; // the running bundle's folder: its chunks are not the project's
  const files = new Set<string>();
  const hooks = module.registerHooks({
    resolve(specifier, context, next) {
      if (specifier === "manifold") return served;
      const resolved = next(specifier, context);
      if (isOwn(resolved.url)) return served;
      if (projectFile(resolved.url) && !resolved.url.startsWith(bundle)) files.add(fileURLToPath(resolved.url));
      return resolved;
    },
    load(url, context, next) {
      const typescript = projectFile(url) && new URL(url).pathname.endsWith(".ts");
      return next(url, typescript ? { ...context, format: "module-typescript" } : context);
    },
  });
  try {
    return { result: await imports(), files };
  } finally {
    hooks.deregister();
  }
}
