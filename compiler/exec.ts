/**
 * node:child_process's execFileSync, with the module loaded at the first call: the cluster layer (Helm) is loaded by
 * every compile that builds, few of which run a program, and under the CLI's V8 options Node compiles
 * node:child_process afresh at each load (~35 ms with what it loads: its own code cache does not match them).
 */
import module from "node:module";
import type { ExecFileSyncOptionsWithStringEncoding } from "node:child_process";

let childProcess: typeof import("node:child_process") | undefined;

/** execFileSync of node:child_process, for a text result. */
export function execFileSync(file: string, args: string[], options: ExecFileSyncOptionsWithStringEncoding): string {
  childProcess ??= module.createRequire(import.meta.url)("node:child_process") as typeof import("node:child_process");
  return childProcess.execFileSync(file, args, options);
}
