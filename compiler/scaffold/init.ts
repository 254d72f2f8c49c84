/**
 * `manifold init`: a new project in an empty folder that compiles and passes its own tests: package.json
 * (depending on this Manifold checkout), tsconfig, one environment, one region, the Argo CD layer, one example
 * platform, CI templates and a test.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { ManifoldError } from "../errors.ts";
import { writeNew } from "./write.ts";
import * as t from "./templates.ts";

export interface InitOptions {
  root: string;
  /** The dependency spec for manifold (default: `file:` this checkout). */
  manifold?: string;
  /** The example platform's name (default `hello`). */
  platform?: string;
  environment?: string;
  region?: string;
  /** Write package-lock.json with `npm install --package-lock-only` (default true; it reads no package). */
  lock?: boolean;
}

export interface InitResult {
  files: string[];
  /** Whether package-lock.json was written. */
  locked: boolean;
  next: string[];
}

/** The folder of the Manifold checkout this code runs from. */
export function manifoldHome(): string {
  let dir = fileURLToPath(new URL(".", import.meta.url));
  while (
    !existsSync(join(dir, "package.json")) ||
    !readFileSync(join(dir, "package.json"), "utf8").includes('"name": "manifold"')
  ) {
    const up = resolve(dir, "..");
    if (up === dir) throw new ManifoldError("cannot find the Manifold checkout this command runs from");
    dir = up;
  }
  return dir;
}

/** A package name from a folder name: lower case, DNS-label characters only. */
function projectName(root: string): string {
  const name = basename(resolve(root))
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return name || "manifold-project";
}

/** Makes a new project in `options.root`, which must be empty (a `.git` folder is fine). */
export function init(options: InitOptions): InitResult {
  const root = resolve(options.root);
  const platform = options.platform ?? "hello";
  const environment = options.environment ?? "dev";
  const region = options.region ?? "us-west-2";
  for (const [what, name] of [
    ["platform", platform],
    ["environment", environment],
    ["region", region],
  ])
    if (!t.NAME.test(name))
      throw new ManifoldError(`the ${what} name "${name}" must be a DNS label (lower-case letters, digits, "-")`);
  const present = existsSync(root) ? readdirSync(root).filter((f) => f !== ".git") : [];
  if (present.length)
    throw new ManifoldError(
      `is not empty (${present.slice(0, 5).join(", ")}${present.length > 5 ? ", …" : ""}); run init in an empty folder`,
      { file: root },
    );
  const home = manifoldHome();
  const ci = (f: string) => readFileSync(join(home, "examples", "ci", f), "utf8");
  const files = writeNew(root, {
    "package.json": t.packageJson(projectName(root), options.manifold ?? `file:${home}`),
    "tsconfig.json": t.tsconfig(),
    ".gitignore": t.gitignore(),
    "README.md": t.projectReadme(projectName(root)),
    [`environments/${environment}.ts`]: t.environmentFile(environment, [region]),
    "regions/_clusters.ts": t.clustersHelper(),
    [`regions/${region}.ts`]: t.regionFile(region, "primary"),
    "argocd/layer.ts": t.argocdFile(),
    [`platforms/${platform}.ts`]: t.platformFile(platform),
    "test/manifold.test.mjs": t.projectTest(),
    ".github/workflows/manifold.yml": ci("github-actions.yml"),
    ".gitlab-ci.yml": ci("gitlab-ci.yml").replaceAll("examples/ci/gitlab-note.mjs", "ci/gitlab-note.mjs"),
    "ci/gitlab-note.mjs": ci("gitlab-note.mjs"),
  });
  let locked = false;
  if (options.lock !== false) {
    const npm = spawnSync("npm", ["install", "--package-lock-only", "--ignore-scripts", "--no-audit", "--no-fund"], {
      cwd: root,
      encoding: "utf8",
    });
    locked = npm.status === 0 && existsSync(join(root, "package-lock.json"));
    if (locked) files.push("package-lock.json");
  }
  return {
    files,
    locked,
    next: [
      locked ? "npm ci                       # install Manifold" : "npm install                  # install Manifold",
      "npx manifold compile         # render rendered/",
      "npm test                     # validate, and check that rendered/ is current",
      `npx manifold plan ${platform} ${environment} ${region}   # the order Argo CD applies it in`,
      "git init && git add -A && git commit -m 'manifold project'",
      "npx manifold new platform <name>   # add a platform (or: new environment, new region)",
    ],
  };
}
