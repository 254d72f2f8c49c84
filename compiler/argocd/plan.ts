/**
 * `manifold plan --apps`: what each declared cluster gets from the offline
 * expansion of the ApplicationSets, environment by environment, in rollout
 * order (RollingSync step by step; at once otherwise), each Application with
 * the Applications it syncs after because of its data (rollout-order.ts).
 */
import type { ArgoCdDescription } from "../describe/types.ts";
import type { DeclaredCluster } from "./clusters.ts";
import type { GeneratedApplication } from "./expand.ts";
import { rolloutSteps, syncSummary } from "./applicationset.ts";
import { dependencyReason, type DataDependency } from "./rollout-order.ts";

export interface PlannedApplication {
  name: string;
  applicationSet: string;
  project: string;
  path: string;
  namespace: string;
  /** The Applications it must sync after (data dependencies), with why. */
  after: { application: string; reason: string }[];
}

/** A cluster-layer Application: synced, in its wave, before any platform Application on the cluster. */
export interface PlannedAddon {
  name: string;
  wave: number;
  /** `helm-source <repo> <chart>@<version>`, `hydrated <chart>@<version>` or `folder <path>`. */
  source: string;
}

/** The cluster layer's rollout: its ApplicationSet's RollingSync steps, and each cluster's add-ons Application. */
export interface AddonRollout {
  applicationSet: string;
  steps: { step: number; environment: string; roles: string[] }[];
  /** By cluster server: the cluster's add-ons Application and its step (undefined when no step selects it). */
  stepOf: Map<string, { application: string; step?: number }>;
}

export interface PlannedCluster {
  name: string;
  server: string;
  region: string;
  role: string;
  /** The cluster layer, in wave order: every one Healthy before the platforms' generators select the cluster. */
  addons: PlannedAddon[];
  /** The cluster's add-ons Application and its step in the cluster layer's rollout. */
  addonApplication?: { application: string; step?: number };
  applications: PlannedApplication[];
}

export interface PlannedStep {
  /** 1-based RollingSync step, or null when everything syncs at once. */
  step: number | null;
  roles: string[];
  maxUpdate?: number | string;
  clusters: PlannedCluster[];
}

export interface PlannedEnvironment {
  name: string;
  sync: string;
  preserveResourcesOnDeletion: boolean;
  steps: PlannedStep[];
}

export interface AppsPlan {
  /** The cluster layer's rollout, when there is a cluster layer. */
  addonRollout?: { applicationSet: string; steps: AddonRollout["steps"] };
  applicationSets: number;
  clusters: number;
  applications: number;
  environments: PlannedEnvironment[];
}

function planned(g: GeneratedApplication, dependencies: DataDependency[]): PlannedApplication {
  const a = g.application;
  const after = new Map<string, string[]>();
  for (const d of dependencies.filter((x) => x.dependent.name === a.metadata.name))
    after.set(d.on.name, [...(after.get(d.on.name) ?? []), dependencyReason(d)]);
  return {
    name: a.metadata.name,
    applicationSet: g.applicationSet,
    project: a.spec.project,
    path: a.spec.source.path,
    namespace: a.spec.destination.namespace,
    after: [...after].map(([application, reasons]) => ({ application, reason: reasons.join("; ") })),
  };
}

