/**
 * Cache keys. A target's key is a hash of the compiler's identity and the
 * target's whole resolved spec: every phase after resolve is a pure function
 * of the resolved target, so equal keys mean byte-identical output.
 *
 * The compiler's identity is its package version plus a hash of every file
 * under compiler/, package.json and package-lock.json (bin/source-key.mjs):
 * editing the compiler, or upgrading a dependency such as kubernetes-models,
 * changes every key. The precompiled CLI carries the key of the sources it
 * was built from, and bin/manifold.js only runs it while they match.
 */
import { createHash } from "../hash.ts";
import { fileURLToPath } from "node:url";
import { sourceKey } from "../../bin/source-key.mjs";
import type { ResolvedTarget } from "../model/target.ts";
import { BUNDLED_SOURCE_KEY } from "../precompiled.ts";
import { COMPILER_VERSION } from "../version.ts";

let memo: string | undefined;

/** The identity of the running compiler: `<version>+<source key>`. */
export function compilerKey(): string {
  memo ??= `${COMPILER_VERSION}+${BUNDLED_SOURCE_KEY ?? sourceKey(fileURLToPath(new URL("../..", import.meta.url)))}`;
  return memo;
}

/** The cache key of one target under a compiler. */
export function targetKey(compiler: string, target: ResolvedTarget): string {
  return createHash("sha256").update(compiler).update("\0").update(JSON.stringify(target)).digest("hex");
}
