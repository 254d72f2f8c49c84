#!/usr/bin/env node
// The manifold CLI. Descriptions are TypeScript, so a TypeScript loader is registered first.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../compiler/cli.ts");
process.exitCode = await main(process.argv.slice(2));
