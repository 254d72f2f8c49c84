// Bundles the compiler (compiler/index.ts and the packages it uses) into one
// ES module, dist/manifold.mjs, so the CLI starts without a TypeScript loader
// and without resolving hundreds of modules. bin/manifold.js runs this on
// demand whenever the sources changed; `npm run bundle` runs it by hand (not named
// `precompile`: npm would run that as a pre-hook of every `npm run compile`).
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
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

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..");
export const DIST = join(REPO, "dist", "manifold.mjs");
export const DIST_KEY = join(REPO, "dist", "manifold.key");

/** Builds dist/manifold.mjs for the current sources and returns its key. Throws when esbuild is unavailable. */
export async function precompile(key = sourceKey(REPO)) {
  const { build } = await import("esbuild");
  const result = await build({
    entryPoints: [join(REPO, "compiler", "index.ts")],
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node22",
    write: false,
    logLevel: "silent",
    // Whitespace only (names stay, for stack traces): a smaller file is read and parsed faster at every start.
    minifyWhitespace: true,
    plugins: [lazyRe2],
    // Loaded on demand only: esbuild (description bundles), tsx (the fallback loader) and typescript (explain's
    // line numbers); re2-wasm finds its .wasm file next to itself; ajv-formats-draft2019 (the models' validator
    // formats) requires Node's deprecated built-in punycode, which warns on every run unless loaded from node_modules.
    external: ["esbuild", "tsx", "tsx/*", "re2-wasm", "ajv-formats-draft2019", "typescript"],
    define: { __MANIFOLD_PRECOMPILED__: "true", __MANIFOLD_SOURCE_KEY__: JSON.stringify(key) },
    // Some bundled CommonJS packages call require(); give the ES module one.
    banner: {
      js: `import { createRequire as __manifoldCreateRequire } from "node:module"; const require = __manifoldCreateRequire(import.meta.url);`,
    },
  });
  mkdirSync(dirname(DIST), { recursive: true });
  const tmp = `${DIST}.${process.pid}.tmp`;
  writeFileSync(tmp, result.outputFiles[0].contents);
  renameSync(tmp, DIST);
  writeFileSync(`${DIST_KEY}.${process.pid}.tmp`, key);
  renameSync(`${DIST_KEY}.${process.pid}.tmp`, DIST_KEY);
  return key;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const key = await precompile();
  process.stderr.write(`precompiled ${DIST} (${key})\n`);
}
