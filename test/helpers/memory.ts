/** Compiling descriptions held in memory, with this repo's environments and regions: fast, no files written. */
import { checkProject, importProject } from "../../compiler/load.ts";
import { type ProjectSources } from "../../compiler/model/project.ts";
import { compileLoaded, type CompileResult } from "../../compiler/compile.ts";
import type { PlatformDescription } from "../../compiler/describe/types.ts";
import { REPO } from "./project.ts";
import type { Parsed } from "./parsed.ts";

let repoSources: Promise<ProjectSources> | undefined;

/** This repo's descriptions, imported once. */
export function repoProject(): Promise<ProjectSources> {
  repoSources ??= importProject(REPO);
  return repoSources;
}

/** This repo's Argo CD layer description (`argocd/layer.ts`), as a fresh copy a test may change. */
export async function repoArgoCd(): Promise<Parsed> {
  const repo = await repoProject();
  return structuredClone(repo.argocd![0].value);
}

/**
 * This repo's cluster add-ons, which provide what the regions' capability contracts leave out. With environments or
 * regions of a test's own (`keepTargets` false), their per-cluster layers are dropped: they name this repo's clusters.
 */
export function repoAddons(repo: ProjectSources, keepTargets = true): NonNullable<ProjectSources["addons"]> {
  return (repo.addons ?? []).map((a) => ({
    file: a.file,
    value: keepTargets ? structuredClone(a.value) : { ...structuredClone(a.value as object), targets: undefined },
  }));
}

/**
 * Compiles the given platforms (instead of the repo's) against the repo's
 * environments and regions. Pass `argocd` (a layer description) to render the
 * Argo CD layer too; without it the compile has none.
 */
export async function compilePlatforms(
  platforms: PlatformDescription[],
  options: { environments?: unknown[]; regions?: unknown[]; argocd?: unknown } = {},
): Promise<CompileResult> {
  const repo = await repoProject();
  const sources: ProjectSources = {
    root: REPO,
    platforms: platforms.map((p) => ({ file: `platforms/${p.name}.ts`, value: p })),
    environments: options.environments
      ? options.environments.map((e: Parsed) => ({ file: `environments/${e.name}.ts`, value: e }))
      : repo.environments,
    regions: options.regions
      ? options.regions.map((r: Parsed) => ({ file: `regions/${r.name}.ts`, value: r }))
      : repo.regions,
    ...(options.argocd ? { argocd: [{ file: "argocd/layer.ts", value: options.argocd }] } : {}),
    addons: repoAddons(repo, !options.environments && !options.regions),
  };
  return compileLoaded(checkProject(sources));
}

/** The objects of one target of a compile result, as plain JSON. */
export function objectsOf(result: CompileResult, target: string, kind?: string): Parsed[] {
  const t = result.targets.find((x) => x.target.id === target);
  if (!t) throw new Error(`no target ${target}; have ${result.targets.map((x) => x.target.id).join(", ")}`);
  return t.objects.map((o) => o.object).filter((o) => !kind || o.kind === kind);
}

/** One object of a target of a compile result, by kind and name; throws naming what is missing. */
export function objectIn(result: CompileResult, target: string, kind: string, name: string): Parsed {
  const found = objectsOf(result, target, kind).find((o) => o.metadata.name === name);
  if (!found) throw new Error(`${kind}/${name} not in ${target}`);
  return found;
}
