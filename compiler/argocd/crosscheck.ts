/**
 * Cross-checks between the Argo CD layer and the rendered tree, each failing
 * the compile: every generated Application deploys an existing rendered
 * folder that holds manifests, to a declared cluster (the folder's own),
 * under a valid unique name; every rendered folder is deployed by exactly one
 * Application; every production-style (RollingSync) Application is selected
 * by a step; every project permits its Applications' source, destinations and
 * kinds; the rollout order respects data dependencies (`rollout-order.ts`).
 */
import { ManifoldError } from "../errors.ts";
import type { KubeObject } from "../model/object.ts";
import type { CompiledTarget } from "../model/target.ts";
import { targetFolder } from "../emit/files.ts";
import { DNS_LABEL } from "../check/shape.ts";
import type { DeclaredCluster } from "./clusters.ts";
import type { ExpansionProblem, GeneratedApplication } from "./expand.ts";
import { LABEL_ENVIRONMENT, LABEL_ROLE } from "./labels.ts";
import { permitProblems } from "./permits.ts";
import { rolloutOrderProblems } from "./rollout-order.ts";
import { replicaSeedProblems } from "./replica-seeds.ts";

export interface CrossCheckInput {
  /** The Argo CD layer's description file, blamed for layer-wide problems. */
  file: string;
  applications: GeneratedApplication[];
  problems: ExpansionProblem[];
  targets: CompiledTarget[];
  clusters: DeclaredCluster[];
  projects: KubeObject[];
  /** The rendered files, keyed by path relative to `rendered/`. */
  files: Map<string, string>;
}

/** Reports one problem, blamed on the layer's description file. */
type Fail = (message: string, field?: string, target?: string) => void;

/** What the per-Application checks look things up in, and what they collect for the folder checks. */
interface Lookups {
  byFolder: Map<string, CompiledTarget>;
  clusterByServer: Map<string, DeclaredCluster>;
  projects: Map<string, KubeObject>;
  /** Rendered folders holding at least one manifest. */
  withManifests: Set<string>;
  /** Each generated Application name, with the ApplicationSet that generated it first. */
  names: Map<string, string>;
  /** Each rendered folder, with the Applications deploying it. */
  deployers: Map<string, string[]>;
}

/** One generated Application, with what every check of it needs. */
interface Checked {
  g: GeneratedApplication;
  /** How the problems name it: the Application, its ApplicationSet and cluster. */
  where: string;
  target: CompiledTarget | undefined;
  targetId: string;
}

/** Runs every cross-check; returns one error per problem (empty when all pass). */
export function crossCheck(input: CrossCheckInput): ManifoldError[] {
  const errors: ManifoldError[] = [];
  const fail: Fail = (message, field, target) =>
    errors.push(new ManifoldError(message, { file: input.file, field, target }));
  for (const p of input.problems)
    fail(`ApplicationSet ${p.applicationSet}${p.cluster ? ` on cluster ${p.cluster}` : ""}: ${p.message}`);
  const lookups = lookupsOf(input);
  for (const g of input.applications) {
    const name = g.application.metadata.name;
    const target = lookups.byFolder.get(g.application.spec.source.path);
    const app: Checked = {
      g,
      where: `Application ${name} (ApplicationSet ${g.applicationSet}, cluster ${g.cluster.name})`,
      target,
      targetId: target?.target.id ?? g.application.spec.source.path,
    };
    checkName(app, lookups, fail);
    checkPath(app, lookups, fail);
    checkDestination(app, lookups, fail);
    checkRollout(app, fail);
    checkProject(app, lookups, fail);
  }
  checkFolders(lookups, fail);
  errors.push(...rolloutOrderProblems(input.applications, lookups.byFolder, input.file));
  errors.push(...replicaSeedProblems(input.applications, lookups.byFolder, input.file));
  return errors;
}

function lookupsOf(input: CrossCheckInput): Lookups {
  return {
    byFolder: new Map(input.targets.map((t) => [targetFolder(t.target), t])),
    clusterByServer: new Map(input.clusters.map((c) => [c.server, c])),
    projects: new Map(input.projects.map((p) => [p.metadata.name, p])),
    withManifests: new Set(
      [...input.files.keys()].filter((f) => f.endsWith(".yaml")).map((f) => f.slice(0, f.lastIndexOf("/"))),
    ),
    names: new Map(),
    deployers: new Map(),
  };
}

