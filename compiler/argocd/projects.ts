/**
 * AppProjects, least privilege. One per platform, computed from its compiled
 * objects: exactly the rendered repository, exactly the clusters and
 * namespaces its targets deploy to, and only the cluster-scoped objects
 * (group, kind and name) it renders; a read-only role and a CI sync role.
 * Argo CD's `default` project is locked down so nothing can use it, and the
 * bootstrap project may only put the layer's own kinds into Argo CD's namespace.
 */
import { AppProject } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject";
import type { ArgoCdDescription } from "../describe/types.ts";
import type { CompiledTarget } from "../model/target.ts";
import { make } from "../blocks/objects.ts";
import { type KubeObject } from "../model/object.ts";
import { apiGroup } from "../sync/health.ts";
import { CLUSTER_LAYER_KINDS, isClusterLayerKind } from "../kube/cluster-layer-kinds.ts";
import { entryMatches } from "./permits.ts";
import {
  NEVER_PRUNE_OPTIONS,
  RESOURCES_FINALIZER,
  SYNC_OPTIONS_ANNOTATION,
  WAVE_ANNOTATION,
} from "../sync/annotations.ts";
import { IN_CLUSTER, LABEL_PLATFORM, layerLabels } from "./labels.ts";

export const PROJECT_FINALIZER = RESOURCES_FINALIZER;

export interface GroupKindName {
  group: string;
  kind: string;
  name?: string;
}

function byText<T>(items: T[], key: (t: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const i of items) seen.set(key(i), i);
  return [...seen.keys()].sort().map((k) => seen.get(k)!);
}

/**
 * The cluster-scoped objects of some targets, as project whitelist entries (group, kind, exact name); never a kind the
 * cluster layer owns (a platform rendering one is refused by the `cluster-layer-kinds` rule).
 */
export function clusterScopedObjects(targets: CompiledTarget[]): GroupKindName[] {
  const items = targets.flatMap((t) =>
    t.objects
      .filter((o) => !o.object.metadata.namespace && !isClusterLayerKind(o.object))
      .map((o) => ({ group: apiGroup(o.object), kind: o.object.kind, name: o.object.metadata.name })),
  );
  return byText(items, (i) => `${i.group}/${i.kind}/${i.name}`);
}

/** The (server, namespace) pairs some targets deploy to: their cluster and every namespace their objects use. */
export function destinationsOf(targets: CompiledTarget[]): { server: string; namespace: string }[] {
  const items = targets.flatMap((t) => {
    const namespaces = new Set([
      t.target.namespace,
      ...t.objects.map((o) => o.object.metadata.namespace).filter((n): n is string => !!n),
    ]);
    return [...namespaces].map((namespace) => ({ server: t.target.cluster.server, namespace }));
  });
  return byText(items, (i) => `${i.server} ${i.namespace}`);
}

function roles(project: string, layer: ArgoCdDescription) {
  const policy = (role: string, action: string) =>
    `p, proj:${project}:${role}, applications, ${action}, ${project}/*, allow`;
  return [
    {
      name: "read-only",
      description: `View the ${project} Applications`,
      policies: [policy("read-only", "get")],
      groups: [...layer.roles.readOnly],
    },
    {
      name: "ci-sync",
      description: `Let CI view and sync the ${project} Applications`,
      policies: [policy("ci-sync", "get"), policy("ci-sync", "sync")],
      groups: [...layer.roles.ciSync],
    },
  ];
}

/** The AppProject of one platform, from all of its compiled targets. */
export function buildPlatformProject(
  platform: string,
  description: string | undefined,
  targets: CompiledTarget[],
  layer: ArgoCdDescription,
): KubeObject {
  return make(AppProject, {
    metadata: {
      name: platform,
      namespace: layer.namespace,
      labels: { ...layerLabels("project"), [LABEL_PLATFORM]: platform },
      annotations: { [WAVE_ANNOTATION]: "-1" },
      finalizers: [PROJECT_FINALIZER],
    },
    spec: {
      description: `${platform}: rendered by Manifold${description ? `. ${description}` : ""}`,
      sourceRepos: [layer.repoURL],
      destinations: destinationsOf(targets),
      clusterResourceWhitelist: clusterScopedObjects(targets),
      roles: roles(platform, layer),
    },
  });
}

/** Argo CD's `default` project, locked down: no repository, no destination, no kind. Never pruned or deleted. */
export function buildDefaultProject(layer: ArgoCdDescription): KubeObject {
  return make(AppProject, {
    metadata: {
      name: "default",
      namespace: layer.namespace,
      labels: layerLabels("project"),
      annotations: {
        [WAVE_ANNOTATION]: "-2",
        [SYNC_OPTIONS_ANNOTATION]: NEVER_PRUNE_OPTIONS.join(","),
      },
    },
    spec: {
      description: "Locked down by Manifold: every Application belongs to its platform's project",
      sourceRepos: [],
      sourceNamespaces: [],
      destinations: [],
      clusterResourceWhitelist: [],
      namespaceResourceBlacklist: [{ group: "*", kind: "*" }],
    },
  });
}

/**
 * The project of the bootstrap Application: the rendered repository into Argo CD's own namespace, only the kinds the
 * layer renders.
 */
export function buildBootstrapProject(layer: ArgoCdDescription, kinds: GroupKindName[]): KubeObject {
  return make(AppProject, {
    metadata: {
      name: layer.bootstrap.project,
      namespace: layer.namespace,
      labels: layerLabels("project"),
      annotations: { [WAVE_ANNOTATION]: "-2" },
      finalizers: [PROJECT_FINALIZER],
    },
    spec: {
      description:
        "The Argo CD layer rendered by Manifold: projects, ApplicationSets, cluster registrations and settings",
      sourceRepos: [layer.repoURL],
      destinations: [{ server: IN_CLUSTER, namespace: layer.namespace }],
      clusterResourceWhitelist: [],
      namespaceResourceWhitelist: byText(
        kinds.map(({ group, kind }) => ({ group, kind })),
        (k) => `${k.group}/${k.kind}`,
      ),
      roles: roles(layer.bootstrap.project, layer),
    },
  });
}

/**
 * The platform projects that permit a kind the cluster layer owns (by any whitelist entry, named or not, wildcards
 * included), as `project: group/Kind` lines: none may.
 */
export function clusterLayerPermits(projects: KubeObject[]): string[] {
  const out: string[] = [];
  for (const project of projects) {
    const whitelist = (project.spec as { clusterResourceWhitelist?: GroupKindName[] }).clusterResourceWhitelist ?? [];
    for (const k of CLUSTER_LAYER_KINDS)
      if (whitelist.some((e) => entryMatches(e, k.group, k.kind)))
        out.push(`${project.metadata.name}: ${k.group || "core"}/${k.kind}`);
  }
  return out;
}
