import type { RenderedObject } from "../../model/object.ts";
import { isQuantity, parseQuantity } from "../../quantity.ts";
import { surgePods } from "../../blocks/surge.ts";
import type { Rule } from "../context.ts";
import { scalerOf } from "../../kube/specs.ts";
import { num, obj, objects, str, type JsonObject } from "../../kube/loose.ts";

const KEYS = ["requests.cpu", "requests.memory", "limits.cpu", "limits.memory"] as const;
type Key = (typeof KEYS)[number] | "pods";
type Amounts = Record<Key, bigint>;
const GIB = 1024n ** 3n * 1_000_000_000n;

const zero = (): Amounts => ({
  pods: 0n,
  "requests.cpu": 0n,
  "requests.memory": 0n,
  "limits.cpu": 0n,
  "limits.memory": 0n,
});
const quantity = (v: unknown) => (typeof v === "string" && isQuantity(v) ? parseQuantity(v).nanos : 0n);
const amount = (resources: unknown, key: (typeof KEYS)[number]) => {
  const [kind, resource] = key.split(".");
  return quantity(obj(obj(resources)[kind])[resource]);
};

/** What one pod needs: its containers' sum, or its largest init container when more (as the scheduler counts). */
function perPod(podSpec: JsonObject): Amounts {
  const out = zero();
  out.pods = 1n;
  for (const key of KEYS) {
    const sum = objects(podSpec.containers).reduce((s, [c]) => s + amount(c.resources, key), 0n);
    const init = objects(podSpec.initContainers).reduce(
      (m, [c]) => (amount(c.resources, key) > m ? amount(c.resources, key) : m),
      0n,
    );
    out[key] = sum > init ? sum : init;
  }
  return out;
}

/** A pod of one container with `resources` (a CloudNativePG instance, or its join Job's pod). */
function podOf(resources: unknown): Amounts {
  const out = zero();
  out.pods = 1n;
  for (const key of KEYS) out[key] = amount(resources, key);
  return out;
}

/**
 * The pods one object can run at once, as (pod, count at full scale, count while it rolls out on top): a Deployment
 * at its HPA's maximum plus its rolling-update surge, a StatefulSet's replicas, a Job's parallelism, a CronJob's one
 * run (two with `Allow`), a CloudNativePG Cluster's instances plus the Job pod that creates or joins one.
 */
function podsOf(o: RenderedObject, all: RenderedObject[]): { pod: Amounts; max: number; surge: number } | undefined {
  const spec = obj(o.object.spec);
  const template = (t: unknown) => perPod(obj(obj(t).spec));
  switch (o.object.kind) {
    case "Job":
      return { pod: template(spec.template), max: num(spec.parallelism) ?? 1, surge: 0 };
    case "CronJob": {
      const job = obj(obj(spec.jobTemplate).spec);
      const runs = spec.concurrencyPolicy === "Allow" || spec.concurrencyPolicy === undefined ? 2 : 1;
      return { pod: template(job.template), max: runs * (num(job.parallelism) ?? 1), surge: 0 };
    }
    case "Cluster":
      if (!o.object.apiVersion.startsWith("postgresql.cnpg.io/")) return undefined;
      return { pod: podOf(spec.resources), max: num(spec.instances) ?? 1, surge: 1 };
    case "Deployment":
    case "StatefulSet": {
      const hpa = scalerOf(o, all);
      const max = (hpa ? num(obj(hpa.object.spec).maxReplicas) : num(spec.replicas)) ?? 1;
      const strategy = obj(spec.strategy);
      const maxSurge = obj(strategy.rollingUpdate).maxSurge;
      const rolling = o.object.kind === "Deployment" && strategy.type !== "Recreate";
      const surge = typeof maxSurge === "number" || typeof maxSurge === "string" ? maxSurge : undefined;
      return { pod: template(spec.template), max, surge: rolling ? surgePods(surge, max) : 0 };
    }
    default:
      return undefined;
  }
}

/** One kind of claim: its size and how many exist; `recreated` when an operator makes a replacement by itself. */
interface Claims {
  size: bigint;
  count: number;
  recreated: boolean;
}

/** The claims an object makes: a PVC, a StatefulSet's templates, a CloudNativePG Cluster's, a Prometheus stack's. */
function claimsOf(o: RenderedObject): Claims[] {
  const spec = obj(o.object.spec);
  const { kind, apiVersion } = o.object;
  const requested = (claimSpec: unknown) => quantity(obj(obj(obj(claimSpec).resources).requests).storage);
  if (kind === "PersistentVolumeClaim") return [{ size: requested(spec), count: 1, recreated: false }];
  if (kind === "StatefulSet")
    return objects(spec.volumeClaimTemplates).map(([t]) => ({
      size: requested(t.spec),
      count: num(spec.replicas) ?? 1,
      recreated: false,
    }));
  if (kind === "Cluster" && apiVersion.startsWith("postgresql.cnpg.io/"))
    return [spec.storage, spec.walStorage]
      .filter((s) => s !== undefined)
      .map((s) => ({ size: quantity(obj(s).size), count: num(spec.instances) ?? 1, recreated: true }));
  if ((kind === "Prometheus" || kind === "Alertmanager") && apiVersion.startsWith("monitoring.coreos.com/")) {
    const template = obj(obj(spec.storage).volumeClaimTemplate);
    return template.spec ? [{ size: requested(template.spec), count: num(spec.replicas) ?? 1, recreated: false }] : [];
  }
  return [];
}