/** The name fits Argo CD (63 characters, DNS-label safe) and no other ApplicationSet generates it. */
function checkName({ g, where, targetId }: Checked, lookups: Lookups, fail: Fail): void {
  const name = g.application.metadata.name;
  if (name.length > 63)
    fail(
      `${where}: the name is ${name.length} characters; Argo CD allows at most 63 (names are <platform>-<environment>-<region>: shorten the platform name)`,
      undefined,
      targetId,
    );
  else if (!DNS_LABEL.test(name))
    fail(`${where}: the name is not DNS-label safe (lower-case letters, digits and '-')`, undefined, targetId);
  if (lookups.names.has(name))
    fail(`${where}: the name is also generated by ApplicationSet ${lookups.names.get(name)}`, undefined, targetId);
  lookups.names.set(name, g.applicationSet);
}

/** The path is a rendered target folder holding manifests; records who deploys it. */
function checkPath({ g, where, target, targetId }: Checked, lookups: Lookups, fail: Fail): void {
  const path = g.application.spec.source.path;
  if (!target || !lookups.withManifests.has(path))
    fail(`${where}: path ${path} is not a rendered target folder holding manifests`, undefined, targetId);
  lookups.deployers.set(path, [...(lookups.deployers.get(path) ?? []), g.application.metadata.name]);
}

/** The destination is a declared cluster, and the one the folder was rendered for. */
function checkDestination({ g, where, target, targetId }: Checked, lookups: Lookups, fail: Fail): void {
  const app = g.application;
  const server = app.spec.destination.server ?? "";
  const cluster = lookups.clusterByServer.get(server);
  if (!cluster)
    fail(`${where}: destination ${server || app.spec.destination.name} is not a declared cluster`, undefined, targetId);
  else if (target && target.target.cluster.server !== server)
    fail(
      `${where}: deploys ${app.spec.source.path} to ${cluster.name}, but that folder is rendered for ${target.target.cluster.name}`,
      undefined,
      targetId,
    );
}

/** A production-style (RollingSync) Application is selected by a step, or it would never sync. */
function checkRollout({ g, where, targetId }: Checked, fail: Fail): void {
  if (!g.rolling || g.step !== undefined) return;
  const labels = g.application.metadata.labels;
  fail(
    `${where}: no RollingSync step selects it, so it would never be synced; add its role (${labels?.[LABEL_ROLE]}) to a step`,
    `environments.${labels?.[LABEL_ENVIRONMENT]}.rollout.steps`,
    targetId,
  );
}

/** The project is rendered, is not `default`, and permits the Application's source, destination and kinds. */
function checkProject({ g, where, target, targetId }: Checked, lookups: Lookups, fail: Fail): void {
  const app = g.application;
  const project = lookups.projects.get(app.spec.project);
  if (app.spec.project === "default") fail(`${where}: uses the default project`, undefined, targetId);
  else if (!project) fail(`${where}: project ${app.spec.project} is not rendered`, undefined, targetId);
  else if (target) {
    const server = app.spec.destination.server ?? "";
    for (const p of permitProblems(
      project,
      { repoURL: app.spec.source.repoURL, server, namespace: app.spec.destination.namespace },
      target.objects.map((o) => o.object),
    )) {
      fail(`${where}: ${p}`, undefined, targetId);
    }
  }
}

/** Every rendered folder is deployed by exactly one Application. */
function checkFolders(lookups: Lookups, fail: Fail): void {
  for (const [folder, t] of lookups.byFolder) {
    const apps = lookups.deployers.get(folder) ?? [];
    if (apps.length === 0)
      fail(
        `rendered folder ${folder} is deployed by no Application (an orphan): no ApplicationSet selects cluster ${t.target.cluster.name}`,
        undefined,
        t.target.id,
      );
    if (apps.length > 1)
      fail(
        `rendered folder ${folder} is deployed by ${apps.length} Applications: ${apps.join(", ")}`,
        undefined,
        t.target.id,
      );
  }
}
