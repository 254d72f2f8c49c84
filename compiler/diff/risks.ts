/**
 * Risk flags for a reviewer: the changes that hurt. The worst first: a
 * cluster registration dropped or changed, which can take every Application
 * on that cluster (and its workloads and volumes) with it. Immutable-field changes
 * (and a claim that shrinks) make Argo CD's sync fail: they are the high risks,
 * each with the runbook that ships it; deleting a StatefulSet, PVC or Namespace loses
 * data; production replica or resource reductions cut capacity; a sync-wave
 * change reorders the rollout; a Secret reference change can break a pod or
 * expose the wrong secret; a chart version change (an add-on's Application
 * or a hydrated object) upgrades cluster software every platform relies on.
 * Moving a database's primary role to another region is the highest risk of all.
 */
import fastJsonPatch from "fast-json-patch";
import { compareQuantities, isQuantity } from "../quantity.ts";
import type { ObjectChange, ParsedYaml } from "./objects.ts";
import {
  CHART_ANNOTATION,
  CLUSTER_SECRET_TYPE,
  HOOK_ANNOTATION,
  SECRET_TYPE_LABEL,
  WAVE_ANNOTATION,
} from "../sync/annotations.ts";
import { primaryMove } from "./primary-move.ts";

const { getValueByPointer } = fastJsonPatch;

export type RiskRule =
  | "primary-move"
  | "cluster-removal"
  | "immutable-field"
  | "data-loss"
  | "production-reduction"
  | "wave-reorder"
  | "secret-reference"
  | "chart-version";

export interface Risk {
  rule: RiskRule;
  /** What changes, e.g. `spec.selector`. */
  message: string;
  /** How to ship the change by hand when Argo CD cannot (immutable fields). */
  runbook?: string;
}

/** Fields the API server refuses to change in place, by kind (JSON pointers). */
export const IMMUTABLE_FIELDS: Record<string, string[]> = {
  StatefulSet: ["/spec/selector", "/spec/serviceName", "/spec/volumeClaimTemplates", "/spec/podManagementPolicy"],
  Deployment: ["/spec/selector"],
  Service: ["/spec/clusterIP", "/spec/clusterIPs"],
  Job: ["/spec/template", "/spec/selector"],
  PersistentVolumeClaim: [
    "/spec/storageClassName",
    "/spec/accessModes",
    "/spec/volumeMode",
    "/spec/volumeName",
    "/spec/selector",
    "/spec/dataSource",
    "/spec/dataSourceRef",
  ],
};

/** How to ship an immutable-field change of each kind, `<ns>`/`<name>` filled in from the object. */
const RUNBOOKS: Record<string, string> = {
  StatefulSet:
    "kubectl -n <ns> delete statefulset <name> --cascade=orphan (its pods and volumes keep running), then sync the Application: the new StatefulSet adopts the pods; a volumeClaimTemplates change reaches only new claims, so resize or migrate the existing PVCs separately",
  Deployment:
    "kubectl -n <ns> delete deployment <name> --cascade=orphan, then sync the Application (the old ReplicaSet's pods stay until the new selector's pods are Ready; then delete the old ReplicaSet)",
  Service: "kubectl -n <ns> delete service <name>, then sync the Application at once (the Service is gone in between)",
  Job: "kubectl -n <ns> delete job <name> (a finished Job's pods are done), then sync the Application: it creates the Job anew",
  PersistentVolumeClaim:
    "a claim cannot change class, mode or source in place: create a claim under a new name, copy the data (a backup and restore, or a copy Job), point the workload at it, then delete the old claim",
};

function runbookOf(kind: string, o: ParsedYaml): string | undefined {
  return RUNBOOKS[kind]
    ?.replace("<ns>", o?.metadata?.namespace ?? "<namespace>")
    .replace("<name>", o?.metadata?.name ?? "<name>");
}

/** The storage a PVC asks for, before and after, when it shrinks (the API server refuses that). */
function claimShrink(kind: string, before: ParsedYaml, after: ParsedYaml): string | undefined {
  if (kind !== "PersistentVolumeClaim") return undefined;
  const old = before?.spec?.resources?.requests?.storage;
  const now = after?.spec?.resources?.requests?.storage;
  if (!isQuantity(old) || !isQuantity(now) || compareQuantities(now, old) >= 0) return undefined;
  return `${old} → ${now}`;
}

const DATA_KINDS = new Set(["StatefulSet", "PersistentVolumeClaim", "Namespace"]);
const WAVE = WAVE_ANNOTATION;

