/**
 * What an AppProject permits, as Argo CD decides it: a source repository
 * (glob match, `!` negations deny), a destination (server and namespace
 * globs), and a resource kind (cluster-scoped kinds only through
 * `clusterResourceWhitelist`, namespaced kinds unless blacklisted or, when a
 * whitelist is set, not whitelisted).
 */
import type { KubeObject } from "../model/object.ts";
import { apiGroup } from "../sync/health.ts";

function glob(pattern: string, value: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
  );
  return re.test(value);
}

function allowedBy(patterns: string[], value: string): boolean {
  const allow = patterns.filter((p) => !p.startsWith("!"));
  const deny = patterns.filter((p) => p.startsWith("!")).map((p) => p.slice(1));
  return allow.some((p) => glob(p, value)) && !deny.some((p) => glob(p, value));
}

/** True when a project's whitelist or blacklist entry (group and kind globs) matches this group and kind. */
export function entryMatches(entry: { group: string; kind: string }, group: string, kind: string): boolean {
  return glob(entry.group, group) && glob(entry.kind, kind);
}

interface ProjectSpec {
  sourceRepos?: string[];
  destinations?: { server?: string; name?: string; namespace?: string }[];
  clusterResourceWhitelist?: { group: string; kind: string; name?: string }[];
  namespaceResourceBlacklist?: { group: string; kind: string }[];
  namespaceResourceWhitelist?: { group: string; kind: string }[];
}

/** Why the project does not permit the source repository, or undefined. */
export function sourceProblem(project: KubeObject, repoURL: string): string | undefined {
  const spec = project.spec as ProjectSpec;
  return allowedBy(spec.sourceRepos ?? [], repoURL)
    ? undefined
    : `project ${project.metadata.name} does not permit source repository ${repoURL}`;
}

/** Why the project does not permit deploying to this server and namespace, or undefined. */
export function destinationProblem(project: KubeObject, server: string, namespace: string): string | undefined {
  const spec = project.spec as ProjectSpec;
  const ok = (spec.destinations ?? []).some(
    (d) => d.server !== undefined && glob(d.server, server) && glob(d.namespace ?? "", namespace),
  );
  return ok
    ? undefined
    : `project ${project.metadata.name} does not permit destination ${server} namespace ${namespace}`;
}

/** Why the project does not permit this object's kind (and, for cluster-scoped objects, name), or undefined. */
export function kindProblem(project: KubeObject, object: KubeObject): string | undefined {
  const spec = project.spec as ProjectSpec;
  const group = apiGroup(object);
  const kind = object.kind;
  const matches = (e: { group: string; kind: string }) => entryMatches(e, group, kind);
  const what = `${group || "core"}/${kind} ${object.metadata.name}`;
  if (!object.metadata.namespace) {
    const ok = (spec.clusterResourceWhitelist ?? []).some(
      (e) => matches(e) && (e.name === undefined || glob(e.name, object.metadata.name)),
    );
    return ok ? undefined : `project ${project.metadata.name} does not whitelist the cluster-scoped ${what}`;
  }
  if ((spec.namespaceResourceBlacklist ?? []).some(matches))
    return `project ${project.metadata.name} blacklists ${what}`;
  const whitelist = spec.namespaceResourceWhitelist ?? [];
  if (whitelist.length && !whitelist.some(matches))
    return `project ${project.metadata.name} does not whitelist ${what}`;
  return undefined;
}

/** Every reason the project refuses an Application with this source and destination deploying these objects. */
export function permitProblems(
  project: KubeObject,
  app: { repoURL: string; server: string; namespace: string },
  objects: KubeObject[],
): string[] {
  const problems: string[] = [];
  const source = sourceProblem(project, app.repoURL);
  if (source) problems.push(source);
  const namespaces = new Set([
    app.namespace,
    ...objects.map((o) => o.metadata.namespace).filter((n): n is string => !!n),
  ]);
  for (const ns of [...namespaces].sort()) {
    const d = destinationProblem(project, app.server, ns);
    if (d) problems.push(d);
  }
  for (const o of objects) {
    const k = kindProblem(project, o);
    if (k) problems.push(k);
  }
  return problems;
}
