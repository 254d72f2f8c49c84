/**
 * Node's hashes, with node:crypto loaded at the first one: loading it costs ~16 ms, and a compile the cache holds
 * whole (or a `--check` of an unchanged tree) hashes nothing. Every module of the compiler takes createHash from here
 * (the architecture test keeps it so).
 */
import module from "node:module";
import type { Hash } from "node:crypto";

let crypto: typeof import("node:crypto") | undefined;

/** node:crypto, loaded on the first call. */
function nodeCrypto(): typeof import("node:crypto") {
  return (crypto ??= module.createRequire(import.meta.url)("node:crypto") as typeof import("node:crypto"));
}

/** crypto.createHash, node:crypto loaded on the first call. */
export function createHash(algorithm: string): Hash {
  return nodeCrypto().createHash(algorithm);
}

/**
 * Loads node:crypto now, for a caller that knows it will hash and has nothing else to do meanwhile (under the CLI's
 * V8 options Node compiles it afresh: 25-40 ms).
 */
export function loadHashing(): void {
  nodeCrypto();
}