/** A quota's value of `key` in its unit (a count for pods and claims), or undefined when it sets none. */
function hardOf(hard: JsonObject, key: string): { text: string; value: bigint } | undefined {
  const text = str(hard[key]) ?? (typeof hard[key] === "number" ? String(hard[key]) : undefined);
  if (text === undefined || !isQuantity(text)) return undefined;
  const nanos = parseQuantity(text).nanos;
  return { text, value: key === "pods" || key === "persistentvolumeclaims" ? nanos / 1_000_000_000n : nanos };
}

/**
 * Quota headroom: a ResourceQuota admits every pod that can exist at once, namely every workload at its maximum scale
 * with its rolling-update surge (a sync rolls every Deployment together, so surges add up), every Job, every
 * CronJob's run, each CloudNativePG instance and its join pod; and it leaves room to replace a volume: storage for
 * the largest claim (or one instance volume of each CloudNativePG kind, if more) and a spare claim per CloudNativePG
 * volume kind (at least one) beside the claims that exist. Sidecars and operator-made pods other than CloudNativePG's
 * are not in the objects, so this is a lower bound.
 */
export const quotaHeadroomRule: Rule = {
  name: "quota-headroom",
  description: "ResourceQuotas admit every pod that can run at once and leave room to replace a volume",
  check(ctx, report) {
    const nsOf = (o: RenderedObject) => o.object.metadata.namespace ?? ctx.target.namespace;
    for (const quota of ctx.objects) {
      if (quota.object.kind !== "ResourceQuota") continue;
      const ns = nsOf(quota);
      const scale = zero();
      const surge = zero();
      let claimed = 0n;
      let claimCount = 0n;
      let largest = 0n;
      let operatorSpare = 0n;
      let operatorKinds = 0n;
      for (const o of ctx.objects) {
        if (nsOf(o) !== ns) continue;
        const pods = podsOf(o, ctx.objects);
        if (pods)
          for (const key of ["pods", ...KEYS] as const) {
            scale[key] += pods.pod[key] * BigInt(pods.max);
            surge[key] += pods.pod[key] * BigInt(pods.surge);
          }
        for (const c of claimsOf(o)) {
          claimed += c.size * BigInt(c.count);
          claimCount += BigInt(c.count);
          if (c.size > largest) largest = c.size;
          if (c.recreated) {
            operatorSpare += c.size;
            operatorKinds += 1n;
          }
        }
      }
      const hard = obj(obj(quota.object.spec).hard);
      for (const key of ["pods", ...KEYS] as const) {
        const have = hardOf(hard, key);
        const total = scale[key] + surge[key];
        if (have && total > 0n && have.value < total)
          report(quota, {
            pointer: `/spec/hard/${key}`,
            message: `${key} ${have.text} refuses pods that can run at once: the workloads at full scale, the Jobs and CronJobs need ${describe(key, scale[key])}, every rolling-update surge ${describe(key, surge[key])} more (${describe(key, total)} in all)`,
            fix: "size the quota for every workload at its maximum plus every maxSurge, Job and CronJob run",
          });
      }
      if (claimCount === 0n) continue;
      const spare = operatorSpare > largest ? operatorSpare : largest;
      const storage = hardOf(hard, "requests.storage");
      if (storage && storage.value < claimed + spare)
        report(quota, {
          pointer: "/spec/hard/requests.storage",
          message: `requests.storage ${storage.text} leaves no room to replace a volume: the claims take ${gib(claimed)}, a replacement beside them ${gib(spare)} more (${gib(claimed + spare)} in all)`,
          fix: "add the largest claim (and one instance volume of each CloudNativePG kind) to the quota",
        });
      const spareClaims = operatorKinds > 1n ? operatorKinds : 1n;
      const count = hardOf(hard, "persistentvolumeclaims");
      if (count && count.value < claimCount + spareClaims)
        report(quota, {
          pointer: "/spec/hard/persistentvolumeclaims",
          message: `persistentvolumeclaims ${count.text} leaves no room to replace a volume: ${claimCount} claims exist, and a replacement (CloudNativePG re-creating an instance on a fresh volume) needs ${spareClaims} more (${claimCount + spareClaims} in all)`,
          fix: "allow a spare claim of each kind an operator re-creates (at least one) beyond the claims",
        });
    }
  },
};

/** An amount in readable units: pods as a count, CPU in millicores, memory in MiB. */
function describe(key: Key, nanos: bigint): string {
  if (key === "pods") return String(nanos);
  if (key.endsWith("cpu")) return `${nanos / 1_000_000n}m`;
  return `${nanos / 1_000_000_000n / 1048576n}Mi`;
}

/** Storage in GiB (rounded up). */
function gib(nanos: bigint): string {
  return `${(nanos + GIB - 1n) / GIB}Gi`;
}
