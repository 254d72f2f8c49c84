/**
 * Offline expansion of ApplicationSets, as the ApplicationSet controller
 * does it: the cluster generator lists the cluster Secrets that match its
 * selector (plus the forced secret-type label `cluster`), gives
 * each the parameters `name`, `nameNormalized`, `server` and, under
 * goTemplate, `metadata.labels` / `metadata.annotations` as nested maps, and
 * renders the template once per cluster. RollingSync steps are then matched
 * against the generated Applications' labels.
 */
import type { KubeObject } from "../model/object.ts";
import { renderDeep, TemplateError } from "./gotemplate.ts";
import { SECRET_TYPE_LABEL } from "./labels.ts";
import { selectorMatches, type LabelSelector, type MatchExpression } from "../kube/selectors.ts";
import { CLUSTER_SECRET_TYPE } from "../sync/annotations.ts";

/** A cluster Secret as Argo CD sees it. */
export interface ClusterSecret {
  name: string;
  server: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export type { LabelSelector, MatchExpression } from "../kube/selectors.ts";

export interface GeneratedApplication {
  applicationSet: string;
  cluster: ClusterSecret;
  application: KubeObject & { spec: ApplicationSpec };
  /** The RollingSync step (1-based) that selects it; undefined without RollingSync or when no step does. */
  step?: number;
  /** True when the ApplicationSet rolls out with RollingSync. */
  rolling: boolean;
}

export interface ApplicationSpec {
  project: string;
  source: { repoURL: string; targetRevision: string; path: string };
  destination: { server?: string; name?: string; namespace: string };
  syncPolicy?: { automated?: { prune?: boolean; selfHeal?: boolean } };
}

export interface ExpansionProblem {
  applicationSet: string;
  cluster?: string;
  message: string;
}

export { selectorMatches } from "../kube/selectors.ts";

/** Argo CD's `nameNormalized`: lower case, anything but alphanumerics, '-' and '.' becomes '-', trimmed to 253. */
export function normalizeName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9.-]/g, "-")
    .slice(0, 253)
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, "");
}

/** The parameters the cluster generator gives a template under goTemplate. */
export function clusterParams(c: ClusterSecret): Record<string, unknown> {
  const metadata: Record<string, unknown> = {};
  if (Object.keys(c.labels).length) metadata.labels = { ...c.labels };
  if (Object.keys(c.annotations).length) metadata.annotations = { ...c.annotations };
  return { name: c.name, nameNormalized: normalizeName(c.name), server: c.server, metadata };
}

/**
 * The RollingSync step (1-based) of an Application, as the controller picks
 * it: every expression must hold; on a present label `In` needs the value
 * among the values and `NotIn` needs it absent from them (other operators
 * never match); a missing label fails only `In`.
 */
export function stepOf(
  steps: { matchExpressions?: MatchExpression[] }[],
  labels: Record<string, string>,
): number | undefined {
  const i = steps.findIndex((s) =>
    (s.matchExpressions ?? []).every((e) => {
      const value = labels[e.key];
      if (value === undefined) return e.operator !== "In";
      const listed = (e.values ?? []).includes(value);
      return e.operator === "In" ? listed : e.operator === "NotIn" ? !listed : false;
    }),
  );
  return i < 0 ? undefined : i + 1;
}

/** The parts of an ApplicationSet's spec the offline expansion reads (the layer builds them). */
interface ExpandedSpec {
  goTemplate?: boolean;
  strategy?: { type?: string; rollingSync?: { steps?: { matchExpressions?: MatchExpression[] }[] } };
  generators?: Record<string, { selector?: LabelSelector } | undefined>[];
  template: { metadata: KubeObject["metadata"]; spec: ApplicationSpec };
}

/**
 * Expands every ApplicationSet for the given cluster Secrets. Problems are returned, not thrown, so a caller can report
 * them all.
 */
export function expandApplicationSets(
  appSets: KubeObject[],
  clusters: ClusterSecret[],
): { applications: GeneratedApplication[]; problems: ExpansionProblem[] } {
  const applications: GeneratedApplication[] = [];
  const problems: ExpansionProblem[] = [];
  for (const set of appSets) {
    const name = set.metadata.name;
    const spec = set.spec as ExpandedSpec;
    if (spec.goTemplate !== true)
      problems.push({
        applicationSet: name,
        message: "goTemplate must be true (Manifold's templates are Go templates)",
      });
    const rolling = spec.strategy?.type === "RollingSync";
    const steps = rolling ? (spec.strategy?.rollingSync?.steps ?? []) : [];
    for (const generator of spec.generators ?? []) {
      if (!generator.clusters) {
        problems.push({
          applicationSet: name,
          message: `unsupported generator ${Object.keys(generator).join(", ")}; offline expansion knows the cluster generator`,
        });
        continue;
      }
      const selector: LabelSelector = generator.clusters.selector ?? {};
      for (const cluster of clusters) {
        if (cluster.labels[SECRET_TYPE_LABEL] !== CLUSTER_SECRET_TYPE || !selectorMatches(selector, cluster.labels))
          continue;
        try {
          const rendered = renderDeep(spec.template, clusterParams(cluster), name);
          const application = {
            apiVersion: "argoproj.io/v1alpha1",
            kind: "Application",
            metadata: { ...rendered.metadata, namespace: set.metadata.namespace },
            spec: rendered.spec,
          };
          applications.push({
            applicationSet: name,
            cluster,
            application,
            rolling,
            step: rolling ? stepOf(steps, application.metadata.labels ?? {}) : undefined,
          });
        } catch (e) {
          if (!(e instanceof TemplateError)) throw e;
          problems.push({ applicationSet: name, cluster: cluster.name, message: e.message });
        }
      }
    }
  }
  return { applications, problems };
}
