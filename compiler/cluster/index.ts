/**
 * The cluster layer: what every cluster runs before any platform. Resolves the add-ons (`addons/`) per cluster,
 * renders the folders Argo CD deploys as directories (hydrated charts, cluster-wide objects) into
 * `rendered/clusters/<env>/<region>/<part>/`, validates hydrated objects with the same rules as a platform's, and
 * builds one Application per part in the wave of its dependency depth (waves of the cluster's own app-of-apps, which
 * the Argo CD layer renders). Checks that every custom resource kind a platform renders on a cluster is provided by
 * an add-on there.
 */
import { ManifoldError, combineErrors } from "../errors.ts";
import type { ArgoCdDescription } from "../describe/types.ts";
import type { Finding } from "../model/finding.ts";
import type { KubeObject, RenderedObject } from "../model/object.ts";
import type { Project } from "../model/project.ts";
import type { CompiledTarget, ResolvedTarget } from "../model/target.ts";
import { objectFileName } from "../emit/files.ts";
import { sortForSync } from "../sync/apply-order.ts";
import { reporter, type ChartServiceAccount } from "../validate/context.ts";
import { validateTarget } from "../validate/index.ts";
import { policyLevel } from "../validate/policy.ts";
import { irsaAccountsRule } from "../validate/rules/irsa-accounts.ts";
import { chartAccounts } from "./chart-accounts.ts";
import { toYaml } from "../yaml.ts";
import { buildClusterProject, buildUnitApplication, unitApplicationName, unitFolder } from "./applications.ts";
import { hydrate } from "./hydrate.ts";
import { clusterObjects, groupKindOf } from "./objects.ts";
import { resolveClusters, type ClusterTarget, type ResolvedAddon } from "./resolve.ts";
import { clusterUnits, providersOf, type AddonUnit } from "./units.ts";
import { compareNames } from "../name-order.ts";

/** The first wave of a cluster's add-on Applications in that cluster's app-of-apps. */
export const FIRST_ADDON_WAVE = 1;

/** One cluster's add-on parts, in wave order, and their Applications. */
export interface ClusterPlan {
  cluster: ClusterTarget;
  units: (AddonUnit & { application: string; wave: number })[];
  /** One Application per part, in the wave of its depth: the objects of the cluster's app-of-apps folder. */
  applications: KubeObject[];
  /** The wave after every add-on of this cluster. */
  lastWave: number;
}

export interface ClusterLayer {
  clusters: ClusterPlan[];
  /** The `cluster-addons` project, for `rendered/argocd/`. */
  project: KubeObject;
  /** Folder files keyed by path relative to `rendered/`. */
  files: Map<string, string>;
  findings: Finding[];
}

/** A stand-in target for validating an add-on folder with the platform rules, at its environment's levels. */
function folderTarget(project: Project, cluster: ClusterTarget, unit: AddonUnit): ResolvedTarget {
  const env = project.environments.find((e) => e.value.name === cluster.environment)!;
  const region = project.regions.find((r) => r.value.name === cluster.region)!;
  return {
    id: unitFolder(cluster, unit.name),
    platform: unit.name,
    environment: cluster.environment,
    region: cluster.region,
    role: cluster.role,
    namespace: unit.addon.description.namespace ?? "default",
    namePrefix: "",
    cluster: cluster.cluster,
    primary: { region: cluster.region, cluster: cluster.cluster },
    peers: [],
    secretStore: region.value.secretStore,
    policy: env.value.policy,
    config: {},
    components: {},
    patches: [],
    hooks: {},
    waveHooks: {},
    provenance: {},
    sources: [unit.addon.file],
  } as ResolvedTarget;
}

/**
 * The platform rules over a hydrated folder, but the one that keeps cluster-layer kinds out of platforms. A custom
 * resource of a CRD the chart itself defines has no model to check it against: the API server checks it against that
 * CRD's schema, so "no schema is known" is left out there.
 */
function hydratedFindings(
  project: Project,
  cluster: ClusterTarget,
  unit: AddonUnit,
  rendered: RenderedObject[],
  accounts: ChartServiceAccount[],
): Finding[] {
  const defined = new Set(
    unit.objects
      .filter((o) => o.kind === "CustomResourceDefinition")
      .map((o) => {
        const spec = o.spec as { group?: string; names?: { kind?: string } } | undefined;
        return `${spec?.group ?? ""}/${spec?.names?.kind ?? ""}`;
      }),
  );
  const ownKinds = new Set(
    unit.objects.filter((o) => defined.has(groupKindOf(o))).map((o) => `${o.kind}/${o.metadata.name}`),
  );
  // cluster-layer-kinds keeps those kinds out of platforms: an add-on folder is the cluster layer, where they belong.
  return validateTarget(folderTarget(project, cluster, unit), rendered, accounts).filter(
    (f) =>
      f.rule !== "cluster-layer-kinds" &&
      !(f.rule === "schema" && f.pointer === "/apiVersion" && ownKinds.has(f.object) && /no schema/.test(f.message)),
  );
}

