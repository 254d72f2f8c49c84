import type { RenderedObject } from "../../model/object.ts";
import { isQuantity, parseQuantity } from "../../quantity.ts";
import { surgePods } from "../../blocks/surge.ts";
import type { Rule } from "../context.ts";
import { scalerOf } from "../../kube/specs.ts";
import { num, obj, objects, str, type JsonObject } from "../../kube/loose.ts";

const KEYS = ["requests.cpu", "requests.memory", "limits.cpu", "limits.memory"] as const;
type Key = (typeof KEYS)[number] | "pods";
type Amounts = Record<Key, bigint>;

const zero = (): Amounts => ({
  pods: 0n,
  "requests.cpu": 0n,
  "requests.memory": 0n,
  "limits.cpu": 0n,
  "limits.memory": 0n,
});
const amount = (c: JsonObject, key: (typeof KEYS)[number]) => {
  const [kind, resource] = key.split(".");
  const v = obj(obj(c.resources)[kind])[resource];
  return typeof v === "string" && isQuantity(v) ? parseQuantity(v).nanos : 0n;
};

/** What one pod needs: its containers' sum, or its largest init container when more (as the scheduler counts). */
function perPod(podSpec: JsonObject): Amounts {
  const out = zero();
  out.pods = 1n;
  for (const key of KEYS) {
    const sum = objects(podSpec.containers).reduce((s, [c]) => s + amount(c, key), 0n);
    const init = objects(podSpec.initContainers).reduce((m, [c]) => (amount(c, key) > m ? amount(c, key) : m), 0n);
    out[key] = sum > init ? sum : init;
  }
  return out;
}

/** The most pods a workload runs (its HPA's maximum when one scales it) and the surge pods of its rolling update. */
function scale(o: RenderedObject, all: RenderedObject[]): { max: number; surge: number } {
  const spec = obj(o.object.spec);
  if (o.object.kind === "Job") return { max: num(spec.parallelism) ?? 1, surge: 0 };
  const hpa = scalerOf(o, all);
  const max = (hpa ? num(obj(hpa.object.spec).maxReplicas) : num(spec.replicas)) ?? 1;
  const strategy = obj(spec.strategy);
  const maxSurge = obj(strategy.rollingUpdate).maxSurge;
  const rolling = o.object.kind === "Deployment" && strategy.type !== "Recreate";
  const surge = typeof maxSurge === "number" || typeof maxSurge === "string" ? maxSurge : undefined;
  return { max, surge: rolling ? surgePods(surge, max) : 0 };
}

/**
 * Quota headroom: a ResourceQuota admits every workload of its namespace at its maximum scale, every Job (hooks
 * included), and the largest rolling-update surge on top; an exact max-scale sum refuses a rollout's new pods.
 * Sidecars and operator-made pods are not in the objects, so this is a lower bound.
 */
export const quotaHeadroomRule: Rule = {
  name: "quota-headroom",
  description: "ResourceQuotas leave room for the largest rolling-update surge",
  check(ctx, report) {
    for (const quota of ctx.objects) {
      if (quota.object.kind !== "ResourceQuota") continue;
      const ns = quota.object.metadata.namespace ?? ctx.target.namespace;
      const need = zero();
      const surge = zero();
      for (const o of ctx.objects) {
        if (!["Deployment", "StatefulSet", "Job"].includes(o.object.kind)) continue;
        if ((o.object.metadata.namespace ?? ctx.target.namespace) !== ns) continue;
        const pod = perPod(obj(obj(obj(o.object.spec).template).spec));
        const { max, surge: extra } = scale(o, ctx.objects);
        for (const key of ["pods", ...KEYS] as const) {
          need[key] += pod[key] * BigInt(max);
          if (pod[key] * BigInt(extra) > surge[key]) surge[key] = pod[key] * BigInt(extra);
        }
      }
      const hard = obj(obj(quota.object.spec).hard);
      for (const key of ["pods", ...KEYS] as const) {
        const value = str(hard[key]) ?? (typeof hard[key] === "number" ? String(hard[key]) : undefined);
        if (value === undefined || !isQuantity(value)) continue;
        const have = key === "pods" ? parseQuantity(value).nanos / 1_000_000_000n : parseQuantity(value).nanos;
        const total = need[key] + surge[key];
        if (surge[key] > 0n && have < total)
          report(quota, {
            pointer: `/spec/hard/${key}`,
            message: `${key} ${value} leaves no room for a rolling update: the workloads at full scale and the Jobs need ${describe(key, need[key])}, the largest surge ${describe(key, surge[key])} more (${describe(key, total)} in all)`,
            fix: "size the quota for every workload at its maximum plus the largest maxSurge",
          });
      }
    }
  },
};

/** An amount in readable units: pods as a count, CPU in millicores, memory in MiB. */
function describe(key: Key, nanos: bigint): string {
  if (key === "pods") return String(nanos);
  if (key.endsWith("cpu")) return `${nanos / 1_000_000n}m`;
  return `${nanos / 1_000_000_000n / 1048576n}Mi`;
}
