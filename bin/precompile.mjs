// Bundles the compiler and the packages it uses into ES modules in dist/, so
// the CLI starts without a TypeScript loader and without resolving hundreds of
// modules. Four entry points share their code through chunks (dist/chunk-*.mjs,
// named by content): cli.mjs (what bin/manifold.js runs), language.mjs (what
// descriptions import), manifold.mjs (the whole library, compiler/index.ts)
// and worker.mjs (the helper thread). The CLI's modules import the build,
// validate and render code dynamically, so a compile the cache holds whole
// never loads it. bin/manifold.js runs this on
// demand whenever the sources changed; `npm run bundle` runs it by hand (not named
// `precompile`: npm would run that as a pre-hook of every `npm run compile`).
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { sourceKey } from "./source-key.mjs";

// The models' validators build their few RE2 patterns (re2-wasm) when the bundle loads, which compiles a WebAssembly
// module on every start. In the bundle, their RE2 is one that loads re2-wasm and compiles the pattern on first use.
// (`require` is the one the banner below defines.)
const LAZY_RE2 = `let Real;
export default class LazyRE2 {
  #args;
  #re;
  constructor(...args) { this.#args = args; }
  get #real() { return (this.#re ??= new (Real ??= require("re2-wasm").RE2)(...this.#args)); }
  get source() { return this.#real.source; }
  get flags() { return this.#real.flags; }
  get lastIndex() { return this.#real.lastIndex; }
  set lastIndex(i) { this.#real.lastIndex = i; }
  test(s) { return this.#real.test(s); }
  exec(s) { return this.#real.exec(s); }
  toString() { return this.#real.toString(); }
}
`;

/** An esbuild plugin giving the models' validators the lazy RE2 above. */
const lazyRe2 = {
  name: "lazy-re2",
  setup(b) {
    b.onLoad({ filter: /@kubernetes-models[\\/]validate[\\/]dist[\\/]runtime[\\/]re2\.js$/ }, () => ({
      contents: LAZY_RE2,
      loader: "js",
    }));
  },
};

/**
 * Node's built-ins whose ES-module facade is slow to make: importing `node:fs` as an ES module reads every export,
 * which loads the lazy streams and promises APIs; `node:crypto` and `node:child_process` likewise (7-10 ms each at
 * every start). In the bundle they come through `require` (the banner's), with their plain exports named.
 */
const CJS_BUILTINS = ["fs", "crypto", "child_process"];

/** An esbuild plugin that serves the CJS_BUILTINS through `require`, exporting each plain (non-getter) property. */
const requiredBuiltins = {
  name: "required-builtins",
  setup(b) {
    // ES imports only: a bundled CommonJS package's own require() of them stays a plain require
    b.onResolve({ filter: new RegExp(`^(node:)?(${CJS_BUILTINS.join("|")})$`) }, (args) =>
      args.kind === "import-statement" || args.kind === "dynamic-import"
        ? { path: args.path.replace(/^node:/, ""), namespace: "required-builtin" }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "required-builtin" }, (args) => {
      const names = Object.entries(
        Object.getOwnPropertyDescriptors(createRequire(import.meta.url)(`node:${args.path}`)),
      )
        .filter(([name, d]) => !d.get && /^[A-Za-z_$][\w$]*$/.test(name) && name !== "default")
        .map(([name]) => name);
      return {
        contents: [
          `const m = require("node:${args.path}");`,
          "export default m;",
          ...names.map((name) => `export const ${name} = m.${name};`),
        ].join("\n"),
        loader: "js",
      };
    });
  },
};

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..");
const OUT = join(REPO, "dist");
export const DIST = join(OUT, "cli.mjs");
export const DIST_KEY = join(OUT, "manifold.key");

/** The entry points, by output name. */
const ENTRIES = {
  cli: join(REPO, "compiler", "cli.ts"),
  language: join(REPO, "compiler", "language.ts"),
  manifold: join(REPO, "compiler", "index.ts"),
  worker: join(REPO, "compiler", "parallel-worker.ts"),
};

