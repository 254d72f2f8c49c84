/**
 * Ordering hazards the compiler can see, by simulating Argo CD's apply order
 * over one Application's objects:
 *
 * - a workload that reads a ConfigMap, Secret, ServiceAccount or PVC that is
 *   applied after it (a Secret made by an ExternalSecret only exists once the
 *   ExternalSecret has synced, so it must be in a strictly earlier step);
 * - a readiness dependency inside a single wave (Argo CD only waits between waves);
 * - a custom resource whose CRD this Application does not install and that
 *   lacks `SkipDryRunOnMissingResource=true` (the dry run would fail).
 */
import type { KubeObject } from "../model/object.ts";
import { PHASE_ORDER, compareSyncOrder, syncPhase, syncWave } from "./apply-order.ts";
import { apiGroup } from "./health.ts";
import { podSpecOf } from "../kube/pods.ts";
import { SKIP_DRY_RUN_OPTION } from "./annotations.ts";
import { syncOptions } from "./sync-options.ts";
import { looseSpec } from "../kube/loose.ts";

/** The fields of a CustomResourceDefinition's spec that name the kind it installs. */
interface CrdShape {
  group: string;
  names: { kind: string };
}

export interface Hazard {
  rule: "late-reference" | "missing-reference" | "same-wave-dependency" | "crd-dry-run" | "late-policy";
  severity: "error" | "warning";
  object: string;
  message: string;
}

const BUILT_IN_GROUPS = new Set([
  "",
  "apps",
  "batch",
  "autoscaling",
  "policy",
  "networking.k8s.io",
  "rbac.authorization.k8s.io",
  "storage.k8s.io",
  "scheduling.k8s.io",
  "apiextensions.k8s.io",
  "admissionregistration.k8s.io",
  "coordination.k8s.io",
  "discovery.k8s.io",
  "node.k8s.io",
  "certificates.k8s.io",
  "apiregistration.k8s.io",
  "events.k8s.io",
  "flowcontrol.apiserver.k8s.io",
]);

/** True when the object is a custom resource (its group is not built into Kubernetes). */
export function isCustomResource(o: Pick<KubeObject, "apiVersion">): boolean {
  return !BUILT_IN_GROUPS.has(apiGroup(o));
}

/** True when this set of objects installs the CRD of `o`. */
export function installsCrd(objects: KubeObject[], o: KubeObject): boolean {
  return objects.some(
    (c) =>
      c.kind === "CustomResourceDefinition" &&
      looseSpec<CrdShape>(c)?.group === apiGroup(o) &&
      looseSpec<CrdShape>(c)?.names?.kind === o.kind,
  );
}

interface Reference {
  kind: "ConfigMap" | "Secret" | "ServiceAccount" | "PersistentVolumeClaim";
  name: string;
}

/** What a pod template reads: ConfigMaps, Secrets, its ServiceAccount and PVCs. */
export function podReferences(o: KubeObject): Reference[] {
  const pod = podSpecOf(o)?.spec;
  if (!pod) return [];
  const refs: Reference[] = [];
  if (pod.serviceAccountName) refs.push({ kind: "ServiceAccount", name: pod.serviceAccountName });
  for (const v of pod.volumes ?? []) {
    if (v.configMap?.name) refs.push({ kind: "ConfigMap", name: v.configMap.name });
    if (v.secret?.secretName) refs.push({ kind: "Secret", name: v.secret.secretName });
    if (v.persistentVolumeClaim?.claimName)
      refs.push({ kind: "PersistentVolumeClaim", name: v.persistentVolumeClaim.claimName });
  }
  for (const c of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
    for (const e of c.env ?? []) {
      if (e.valueFrom?.configMapKeyRef?.name && !e.valueFrom.configMapKeyRef.optional)
        refs.push({ kind: "ConfigMap", name: e.valueFrom.configMapKeyRef.name });
      if (e.valueFrom?.secretKeyRef?.name && !e.valueFrom.secretKeyRef.optional)
        refs.push({ kind: "Secret", name: e.valueFrom.secretKeyRef.name });
    }
    for (const e of c.envFrom ?? []) {
      if (e.configMapRef?.name && !e.configMapRef.optional) refs.push({ kind: "ConfigMap", name: e.configMapRef.name });
      if (e.secretRef?.name && !e.secretRef.optional) refs.push({ kind: "Secret", name: e.secretRef.name });
    }
  }
  const seen = new Set<string>();
  return refs.filter((r) => !seen.has(r.kind + "/" + r.name) && seen.add(r.kind + "/" + r.name));
}

function step(o: KubeObject): [number, number] {
  return [PHASE_ORDER[syncPhase(o)], syncWave(o)];
}

