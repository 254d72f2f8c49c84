/**
 * The namespace a platform runs in, enforcing Pod Security `restricted`, and
 * a ResourceQuota sized from the description: every workload at its
 * autoscale maximum, so the quota never stops an HPA from scaling, plus every
 * rolling-update surge, Job and CronJob pod, so a rollout at full scale is never
 * refused its new pods, and a spare claim of each kind, so a volume can be replaced.
 */
import { Namespace } from "kubernetes-models/v1/Namespace";
import { ResourceQuota } from "kubernetes-models/v1/ResourceQuota";
import type { ResolvedTarget } from "../model/target.ts";
import { canonicalQuantity, parseQuantity } from "../quantity.ts";
import { platformLabels } from "./naming.ts";
import { ISTIO_SIDECAR } from "./mesh.ts";
import { CONFIG_RELOADER } from "./prometheus-stack.ts";
import { make } from "./objects.ts";
import { componentSurge } from "./surge.ts";
import { ENGINES } from "../stores/index.ts";
import { BACKUP_JOB_RESOURCES, hasBackupJob, hasRestoreJob, restoreResources } from "./backup-jobs.ts";
import { failoverWorkloads } from "./sentinel.ts";
import { type RenderedObject } from "../model/object.ts";

/** A sum in nano-units as a canonical quantity; byte amounts keep a binary suffix. */
function sumToQuantity(nanos: bigint, bytes: boolean): string {
  if (bytes && nanos % 1_000_000_000n === 0n) {
    const b = nanos / 1_000_000_000n;
    return b % 1024n === 0n ? canonicalQuantity(`${b / 1024n}Ki`) : String(b);
  }
  return canonicalQuantity(`${nanos}n`);
}

/**
 * Peak usage of the platform: every pod that can exist at once and every claim, with room to replace volumes.
 * - pods: each workload at its maximum (an HPA's), plus each one's rolling-update surge (a sync rolls every
 *   Deployment of a wave together, so the surges add up), an operator-run store's join pod (CloudNativePG creates or
 *   re-joins one instance at a time with a Job pod of an instance's size; its backups run inside the instances), the
 *   failover workloads, the Prometheus stack, one pod per backup and restore CronJob (`Forbid`: one run at a time),
 *   the hook Jobs, and the mesh's sidecars on the pods that carry one;
 * - claims and `requests.storage`: every claim, plus one spare claim of each kind (each store's member or instance
 *   volume, each standalone volume, each Prometheus-stack part), so an operator re-creating an instance on a fresh
 *   volume, a replaced claim or the largest claim's resize is admitted while the old one still counts.
 */
