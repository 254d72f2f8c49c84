/**
 * The namespace a platform runs in, enforcing Pod Security `restricted`, and
 * a ResourceQuota sized from the description: every workload at its
 * autoscale maximum, so the quota never stops an HPA from scaling.
 */
import { Namespace } from "kubernetes-models/v1/Namespace";
import { ResourceQuota } from "kubernetes-models/v1/ResourceQuota";
import type { ResolvedTarget } from "../resolve.ts";
import { canonicalQuantity, parseQuantity } from "../quantity.ts";
import { platformLabels } from "./naming.ts";
import { plain, type RenderedObject } from "./objects.ts";

/** A sum in nano-units as a canonical quantity; byte amounts keep a binary suffix. */
function sumToQuantity(nanos: bigint, bytes: boolean): string {
  if (bytes && nanos % 1_000_000_000n === 0n) {
    const b = nanos / 1_000_000_000n;
    return b % 1024n === 0n ? canonicalQuantity(`${b / 1024n}Ki`) : String(b);
  }
  return canonicalQuantity(`${nanos}n`);
}

/** Peak usage of the platform: the sum over workloads of (maximum replicas × per-pod amount). */
export function peakUsage(target: ResolvedTarget): Record<string, string> {
  const sums = new Map<string, bigint>();
  const add = (key: string, amount: string | undefined, count: number) => {
    if (amount === undefined) return;
    sums.set(key, (sums.get(key) ?? 0n) + parseQuantity(amount).nanos * BigInt(count));
  };
  let pods = 0;
  let claims = 0;
  for (const c of Object.values(target.components)) {
    const max = c.type === "service" && c.autoscale ? c.autoscale.max : c.replicas;
    pods += max;
    add("requests.cpu", c.resources.requests?.cpu, max);
    add("requests.memory", c.resources.requests?.memory, max);
    add("limits.cpu", c.resources.limits?.cpu, max);
    add("limits.memory", c.resources.limits?.memory, max);
    if (c.type === "store") {
      add("requests.storage", c.storage, c.replicas);
      claims += c.replicas;
    }
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
      object: plain(
        new Namespace({
          metadata: {
            name: target.namespace,
            labels: {
              ...platformLabels(target, "namespace"),
              "pod-security.kubernetes.io/enforce": "restricted",
              "pod-security.kubernetes.io/audit": "restricted",
              "pod-security.kubernetes.io/warn": "restricted",
              // Sidecar injection; under Pod Security `restricted` the cluster needs Istio's CNI plugin (no init container with NET_ADMIN).
              ...(target.mesh ? { "istio-injection": "enabled" } : {}),
            },
          },
        }),
      ),
    },
  ];
  if (target.policy.resourceQuota) {
    out.push({
      band: "foundation",
      object: plain(new ResourceQuota({ metadata: { name: target.platform, namespace: target.namespace, labels: platformLabels(target, "quota") }, spec: { hard: peakUsage(target) } })),
    });
  }
  return out;
}
