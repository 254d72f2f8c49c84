/**
 * Risk flags for a reviewer: the changes that hurt. Immutable-field changes
 * make Argo CD's sync fail; deleting a StatefulSet, PVC or Namespace loses
 * data; production replica or resource reductions cut capacity; a sync-wave
 * change reorders the rollout; a Secret reference change can break a pod or
 * expose the wrong secret. Moving a database's primary role to another region is the highest risk of all.
 */
import fastJsonPatch from "fast-json-patch";
import { compareQuantities, isQuantity } from "../quantity.ts";
import type { ObjectChange, ParsedYaml } from "./objects.ts";
import { HOOK_ANNOTATION, WAVE_ANNOTATION } from "../sync/annotations.ts";
import { primaryMove } from "./primary-move.ts";

const { getValueByPointer } = fastJsonPatch;

export type RiskRule =
  "primary-move" | "immutable-field" | "data-loss" | "production-reduction" | "wave-reorder" | "secret-reference";

export interface Risk {
  rule: RiskRule;
  /** What changes, e.g. `spec.selector`. */
  message: string;
}

/** Fields the API server refuses to change in place, by kind (JSON pointers). */
export const IMMUTABLE_FIELDS: Record<string, string[]> = {
  StatefulSet: ["/spec/selector", "/spec/serviceName", "/spec/volumeClaimTemplates"],
  Deployment: ["/spec/selector"],
  Service: ["/spec/clusterIP", "/spec/clusterIPs"],
  Job: ["/spec/template", "/spec/selector"],
};

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

/** The risks of one object change. */
export function risksOf(change: ObjectChange): Risk[] {
  const risks: Risk[] = [];
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
    });
  const before = change.before;
  const after = change.after;
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
  const secretPaths =
    kind === "ExternalSecret" ? paths.filter((p) => under(p, "/spec")).map(dotted) : touchesSecretRef(change);
  if (secretPaths.length)
    risks.push({
      rule: "secret-reference",
      message: `a Secret reference changes (${[...new Set(secretPaths)].slice(0, 4).join(", ")}${secretPaths.length > 4 ? ", …" : ""})`,
    });
  return risks;
}