function before(a: [number, number], b: [number, number]): boolean {
  return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
}

const WORKLOADS = new Set(["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "ReplicaSet", "Pod"]);

/**
 * Finds the hazards of one Application. `dependsOn` maps the `app.kubernetes.io/name`
 * of a workload to the names of the workloads it needs ready first.
 */
export function findHazards(objects: KubeObject[], dependsOn: Record<string, string[]> = {}): Hazard[] {
  const ordered = [...objects].sort(compareSyncOrder);
  const position = new Map(ordered.map((o, i) => [o, i]));
  return [
    ...ordered.flatMap((consumer) => [
      ...referenceHazards(ordered, position, consumer),
      ...dryRunHazards(objects, consumer),
    ]),
    ...dependencyHazards(ordered, dependsOn),
  ];
}

const id = (o: KubeObject) => `${o.kind}/${o.metadata.name}`;

/**
 * What a pod reads that Argo CD applies after it, that an ExternalSecret or a cert-manager Certificate makes too late,
 * or that nothing creates.
 */
function referenceHazards(ordered: KubeObject[], position: Map<KubeObject, number>, consumer: KubeObject): Hazard[] {
  const hazards: Hazard[] = [];
  for (const ref of podReferences(consumer)) {
    const direct = ordered.find((o) => o.kind === ref.kind && o.metadata.name === ref.name);
    const external =
      ref.kind === "Secret"
        ? ordered.find(
            (o) =>
              (o.kind === "ExternalSecret" &&
                (looseSpec<{ target: { name: string } }>(o)?.target?.name ?? o.metadata.name) === ref.name) ||
              (o.kind === "Certificate" &&
                o.apiVersion.startsWith("cert-manager.io/") &&
                looseSpec<{ secretName: string }>(o)?.secretName === ref.name),
          )
        : undefined;
    if (direct) {
      if (position.get(direct)! > position.get(consumer)!) {
        hazards.push({
          rule: "late-reference",
          severity: "error",
          object: id(consumer),
          message: `reads ${ref.kind}/${ref.name}, which Argo CD applies after it`,
        });
      }
    } else if (external) {
      if (!before(step(external), step(consumer))) {
        hazards.push({
          rule: "late-reference",
          severity: "error",
          object: id(consumer),
          message: `reads Secret/${ref.name}, made by ${external.kind}/${external.metadata.name} in the same or a later step; the Secret only exists once that ${external.kind} has synced, so it needs a strictly earlier wave`,
        });
      }
    } else if (ref.kind !== "ServiceAccount" || ref.name !== "default") {
      hazards.push({
        rule: "missing-reference",
        severity: "warning",
        object: id(consumer),
        message: `reads ${ref.kind}/${ref.name}, which this Application does not create`,
      });
    }
  }
  return hazards;
}

/** A custom resource whose CRD this Application does not install fails the dry run unless it skips it. */
function dryRunHazards(objects: KubeObject[], consumer: KubeObject): Hazard[] {
  if (!isCustomResource(consumer) || installsCrd(objects, consumer)) return [];
  if (syncOptions(consumer).includes(SKIP_DRY_RUN_OPTION)) return [];
  return [
    {
      rule: "crd-dry-run",
      severity: "warning",
      object: id(consumer),
      message: `is a custom resource whose CRD this Application does not install, and it lacks ${SKIP_DRY_RUN_OPTION}; the dry run fails while the CRD is missing`,
    },
  ];
}

/** A workload in the same or an earlier wave than a workload it depends on: Argo CD would not wait for it. */
function dependencyHazards(ordered: KubeObject[], dependsOn: Record<string, string[]>): Hazard[] {
  const hazards: Hazard[] = [];
  const workloadsNamed = (name: string) =>
    ordered.filter(
      (o) => WORKLOADS.has(o.kind) && o.metadata.labels?.["app.kubernetes.io/name"] === name && syncPhase(o) === "Sync",
    );
  for (const [name, deps] of Object.entries(dependsOn)) {
    const mine = workloadsNamed(name);
    if (mine.length === 0) continue;
    const first = Math.min(...mine.map(syncWave));
    for (const dep of deps) {
      const theirs = workloadsNamed(dep);
      if (theirs.length === 0) continue;
      const last = Math.max(...theirs.map(syncWave));
      if (last >= first) {
        hazards.push({
          rule: "same-wave-dependency",
          severity: "error",
          object: `${mine[0].kind}/${mine[0].metadata.name}`,
          message: `needs ${dep} ready, but ${dep} is in wave ${last} and this workload in wave ${first}; Argo CD only waits for health between waves`,
        });
      }
    }
  }
  return hazards;
}