/** Groups the generated Applications by environment, rollout step and cluster. */
export function planApps(
  layer: ArgoCdDescription,
  clusters: DeclaredCluster[],
  applications: GeneratedApplication[],
  dependencies: DataDependency[] = [],
  addons: Map<string, PlannedAddon[]> = new Map(),
  rollout?: AddonRollout,
): AppsPlan {
  const envNames = [...new Set(clusters.map((c) => c.environment))];
  const environments = envNames.map((env): PlannedEnvironment => {
    const policy = layer.environments[env];
    const envClusters = clusters.filter((c) => c.environment === env);
    const appsOf = (c: DeclaredCluster, step: number | null) =>
      applications
        .filter((g) => g.cluster.server === c.server && (step === null || g.step === step))
        .map((g) => planned(g, dependencies))
        .sort((a, b) => (a.name < b.name ? -1 : 1));
    const clusterEntry = (c: DeclaredCluster, step: number | null): PlannedCluster => ({
      name: c.name,
      server: c.server,
      region: c.region,
      role: c.role,
      addons: addons.get(c.server) ?? [],
      ...(rollout?.stepOf.has(c.server) ? { addonApplication: rollout.stepOf.get(c.server) } : {}),
      applications: appsOf(c, step),
    });
    const steps = rolloutSteps(policy);
    const planSteps: PlannedStep[] = steps
      ? steps.map((s, i) => ({
          step: i + 1,
          roles: [...s.roles],
          ...(s.maxUpdate !== undefined ? { maxUpdate: s.maxUpdate } : {}),
          clusters: envClusters
            .filter((c) => s.roles.includes(c.role) || appsOf(c, i + 1).length > 0)
            .map((c) => clusterEntry(c, i + 1)),
        }))
      : [
          {
            step: null,
            roles: [...new Set(envClusters.map((c) => c.role))],
            clusters: envClusters.map((c) => clusterEntry(c, null)),
          },
        ];
    return {
      name: env,
      sync: syncSummary(policy),
      preserveResourcesOnDeletion: policy.preserveResourcesOnDeletion,
      steps: planSteps,
    };
  });
  return {
    ...(rollout ? { addonRollout: { applicationSet: rollout.applicationSet, steps: rollout.steps } } : {}),
    applicationSets: new Set(applications.map((a) => a.applicationSet)).size,
    clusters: clusters.length,
    applications: applications.length,
    environments,
  };
}

/** The plan as text. */
export function formatAppsPlan(plan: AppsPlan): string {
  const lines = [
    `Applications per cluster, in rollout order: ${plan.applications} Applications from ${plan.applicationSets} ApplicationSets on ${plan.clusters} clusters (expanded offline)`,
    "",
  ];
  if (plan.addonRollout) {
    lines.push(
      `Add-ons roll out cluster by cluster (ApplicationSet ${plan.addonRollout.applicationSet}, RollingSync; each step Healthy before the next):`,
    );
    for (const s of plan.addonRollout.steps)
      lines.push(`  step ${s.step}: ${s.environment}${s.roles.length ? ` ${s.roles.join(", ")}` : ""}`);
    lines.push("");
  }
  for (const env of plan.environments) {
    lines.push(
      `${env.name}: ${env.sync}${env.preserveResourcesOnDeletion ? "; resources preserved when an Application is deleted" : ""}`,
    );
    for (const s of env.steps) {
      const indent = "    ";
      if (s.step !== null)
        lines.push(
          `  step ${s.step}: ${s.roles.join(", ")}${s.maxUpdate !== undefined ? `, at most ${s.maxUpdate} at a time per ApplicationSet` : ""}`,
        );
      else lines.push("  all at once:");
      for (const c of s.clusters) {
        lines.push(`${indent}${c.name} (${c.region}, ${c.role}) ${c.server}`);
        if (c.addons.length) {
          const via = c.addonApplication
            ? ` (${c.addonApplication.application}, add-on step ${c.addonApplication.step ?? "none"})`
            : "";
          lines.push(`${indent}  add-ons first${via}, wave by wave, each Healthy before the next:`);
        }
        for (const a of c.addons) lines.push(`${indent}    wave ${a.wave} ${a.name.padEnd(50)} ${a.source}`);
        if (c.addons.length) lines.push(`${indent}  then the platforms, once the add-ons mark the cluster ready:`);
        if (c.applications.length === 0) lines.push(`${indent}  (no Applications)`);
        for (const a of c.applications) {
          lines.push(`${indent}  ${a.name.padEnd(36)} project ${a.project}, path ${a.path}, namespace ${a.namespace}`);
          for (const d of a.after) lines.push(`${indent}    after ${d.application}: ${d.reason}`);
        }
      }
    }
    lines.push("");
  }
  return lines.join("\n");
}
