import { readFileSync } from "node:fs";

/** The compiler's version, from package.json; part of every cache key and provenance record. */
export const COMPILER_VERSION: string = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version;
