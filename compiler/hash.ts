/**
 * Node's hashes, with node:crypto loaded at the first one: loading it costs ~16 ms, and a compile the cache holds
 * whole (or a `--check` of an unchanged tree) hashes nothing. Every module of the compiler takes createHash from here
 * (the architecture test keeps it so).
 */
import module from "node:module";
import type { Hash } from "node:crypto";

let crypto: typeof import("node:crypto") | undefined;

/** crypto.createHash, node:crypto loaded on the first call. */
export function createHash(algorithm: string): Hash {
  crypto ??= module.createRequire(import.meta.url)("node:crypto") as typeof import("node:crypto");
  return crypto.createHash(algorithm);
}