/** True for an environment whose reductions are flagged. */
export function isProduction(environment: string): boolean {
  return /^prod/i.test(environment);
}

function dotted(pointer: string): string {
  return pointer.replace(/^\//, "").split("/").join(".");
}

function under(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(prefix + "/");
}

function valueAt(doc: unknown, pointer: string): unknown {
  try {
    return getValueByPointer(doc, pointer);
  } catch {
    return undefined;
  }
}

function podSpecs(o: ParsedYaml): [string, ParsedYaml][] {
  const out: [string, ParsedYaml][] = [];
  if (o?.spec?.template?.spec) out.push(["spec.template.spec", o.spec.template.spec]);
  if (o?.spec?.jobTemplate?.spec?.template?.spec)
    out.push(["spec.jobTemplate.spec.template.spec", o.spec.jobTemplate.spec.template.spec]);
  return out;
}

function resourceReductions(before: ParsedYaml, after: ParsedYaml): string[] {
  const out: string[] = [];
  const afterSpecs = new Map(podSpecs(after));
  for (const [at, spec] of podSpecs(before)) {
    const next = afterSpecs.get(at);
    if (!next) continue;
    for (const list of ["initContainers", "containers"]) {
      for (const c of spec[list] ?? []) {
        const n = (next[list] ?? []).find((x: ParsedYaml) => x.name === c.name);
        if (!n) continue;
        for (const kind of ["requests", "limits"]) {
          for (const [res, old] of Object.entries<ParsedYaml>(c.resources?.[kind] ?? {})) {
            const now = n.resources?.[kind]?.[res];
            if (now === undefined || !isQuantity(old) || !isQuantity(now)) continue;
            if (compareQuantities(now, old) < 0) out.push(`container ${c.name} ${kind}.${res} ${old} → ${now}`);
          }
        }
      }
    }
  }
  return out;
}

const SECRET_KEYS = /"(secretKeyRef|secretRef|secretName)"/;

function touchesSecretRef(change: ObjectChange): string[] {
  const paths = new Set<string>();
  for (const op of change.patch) {
    const old = op.op === "remove" || op.op === "replace" ? valueAt(change.before, op.path) : undefined;
    const value = "value" in op ? op.value : undefined;
    if (
      /\/(secretKeyRef|secretRef|secretName)(\/|$)/.test(op.path) ||
      SECRET_KEYS.test(JSON.stringify(value ?? null)) ||
      SECRET_KEYS.test(JSON.stringify(old ?? null))
    )
      paths.add(dotted(op.path));
  }
  return [...paths];
}

/** `chart X: 1.0.0 → 1.1.0` when an Application's Helm chart or a hydrated object's chart changes version. */
function chartVersionChange(before: ParsedYaml, after: ParsedYaml): string | undefined {
  const source = (o: ParsedYaml) => o?.spec?.source;
  if (source(before)?.chart && source(after)?.chart) {
    const [b, a] = [source(before), source(after)];
    if (b.chart !== a.chart || b.targetRevision !== a.targetRevision)
      return `chart ${b.chart} ${b.targetRevision} → ${a.chart} ${a.targetRevision}: an upgrade of cluster software every platform on the cluster relies on`;
  }
  const [b, a] = [before?.metadata?.annotations?.[CHART_ANNOTATION], after?.metadata?.annotations?.[CHART_ANNOTATION]];
  if (b && a && b !== a) return `hydrated from chart ${b} → ${a}: the object comes from a new chart version`;
  return undefined;
}

/** The cluster an Argo CD cluster registration registers (a cluster Secret, or an ExternalSecret templating one). */
function registeredCluster(
  o: ParsedYaml,
): { name?: string; server?: string; labels: Record<string, string> } | undefined {
  const secret =
    o?.kind === "ExternalSecret"
      ? { labels: o?.spec?.target?.template?.metadata?.labels, data: o?.spec?.target?.template?.data }
      : o?.kind === "Secret"
        ? { labels: o?.metadata?.labels, data: o?.stringData ?? {} }
        : undefined;
  if (secret?.labels?.[SECRET_TYPE_LABEL] !== CLUSTER_SECRET_TYPE) return undefined;
  return { name: secret.data?.name, server: secret.data?.server, labels: secret.labels };
}

/** A cluster registration removed, or changed in what the ApplicationSets select it by (name, server, labels). */
function clusterRemoval(change: ObjectChange): Risk | undefined {
  const before = registeredCluster(change.before);
  if (!before) return undefined;
  const what = `cluster ${before.name ?? change.name}${before.server ? ` (${before.server})` : ""}`;
  const consequence =
    "every Application on it goes once the old registration is deleted, and with their finalizers its workloads and volumes; Manifold's registrations are never pruned (Prune=false), so deleting the old one is a person's decision";
  if (change.type === "removed")
    return { rule: "cluster-removal", message: `${what} is no longer registered: ${consequence}` };
  const after = registeredCluster(change.after);
  const changed = [
    before.name !== after?.name && "name",
    before.server !== after?.server && "server",
    JSON.stringify(before.labels) !== JSON.stringify(after?.labels ?? {}) && "labels",
  ].filter(Boolean);
  if (change.type === "changed" && changed.length)
    return {
      rule: "cluster-removal",
      message: `${what} changes its ${changed.join(", ")}: the ApplicationSets may no longer select it; ${consequence}`,
    };
  return undefined;
}

/** The risks of one object change. */
export function risksOf(change: ObjectChange): Risk[] {
  const removal = clusterRemoval(change);
  const risks: Risk[] = removal ? [removal] : [];
  const { kind, type } = change;
  if (type === "removed" && DATA_KINDS.has(kind))
    risks.push({
      rule: "data-loss",
      message: `deleting a ${kind} loses data${kind === "Namespace" ? " (everything in it is deleted)" : ""}`,
    });
  if (type === "removed" && kind === "ExternalSecret")
    risks.push({
      rule: "secret-reference",
      message: "the ExternalSecret is deleted: the Secret it maintains goes away",
    });
  if (type !== "changed") return risks;
  const moved = primaryMove(change);
  if (moved) risks.push({ rule: "primary-move", message: moved });
  const paths = change.patch.map((op) => op.path);
  // A hook is deleted and created again on every sync, so its fields may change freely.
  const recreated = Boolean(change.after?.metadata?.annotations?.[HOOK_ANNOTATION]);
  const immutable = recreated ? [] : (IMMUTABLE_FIELDS[kind] ?? []).filter((f) => paths.some((p) => under(p, f)));
  if (immutable.length)
    risks.push({
      rule: "immutable-field",
      message: `${immutable.map(dotted).join(", ")} cannot change in place: the API server refuses it and Argo CD's sync fails (the object must be replaced)`,
      runbook: runbookOf(kind, change.after),
    });
  const before = change.before;
  const after = change.after;
  const shrink = claimShrink(kind, before, after);
  if (shrink)
    risks.push({
      rule: "immutable-field",
      message: `spec.resources.requests.storage shrinks (${shrink}): a claim can only grow, so the API server refuses it and Argo CD's sync fails`,
      runbook:
        "keep the claim's size, or create a smaller claim under a new name, copy the data into it, point the workload at it and delete the old claim",
    });
  const waveBefore = before?.metadata?.annotations?.[WAVE];
  const waveAfter = after?.metadata?.annotations?.[WAVE];
  if (waveBefore !== waveAfter)
    risks.push({
      rule: "wave-reorder",
      message: `sync wave ${waveBefore ?? "0 (unset)"} → ${waveAfter ?? "0 (unset)"}`,
    });
  if (isProduction(change.environment)) {
    const cuts: string[] = [];
    if (kind === "HorizontalPodAutoscaler") {
      for (const f of ["minReplicas", "maxReplicas"]) {
        const old = before?.spec?.[f];
        const now = after?.spec?.[f];
        if (typeof old === "number" && typeof now === "number" && now < old) cuts.push(`${f} ${old} → ${now}`);
      }
    }
    const oldReplicas = before?.spec?.replicas;
    const newReplicas = after?.spec?.replicas;
    if (typeof oldReplicas === "number" && typeof newReplicas === "number" && newReplicas < oldReplicas)
      cuts.push(`replicas ${oldReplicas} → ${newReplicas}`);
    cuts.push(...resourceReductions(before, after));
    if (cuts.length)
      risks.push({ rule: "production-reduction", message: `production capacity goes down: ${cuts.join("; ")}` });
  }
  const chart = chartVersionChange(before, after);
  if (chart) risks.push({ rule: "chart-version", message: chart });
  const secretPaths =
    kind === "ExternalSecret" ? paths.filter((p) => under(p, "/spec")).map(dotted) : touchesSecretRef(change);
  if (secretPaths.length)
    risks.push({
      rule: "secret-reference",
      message: `a Secret reference changes (${[...new Set(secretPaths)].slice(0, 4).join(", ")}${secretPaths.length > 4 ? ", …" : ""})`,
    });
  return risks;
}