/**
 * The cluster-wide objects of a Helm-source add-on (ClusterIssuers, stores, StorageClasses): the rule that the stores
 * among them authenticate as a ServiceAccount bound to an IAM role, which the charts of the cluster's add-ons create.
 */
function folderFindings(
  project: Project,
  cluster: ClusterTarget,
  unit: AddonUnit,
  rendered: RenderedObject[],
  accounts: ChartServiceAccount[],
): Finding[] {
  const target = folderTarget(project, cluster, unit);
  const level = policyLevel(target.policy.rules, irsaAccountsRule.name);
  if (level === "off") return [];
  const ctx = { target, objects: rendered, chartAccounts: accounts };
  const found: Finding[] = [];
  irsaAccountsRule.check(ctx, reporter(ctx, irsaAccountsRule.name, found));
  for (const f of found) if (level === "warning") f.severity = "warning";
  return found;
}

/** Custom resource kinds a platform renders on a cluster that no add-on there provides. */
function unprovided(cluster: ClusterTarget, targets: CompiledTarget[]): ManifoldError[] {
  const providers = providersOf(cluster);
  const out = new Map<string, string>();
  for (const t of targets) {
    if (t.target.environment !== cluster.environment || t.target.region !== cluster.region) continue;
    for (const { object } of t.objects) {
      const kind = groupKindOf(object);
      const group = kind.split("/")[0];
      if (!group.includes(".") || (group.endsWith("k8s.io") && !group.startsWith("autoscaling.k8s.io"))) continue;
      if (!providers.has(kind) && !out.has(kind)) out.set(kind, t.target.platform);
    }
  }
  return [...out].map(
    ([kind, platform]) =>
      new ManifoldError(
        `platform ${platform} renders ${kind} on cluster ${cluster.cluster.name}, but no add-on there provides that kind: add the add-on that installs its CRD (or list the kind in its provides)`,
        { file: "addons/", target: cluster.id },
      ),
  );
}

/** Renders the cluster layer, or undefined for a project without add-ons or without an Argo CD layer. */
export function renderClusterLayer(project: Project, targets: CompiledTarget[]): ClusterLayer | undefined {
  if (!project.addons?.length || !project.argocd) return undefined;
  const layer: ArgoCdDescription = project.argocd.value;
  const clusters = resolveClusters(project);
  const errors: ManifoldError[] = [];
  const findings: Finding[] = [];
  const files = new Map<string, string>();
  const plans: ClusterPlan[] = [];
  for (const cluster of clusters) {
    errors.push(...unprovided(cluster, targets));
    const objectsOf = (addon: ResolvedAddon) => ({
      chart:
        addon.description.delivery === "hydrated" ? hydrate(addon, { root: project.root, cluster: cluster.id }) : [],
      cluster: clusterObjects(addon, cluster.region, cluster.environment),
    });
    let units: AddonUnit[];
    try {
      units = clusterUnits(cluster, objectsOf);
    } catch (e) {
      if (!(e instanceof ManifoldError)) throw e;
      errors.push(e, ...e.others);
      continue;
    }
    const accounts = chartAccounts(cluster);
    for (const unit of units.filter((u) => u.objects.length)) {
      const rendered: RenderedObject[] = unit.objects.map((object) => ({ object, band: "workload" }));
      if (unit.delivery === "hydrated") findings.push(...hydratedFindings(project, cluster, unit, rendered, accounts));
      else findings.push(...folderFindings(project, cluster, unit, rendered, accounts));
      for (const { object } of sortForSync(rendered)) {
        const path = `${unitFolder(cluster, unit.name)}/${objectFileName(object)}`;
        if (files.has(path))
          errors.push(
            new ManifoldError(`two objects would both be written to ${path}`, {
              file: unit.addon.file,
              target: cluster.id,
            }),
          );
        files.set(path, toYaml(object));
      }
    }
    const planned = [...units]
      .sort((a, b) => a.depth - b.depth || compareNames(a.name, b.name))
      .map((u) => ({ ...u, application: unitApplicationName(cluster, u.name), wave: FIRST_ADDON_WAVE + u.depth }));
    plans.push({
      cluster,
      units: planned,
      applications: planned.map((u) => buildUnitApplication(u, cluster, layer, u.wave)),
      lastWave: Math.max(FIRST_ADDON_WAVE, ...planned.map((u) => u.wave + 1)),
    });
  }
  if (errors.length) throw combineErrors(errors);
  return { clusters: plans, project: buildClusterProject(layer, clusters), files, findings };
}
