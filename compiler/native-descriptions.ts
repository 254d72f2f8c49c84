/**
 * Importing descriptions with Node's own TypeScript support (type stripping, Node 24 and later) under the
 * precompiled CLI: no esbuild build, no bundle to write, and Node's compile cache keeps each file's stripped code by
 * its content. A resolve hook points the descriptions' imports of the compiler (`compiler/index.ts` of the running
 * package, or the package `manifold`) at the running bundle's language entry point, so descriptions and the compiler
 * share one module instance, as with the bundles. What type stripping cannot run (an enum, an import without its
 * extension, a type imported without `import type`, a name only the whole library exports, tsconfig paths) fails
 * the import, and the caller bundles that description instead (compiler/precompiled.ts). What would run differently
 * without failing (a tsconfig.json that changes how esbuild compiles) keeps the whole project on the bundles
 * (strippable). One difference stays: Node runs an import a description does not use, which esbuild drops.
 */
import module from "node:module";
import { readFileSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { plainJson } from "./description-bundle.ts";

/** The oldest Node whose type stripping runs without an experimental warning. */
const FIRST_MAJOR = 24;

/**
 * True when this Node strips types itself and takes synchronous resolve hooks, and MANIFOLD_BUNDLE_DESCRIPTIONS does
 * not ask for the bundles.
 */
export function nativeTypeScript(env: NodeJS.ProcessEnv = process.env): boolean {
  return (
    !env.MANIFOLD_BUNDLE_DESCRIPTIONS &&
    Boolean(process.features.typescript) &&
    typeof module.registerHooks === "function" &&
    Number(process.versions.node.split(".")[0]) >= FIRST_MAJOR
  );
}

/**
 * Compiler options under which esbuild (the bundles, and tsx under the sources) compiles a description differently
 * from Node's type stripping, or resolves its imports where Node would not look.
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
 * True when Node's type stripping runs the descriptions `files` (relative to the absolute `root`) as esbuild would
 * compile them: no tsconfig.json or jsconfig.json at the root or beside a description extends another, or sets an
 * option of BUNDLER_OPTIONS, turns useDefineForClassFields off, or names a target before ES2022 without turning it
 * on. A config that cannot be read as JSON keeps the bundles too.
 */
export function strippable(root: string, files: string[]): boolean {
  const folders = new Set([".", ...files.map((file) => dirname(file))]);
  for (const folder of folders)
    for (const name of ["tsconfig.json", "jsconfig.json"]) {
      let text: string;
      try {
        text = readFileSync(join(root, folder, name), "utf8");
      } catch {
        continue; // none there
      }
      let config: { extends?: unknown; compilerOptions?: Record<string, unknown> };
      try {
        config = JSON.parse(plainJson(text)) as typeof config;
      } catch {
        return false;
      }
      if (typeof config !== "object" || config === null || config.extends !== undefined) return false;
      const options = config.compilerOptions ?? {};
      if (BUNDLER_OPTIONS.some((option) => options[option] !== undefined)) return false;
      const defines = options.useDefineForClassFields;
      if (defines === false) return false;
      if (defines !== true && options.target !== undefined && !DEFINING_TARGET.test(String(options.target)))
        return false;
    }
  return true;
}

/** The language entry point the hook serves for the compiler, once registered (a hook serves a whole thread). */
let servedLanguage: string | undefined;

/**
 * Registers, once per thread, the resolve hook that gives imports of the running package's `compiler/index.ts`, and
 * of the package `manifold`, the module at `language` (a file URL next to the bundle).
 */
function serveLanguage(language: string): void {
  if (servedLanguage !== undefined) return;
  servedLanguage = language;
  let own: string | undefined;
  try {
    own = pathToFileURL(realpathSync(fileURLToPath(new URL("../compiler/index.ts", language)))).href;
  } catch {
    own = undefined; // an install without the sources: only the package name is served
  }
  module.registerHooks({
    resolve(specifier, context, next) {
      if (specifier === "manifold") return { url: language, format: "module", shortCircuit: true };
      const resolved = next(specifier, context);
      return resolved.url === own ? { url: language, format: "module", shortCircuit: true } : resolved;
    },
  });
}

/** Imports the description at `url` (a TypeScript file) as Node runs it, its compiler imports served by `language`. */
export function importNatively(url: string, language: string): Promise<unknown> {
  serveLanguage(language);
  return import(url);
}