export function peakUsage(target: ResolvedTarget): Record<string, string> {
  const sums = new Map<string, bigint>();
  const add = (key: string, amount: string | undefined, count: number) => {
    if (amount === undefined) return;
    sums.set(key, (sums.get(key) ?? 0n) + parseQuantity(amount).nanos * BigInt(count));
  };
  let pods = 0;
  let claims = 0;
  /** One claim of a kind: `count` of them exist, and one more may be made beside them. */
  const claim = (storage: string, count: number) => {
    add("requests.storage", storage, count + 1);
    claims += count + 1;
  };
  let surgePods = 0;
  for (const c of Object.values(target.components)) {
    const max = c.type === "service" && c.autoscale ? c.autoscale.max : c.replicas;
    pods += max;
    // A VPA that applies its recommendations may raise requests up to its maximum.
    const vpaMax = c.verticalScaling && c.verticalScaling.mode !== "Off" ? c.verticalScaling.max : undefined;
    add("requests.cpu", vpaMax?.cpu ?? c.resources.requests?.cpu, max);
    add("requests.memory", vpaMax?.memory ?? c.resources.requests?.memory, max);
    add("limits.cpu", c.resources.limits?.cpu, max);
    add("limits.memory", c.resources.limits?.memory, max);
    const extra = componentSurge(c);
    surgePods += extra;
    add("requests.cpu", vpaMax?.cpu ?? c.resources.requests?.cpu, extra);
    add("requests.memory", vpaMax?.memory ?? c.resources.requests?.memory, extra);
    add("limits.cpu", c.resources.limits?.cpu, extra);
    add("limits.memory", c.resources.limits?.memory, extra);
    if (c.type === "store") {
      claim(c.storage, c.replicas);
      // An exporter sidecar on each member.
      const exporter = ENGINES[c.engine].exporter?.resources;
      for (const r of exporter ? [exporter] : []) {
        add("requests.cpu", r.requests.cpu, c.replicas);
        add("requests.memory", r.requests.memory, c.replicas);
        add("limits.cpu", r.limits.cpu, c.replicas);
        add("limits.memory", r.limits.memory, c.replicas);
      }
      // Failover's own workloads (Redis's sentinels and HAProxy), with the surge of a rolling update.
      for (const w of failoverWorkloads(target, c)) {
        pods += w.replicas;
        add("requests.cpu", w.resources.requests.cpu, w.replicas);
        add("requests.memory", w.resources.requests.memory, w.replicas);
        add("limits.cpu", w.resources.limits.cpu, w.replicas);
        add("limits.memory", w.resources.limits.memory, w.replicas);
        surgePods += w.surge;
        add("requests.cpu", w.resources.requests.cpu, w.surge);
        add("requests.memory", w.resources.requests.memory, w.surge);
        add("limits.cpu", w.resources.limits.cpu, w.surge);
        add("limits.memory", w.resources.limits.memory, w.surge);
      }
    }
  }
  // Platform-wide workloads and claims: standalone volumes, the Prometheus stack (with the operator's config-reloader).
  for (const v of Object.values(target.volumes ?? {})) claim(v.storage, 1);
  const stack = target.prometheusStack;
  if (stack) {
    for (const part of [stack.prometheus, stack.alertmanager]) {
      pods += part.replicas;
      for (const r of [part.resources, CONFIG_RELOADER]) {
        add("requests.cpu", r.requests?.cpu, part.replicas);
        add("requests.memory", r.requests?.memory, part.replicas);
        add("limits.cpu", r.limits?.cpu, part.replicas);
        add("limits.memory", r.limits?.memory, part.replicas);
      }
      claim(part.storage, part.replicas);
    }
  }
  pods += surgePods;
  // Every pod in the mesh carries Istio's sidecar (surge pods included).
  if (target.mesh) {
    add("requests.cpu", ISTIO_SIDECAR.requests.cpu, pods);
    add("requests.memory", ISTIO_SIDECAR.requests.memory, pods);
    add("limits.cpu", ISTIO_SIDECAR.limits.cpu, pods);
    add("limits.memory", ISTIO_SIDECAR.limits.memory, pods);
  }
  // Backup CronJobs (all may run at once) and their restore twins: one pod each, in the mesh (with its sidecar) when
  // the platform has one, since a STRICT store admits only mesh traffic.
  for (const c of Object.values(target.components)) {
    if (c.type !== "store" || !hasBackupJob(target, c)) continue;
    const jobs = hasRestoreJob(target, c) ? 2 : 1;
    pods += jobs;
    add("requests.cpu", BACKUP_JOB_RESOURCES.requests.cpu, 1);
    add("requests.memory", BACKUP_JOB_RESOURCES.requests.memory, 1);
    add("limits.cpu", BACKUP_JOB_RESOURCES.limits.cpu, 1);
    add("limits.memory", BACKUP_JOB_RESOURCES.limits.memory, 1);
    if (jobs === 2) {
      // A restore that holds the data in memory runs with the store's resources, after its small download step: the
      // pod needs the larger of the two, resource by resource (as the scheduler counts an init container).
      const r = restoreResources(target, c) ?? BACKUP_JOB_RESOURCES;
      const larger = (a: string | undefined, b: string) =>
        a !== undefined && parseQuantity(a).nanos > parseQuantity(b).nanos ? a : b;
      add("requests.cpu", larger(r.requests?.cpu, BACKUP_JOB_RESOURCES.requests.cpu), 1);
      add("requests.memory", larger(r.requests?.memory, BACKUP_JOB_RESOURCES.requests.memory), 1);
      add("limits.cpu", larger(r.limits?.cpu, BACKUP_JOB_RESOURCES.limits.cpu), 1);
      add("limits.memory", larger(r.limits?.memory, BACKUP_JOB_RESOURCES.limits.memory), 1);
    }
    if (target.mesh) {
      add("requests.cpu", ISTIO_SIDECAR.requests.cpu, jobs);
      add("requests.memory", ISTIO_SIDECAR.requests.memory, jobs);
      add("limits.cpu", ISTIO_SIDECAR.limits.cpu, jobs);
      add("limits.memory", ISTIO_SIDECAR.limits.memory, jobs);
    }
  }
  // Hook Jobs run one pod each, outside the mesh (a sidecar would keep a Job from completing).
  for (const hook of Object.values(target.hooks)) {
    pods += 1;
    add("requests.cpu", hook.resources.requests?.cpu, 1);
    add("requests.memory", hook.resources.requests?.memory, 1);
    add("limits.cpu", hook.resources.limits?.cpu, 1);
    add("limits.memory", hook.resources.limits?.memory, 1);
  }
  const hard: Record<string, string> = {};
  for (const [key, nanos] of [...sums.entries()].sort()) {
    hard[key] = sumToQuantity(nanos, !key.endsWith("cpu"));
  }
  hard["pods"] = String(pods);
  if (claims) hard["persistentvolumeclaims"] = String(claims);
  return hard;
}

/** The Namespace and, where the environment asks for one, the ResourceQuota. */
export function buildNamespace(target: ResolvedTarget): RenderedObject[] {
  const out: RenderedObject[] = [
    {
      band: "foundation",
      object: make(Namespace, {
        metadata: {
          name: target.namespace,
          labels: {
            ...platformLabels(target, "namespace"),
            "pod-security.kubernetes.io/enforce": "restricted",
            "pod-security.kubernetes.io/audit": "restricted",
            "pod-security.kubernetes.io/warn": "restricted",
            // Sidecar injection; under Pod Security `restricted` the cluster needs Istio's CNI plugin (no init
            // container with NET_ADMIN).
            ...(target.mesh ? { "istio-injection": "enabled" } : {}),
          },
        },
      }),
    },
  ];
  if (target.policy.resourceQuota) {
    out.push({
      band: "foundation",
      object: make(ResourceQuota, {
        metadata: { name: target.platform, namespace: target.namespace, labels: platformLabels(target, "quota") },
        spec: { hard: peakUsage(target) },
      }),
    });
  }
  return out;
}
