/** Runs one corpus case in-process and returns its error lines; anything but a ManifoldError is rethrown. */
import { ManifoldError, errorLines } from "../../compiler/errors.ts";
import { checkProject } from "../../compiler/load.ts";
import { compileLoaded } from "../../compiler/compile.ts";
import { repoProject } from "../helpers/memory.ts";
import { basePlatform, type CorpusCase } from "./cases.ts";

/** The error lines a case gives, or [] when it compiles. */
export async function corpusErrors(c: CorpusCase): Promise<string[]> {
  const repo = await repoProject();
  const envs: Record<string, any> = Object.fromEntries(repo.environments.map((e) => [(e.value as any).name, structuredClone(e.value)]));
  const regions: Record<string, any> = Object.fromEntries(repo.regions.map((r) => [(r.value as any).name, structuredClone(r.value)]));
  // This repo's add-ons provide what the clusters' contracts leave out. Their per-cluster layers are dropped: a case
  // that breaks the environments or regions would otherwise also break the clusters those layers name.
  const repoAddons = (repo.addons ?? []).map((a) => ({ ...structuredClone(a.value as any), targets: undefined }));
  const p = basePlatform();
  const value = c.platform?.(p) ?? p;
  c.environments?.(envs);
  c.regions?.(regions);
  const layer = c.argocd ? structuredClone(repo.argocd![0].value as any) : undefined;
  if (layer) c.argocd!(layer);
  try {
    const project = checkProject({
      root: repo.root,
      platforms: [{ file: "platforms/corpus.ts", value }],
      environments: Object.values(envs).map((e) => ({ file: `environments/${e.name}.ts`, value: e })),
      regions: Object.values(regions).map((r) => ({ file: `regions/${r.name}.ts`, value: r })),
      ...(layer ? { argocd: [{ file: "argocd/layer.ts", value: layer }] } : {}),
      addons: (c.addons ?? ((a) => a)).call(undefined, repoAddons).map((a) => ({ file: `addons/${a.name}.ts`, value: a })),
    });
    compileLoaded(project);
    return [];
  } catch (e) {
    if (e instanceof ManifoldError) return errorLines(e);
    throw e;
  }
}
