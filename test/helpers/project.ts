/** Temporary copies of this project, for tests that compile, break or publish descriptions. */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { spawnSync } from "node:child_process";
import { isDescriptionFile } from "../../compiler/check/description-files.ts";

export const REPO = resolve(import.meta.dirname, "../..");
export const CLI = join(REPO, "bin/manifold.js");

const made: string[] = [];

/** A temp project with this repo's descriptions (and rendered/ if asked), the compiler and node_modules linked in. */
export function makeProject(options: { rendered?: boolean; files?: Record<string, string | null> } = {}): string {
  const root = mkdtempSync(join(tmpdir(), "manifold-test-"));
  made.push(root);
  for (const dir of ["platforms", "environments", "regions", "argocd", "addons"]) {
    try {
      cpSync(join(REPO, dir), join(root, dir), { recursive: true });
    } catch {
      // a folder the repo does not have yet
    }
  }
  if (options.rendered) cpSync(join(REPO, "rendered"), join(root, "rendered"), { recursive: true });
  symlinkSync(join(REPO, "compiler"), join(root, "compiler"));
  symlinkSync(join(REPO, "node_modules"), join(root, "node_modules"));
  writeFileSync(join(root, "package.json"), readFileSync(join(REPO, "package.json")));
  for (const [path, content] of Object.entries(options.files ?? {})) {
    if (content === null) rmSync(join(root, path), { force: true });
    else {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), content);
    }
  }
  return root;
}

/** Every description of a project, as the loader lists them. */
export function descriptionFiles(root: string): string[] {
  return ["platforms", "environments", "regions", "argocd", "addons"].flatMap((dir) =>
    readdirSync(join(root, dir))
      .filter(isDescriptionFile)
      .sort()
      .map((f) => `${dir}/${f}`),
  );
}

/** Replaces `from` with `to` in a file of a temp project; fails loudly when `from` is absent. */
export function edit(root: string, path: string, from: string | RegExp, to: string): void {
  const text = readFileSync(join(root, path), "utf8");
  const next = text.replace(from, to);
  if (next === text) throw new Error(`edit: ${String(from)} not found in ${path}`);
  writeFileSync(join(root, path), next);
}

/** Removes every temp project made so far. */
export function cleanProjects(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * The environment the tests run the CLI in: this process's, without colour and without `CI` (the suite runs with it in
 * CI, where the CLI skips the stamps of rendered/; a test means the same path wherever it runs), with `extra` over it.
 */
export function cliEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, NO_COLOR: "1", CI: "", ...extra };
}

/** Runs the real CLI in `cwd`, in cliEnv's environment with `env` over it. */
export function runCli(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): CliRun {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: "utf8", env: cliEnv(env) });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
