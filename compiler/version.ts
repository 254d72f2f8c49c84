import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The compiler's version, from package.json; part of every cache key and provenance record. */
export const COMPILER_VERSION: string = JSON.parse(
  readFileSync(new URL("../package.json", import.meta.url), "utf8"),
).version;

/**
 * The package's root folder. This module sits one level below it both as a
 * source file (compiler/) and inside the precompiled bundle (dist/), so paths
 * from here hold in both; modules deeper down must not resolve their own.
 */
export const PACKAGE_ROOT: string = fileURLToPath(new URL("..", import.meta.url));