/** A chunk no build made in the last hour: no running CLI can still import it. */
function stale(path) {
  try {
    return Date.now() - statSync(path).mtimeMs > 3600_000;
  } catch {
    return false;
  }
}

/**
 * Builds dist/ for the current sources and returns its key. Throws when esbuild is unavailable. Chunks are written
 * first, then the entry points (each aside and renamed into place), then the key: a CLI never finds an entry point
 * whose chunks are missing. Chunks of earlier builds are removed once stale.
 */
export async function precompile(key = sourceKey(REPO)) {
  const { build } = await import("esbuild");
  const result = await build({
    entryPoints: ENTRIES,
    outdir: OUT,
    splitting: true,
    chunkNames: "chunk-[hash]",
    outExtension: { ".js": ".mjs" },
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node22",
    write: false,
    logLevel: "silent",
    // Whitespace only (names stay, for stack traces): a smaller file is read and parsed faster at every start.
    minifyWhitespace: true,
    plugins: [lazyRe2, requiredBuiltins],
    // Loaded on demand only: esbuild (description bundles), tsx (the fallback loader) and typescript (explain's
    // line numbers); re2-wasm finds its .wasm file next to itself.
    external: ["esbuild", "tsx", "tsx/*", "re2-wasm", "typescript"],
    // ajv-formats-draft2019 (the models' validator formats) requires `punycode`, which is Node's deprecated built-in:
    // it gets the package of that name instead, bundled. The built-in warns when not loaded from node_modules, and
    // under the CLI's V8 options Node compiles it afresh in each thread at every start (its own code cache does not
    // match them), where the bundled copy comes from the compile cache.
    // By path: esbuild resolves an alias's package from its working folder, which is wherever the CLI runs.
    alias: { punycode: createRequire(import.meta.url).resolve("punycode/punycode.js") },
    define: { __MANIFOLD_PRECOMPILED__: "true", __MANIFOLD_SOURCE_KEY__: JSON.stringify(key) },
    // Some bundled CommonJS packages call require(); give the ES module one.
    // Every file opens with the key it was built for, so a build can tell its entry points from another's.
    banner: {
      js: `${keyLine(key)}\nimport { createRequire as __manifoldCreateRequire } from "node:module"; const require = __manifoldCreateRequire(import.meta.url);`,
    },
  });
  mkdirSync(OUT, { recursive: true });
  const entries = new Set(Object.keys(ENTRIES).map((name) => join(OUT, `${name}.mjs`)));
  const outputs = [...result.outputFiles].sort((a, b) => Number(entries.has(a.path)) - Number(entries.has(b.path)));
  for (const file of outputs) {
    const tmp = `${file.path}.${process.pid}.tmp`;
    writeFileSync(tmp, file.contents);
    renameSync(tmp, file.path);
  }
  const made = new Set(outputs.map((f) => basename(f.path)));
  for (const name of readdirSync(OUT))
    if (/^chunk-.*\.mjs$/.test(name) && !made.has(name) && stale(join(OUT, name)))
      rmSync(join(OUT, name), { force: true });
  writeFileSync(`${DIST_KEY}.${process.pid}.tmp`, key);
  renameSync(`${DIST_KEY}.${process.pid}.tmp`, DIST_KEY);
  // Two builds of different sources at once (an edit, a checkout during a run) may interleave their entry points.
  // Each checks, after writing the key, that the entry points are all its own; if not, it removes the key, so the
  // next CLI builds again instead of trusting entry points of other sources under this key.
  if (![...entries].every((entry) => builtFor(entry, key))) rmSync(DIST_KEY, { force: true });
  return key;
}

/** The first line of every file a build of `key` writes. */
function keyLine(key) {
  return `/* manifold source key ${key} */`;
}

/** True when the file at `path` was written by a build of `key`. */
function builtFor(path, key) {
  try {
    return readFileSync(path, "utf8").startsWith(keyLine(key));
  } catch {
    return false;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const key = await precompile();
  process.stderr.write(`precompiled ${OUT} (${key})\n`);
}
