import type { RenderedObject } from "../../model/object.ts";
import { parseQuantity } from "../../quantity.ts";
import { surgePods } from "../../blocks/surge.ts";
import type { Rule } from "../context.ts";

const KEYS = ["requests.cpu", "requests.memory", "limits.cpu", "limits.memory"] as const;
type Amounts = Record<(typeof KEYS)[number] | "pods", bigint>;

interface Container {
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}
interface WorkloadSpec {
  replicas?: number;
  parallelism?: number;
  strategy?: { type?: string; rollingUpdate?: { maxSurge?: number | string } };
  template?: { spec?: { containers?: Container[]; initContainers?: Container[] } };
}

const zero = (): Amounts => ({
  pods: 0n,
  "requests.cpu": 0n,
  "requests.memory": 0n,
  "limits.cpu": 0n,
  "limits.memory": 0n,
});
const amount = (c: Container, key: (typeof KEYS)[number]) => {
  const [kind, resource] = key.split(".") as ["requests" | "limits", string];
  const v = c.resources?.[kind]?.[resource];
  return v === undefined ? 0n : parseQuantity(v).nanos;
};

/** What one pod needs: its containers' sum, or its largest init container when more (as the scheduler counts). */
function perPod(spec: WorkloadSpec): Amounts {
  const out = zero();
  out.pods = 1n;
  for (const key of KEYS) {
    const sum = (spec.template?.spec?.containers ?? []).reduce((s, c) => s + amount(c, key), 0n);
    const init = (spec.template?.spec?.initContainers ?? []).reduce(
      (m, c) => (amount(c, key) > m ? amount(c, key) : m),
      0n,
    );
    out[key] = sum > init ? sum : init;
  }
  return out;
}

/** The most pods a workload runs (its HPA's maximum when one scales it) and the surge pods of its rolling update. */
function scale(o: RenderedObject, objects: RenderedObject[]): { max: number; surge: number } {
  const spec = o.object.spec as WorkloadSpec;
  if (o.object.kind === "Job") return { max: spec.parallelism ?? 1, surge: 0 };
  const hpa = objects.find((h) => {
    const ref = (h.object.spec as { scaleTargetRef?: { kind?: string; name?: string } } | undefined)?.scaleTargetRef;
    return (
      h.object.kind === "HorizontalPodAutoscaler" && ref?.kind === o.object.kind && ref?.name === o.object.metadata.name
    );
  });
  const max = hpa ? ((hpa.object.spec as { maxReplicas?: number }).maxReplicas ?? 1) : (spec.replicas ?? 1);
  const rolling = o.object.kind === "Deployment" && spec.strategy?.type !== "Recreate";
  return { max, surge: rolling ? surgePods(spec.strategy?.rollingUpdate?.maxSurge, max) : 0 };
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
        const pod = perPod(o.object.spec as WorkloadSpec);
        const { max, surge: extra } = scale(o, ctx.objects);
        for (const key of ["pods", ...KEYS] as const) {
          need[key] += pod[key] * BigInt(max);
          if (pod[key] * BigInt(extra) > surge[key]) surge[key] = pod[key] * BigInt(extra);
        }
      }
      const hard = ((quota.object.spec as { hard?: Record<string, string> } | undefined)?.hard ?? {}) as Record<
        string,
        string
      >;
      for (const key of ["pods", ...KEYS] as const) {
        if (hard[key] === undefined) continue;
        const have = key === "pods" ? BigInt(hard[key]) : parseQuantity(hard[key]).nanos;
        const total = need[key] + surge[key];
        if (surge[key] > 0n && have < total)
          report(quota, {
            pointer: `/spec/hard/${key}`,
            message: `${key} ${hard[key]} leaves no room for a rolling update: the workloads at full scale and the Jobs need ${describe(key, need[key])}, the largest surge ${describe(key, surge[key])} more (${describe(key, total)} in all)`,
            fix: "size the quota for every workload at its maximum plus the largest maxSurge",
          });
      }
    }
  },
};

/** An amount in readable units: pods as a count, CPU in millicores, memory in MiB. */
function describe(key: string, nanos: bigint): string {
  if (key === "pods") return String(nanos);
  if (key.endsWith("cpu")) return `${nanos / 1_000_000n}m`;
  return `${nanos / 1_000_000_000n / 1048576n}Mi`;
}
