#!/usr/bin/env -S node --max-opt=1 --no-lazy
// The manifold CLI. Its first line gives Node the V8 options of V8_FLAGS (bin/runtime.mjs), as the npm scripts do.
// It runs the precompiled bundle (dist/cli.mjs and its chunks) when
// that was built from the current sources, building it first when it is
// missing or stale; where it cannot be built it falls back to the TypeScript
// sources through the tsx loader. MANIFOLD_NO_PRECOMPILE=1 forces the sources.
// Started by a Node older than package.json's engines allow, it re-runs itself
// on the project's pinned Node (bin/runtime.mjs). The bundle's compiled code is
// kept in dist/compile-cache/ (Node's module compile cache), so a start-up after
// the first skips parsing and compiling it; MANIFOLD_NO_COMPILE_CACHE=1 turns that off.
// The CLI entry loads only the chunks a compile the cache holds whole needs;
// the build, validate and render code is imported when a target must be built.
import module from "node:module";
import { pathToFileURL } from "node:url";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { cachedSourceKey } from "./source-key.mjs";
import { ensureSupportedNode } from "./runtime.mjs";

// node:fs through require: its ES-module facade reads every export, loading the lazy streams API at each start.
const { existsSync, readFileSync } = module.createRequire(import.meta.url)("node:fs");

ensureSupportedNode();

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..");
const DIST = join(REPO, "dist", "cli.mjs");
const DIST_KEY = join(REPO, "dist", "manifold.key");

/** Node's on-disk cache of compiled modules (Node 22.1 and later), next to the bundle; failing is no error. */
function enableCompileCache() {
  try {
    module.enableCompileCache?.(join(REPO, "dist", "compile-cache"));
  } catch {
    // an unwritable dist/ only costs the compile
  }
}

async function precompiled() {
  if (process.env.MANIFOLD_NO_PRECOMPILE) return undefined;
  try {
    // The sources' key, read from dist/source-stats.json while no source file's size, time or inode changed.
    const key = cachedSourceKey(REPO, join(REPO, "dist", "source-stats.json"));
    if (!existsSync(DIST) || !existsSync(DIST_KEY) || readFileSync(DIST_KEY, "utf8") !== key) {
      const { precompile } = await import("./precompile.mjs");
      await precompile(key);
    }
    if (!process.env.MANIFOLD_NO_COMPILE_CACHE) enableCompileCache();
    return await import(pathToFileURL(DIST).href);
  } catch (e) {
    if (process.env.MANIFOLD_DEBUG)
      process.stderr.write(`manifold: precompiled CLI unavailable, using the sources: ${e?.message ?? e}\n`);
    return undefined;
  }
}

let cli = await precompiled();
if (!cli) {
  const { register } = await import("tsx/esm/api");
  register();
  cli = await import("../compiler/cli.ts");
}
/**
 * The stdout and stderr streams built during the command: Node builds each at its first use (10-15 ms on a pipe), and
 * the CLI writes its own output straight to the file descriptors (compiler/stdio.ts), so they exist only when
 * something else wrote through them (a description's console.log, a warning of Node's).
 */
const builtStreams = [];
for (const name of ["stdout", "stderr"]) {
  const own = Object.getOwnPropertyDescriptor(process, name);
  if (!own?.get || !own.configurable) continue;
  Object.defineProperty(process, name, {
    configurable: true,
    enumerable: own.enumerable,
    get() {
      const stream = own.get.call(process);
      if (!builtStreams.includes(stream)) builtStreams.push(stream);
      return stream;
    },
  });
}

process.exitCode = await cli.main(process.argv.slice(2));
// The command is done: exit at once, instead of waiting for Node's teardown of the helper thread and of the event loop
// (~20 ms a command), once what went through a built stream is flushed (a full pipe makes its writes asynchronous).
await Promise.all(builtStreams.map((stream) => new Promise((done) => stream.write("", done))));
process.exit();
