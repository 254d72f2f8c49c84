/**
 * The Argo CD layer: everything the management cluster's Argo CD needs,
 * rendered into `rendered/argocd/` from the same descriptions and the
 * compiled targets. Runs on an unfiltered compile after the targets are
 * rendered; expands its own ApplicationSets offline and cross-checks them
 * against the rendered tree before anything is written.
 */
import { ManifoldError, combineErrors } from "../errors.ts";
import type { KubeObject } from "../model/object.ts";
import type { CompiledTarget } from "../model/target.ts";
import type { Project } from "../model/project.ts";
import { sortForSync } from "../sync/apply-order.ts";
import { objectFileName } from "../emit/files.ts";
import { toYaml } from "../yaml.ts";
import { apiGroup } from "../sync/health.ts";
import type { Finding } from "../model/finding.ts";
import { blocking } from "../validate/index.ts";
import { buildApplicationSet } from "./applicationset.ts";
import { buildBootstrapApplication, LAYER_FOLDER } from "./bootstrap.ts";
import { buildClusterSecret, clusterSecretOf, declaredClusters, type DeclaredCluster } from "./clusters.ts";
import { crossCheck } from "./crosscheck.ts";
import { expandApplicationSets, type GeneratedApplication } from "./expand.ts";
import { permitProblems } from "./permits.ts";
import { planApps, type AppsPlan } from "./plan.ts";
import { buildBootstrapProject, buildDefaultProject, buildPlatformProject } from "./projects.ts";
import { bootstrapCommand, renderLayerReadme } from "./readme.ts";
import { buildSettings } from "./settings.ts";
import { validateLayer } from "./validate.ts";
import { versionProblems } from "./versions.ts";

export interface ArgoCdLayer {
  /** The layer's objects, in the bootstrap Application's sync order. */
  objects: KubeObject[];
  /** File contents keyed by path relative to `rendered/` (all under `argocd/`). */
  files: Map<string, string>;
  clusters: DeclaredCluster[];
  /** The offline expansion of every ApplicationSet. */
  applications: GeneratedApplication[];
  plan: AppsPlan;
  findings: Finding[];
  /** The one command that starts everything. */
  bootstrap: string;
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const i of items) out.set(key(i), [...(out.get(key(i)) ?? []), i]);
  return out;
}

/** Renders and checks the Argo CD layer. Throws one ManifoldError listing every problem. */
export function renderArgoCd(project: Project, targets: CompiledTarget[], files: Map<string, string>): ArgoCdLayer {
  const { file, value: layer } = project.argocd!;
  const clusters = declaredClusters(project);
  const clusterSecrets = clusters.map((c) => buildClusterSecret(c, layer));

  const envOrder = Object.keys(layer.environments);
  const ordered = [...targets].sort(
    (a, b) => envOrder.indexOf(a.target.environment) - envOrder.indexOf(b.target.environment),
  );
  const appSets: KubeObject[] = [];
  const platformProjects: KubeObject[] = [];
  for (const p of project.platforms) {
    const own = ordered.filter((t) => t.target.platform === p.value.name);
    if (own.length === 0) continue;
    platformProjects.push(buildPlatformProject(p.value.name, p.value.description, own, layer));
    for (const envTargets of groupBy(own, (t) => t.target.environment).values())
      appSets.push(buildApplicationSet(envTargets, layer));
  }
  const root = buildBootstrapApplication(layer);
  const withoutSettings: KubeObject[] = [
    buildDefaultProject(layer),
    ...platformProjects,
    ...clusterSecrets,
    ...appSets,
    root,
  ];
  const settings = buildSettings(layer, targets, withoutSettings);
  const managed = [...withoutSettings, ...settings];
  const kinds = managed
    .map((o) => ({ group: apiGroup(o), kind: o.kind }))
    .concat([{ group: "argoproj.io", kind: "AppProject" }]);
  const bootstrapProject = buildBootstrapProject(layer, kinds);
  const objects = sortForSync([...managed, bootstrapProject].map((object) => ({ object }))).map((o) => o.object);

  const { applications, problems } = expandApplicationSets(appSets, clusterSecrets.map(clusterSecretOf));
  const errors: ManifoldError[] = crossCheck({
    file,
    applications,
    problems,
    targets,
    clusters,
    projects: [...platformProjects, bootstrapProject],
    files,
  });
  for (const p of permitProblems(
    bootstrapProject,
    {
      repoURL: layer.repoURL,
      server: (root.spec as { destination: { server: string } }).destination.server,
      namespace: layer.namespace,
    },
    objects,
  )) {
    errors.push(
      new ManifoldError(`bootstrap Application ${root.metadata.name}: ${p}`, { file, field: "bootstrap.project" }),
    );
  }
  for (const p of versionProblems(objects, layer.argocdVersion))
    errors.push(
      new ManifoldError(`${p.object} ${p.pointer}: ${p.message}`, { file, field: "argocdVersion", target: "argocd" }),
    );
  const findings = validateLayer(objects, file);
  for (const f of blocking(findings))
    errors.push(
      new ManifoldError(`${f.rule}: ${f.object} ${f.pointer || "/"}: ${f.message} (fix: ${f.fix})`, {
        file,
        target: "argocd",
      }),
    );
  if (errors.length) throw combineErrors(errors);

  const plan = planApps(layer, clusters, applications);
  const bootstrap = bootstrapCommand(layer, bootstrapProject, root);
  const out = new Map<string, string>();
  for (const o of objects) {
    const path = `${LAYER_FOLDER}/${objectFileName(o)}`;
    if (out.has(path))
      throw new ManifoldError(`two objects of the Argo CD layer would both be written to ${path}`, { file });
    out.set(path, toYaml(o));
  }
  out.set(`${LAYER_FOLDER}/README.md`, renderLayerReadme(layer, objects, plan, bootstrap));
  return { objects, files: out, clusters, applications, plan, findings, bootstrap };
}
