/**
 * The traffic a store's operator and backups need, added to the store's NetworkPolicy: the operator calls its
 * instances (and the instances call the API server and export metrics), and backups leave for the region's object
 * store over HTTPS (S3 endpoints and VPC endpoints alike, so any address on 443). The pods of a backup CronJob and
 * of its restore twin reach the store they dump or load.
 */
import type {
  IIoK8sApiNetworkingV1NetworkPolicyEgressRule as EgressRule,
  IIoK8sApiNetworkingV1NetworkPolicyIngressRule as IngressRule,
} from "kubernetes-models/networking.k8s.io/v1";
import type { StoreComponent } from "../describe/types.ts";
import type { ResolvedTarget } from "../model/target.ts";
import { engineOf } from "../stores/index.ts";
import { backupJobName, hasBackupJob, hasRestoreJob, restoreJobName } from "./backup-jobs.ts";
import { namespacePeer } from "./naming.ts";
import { scraperPeer } from "./prometheus-stack.ts";
import { objectName, selectorLabels } from "./naming.ts";

const ANYWHERE = [{ ipBlock: { cidr: "0.0.0.0/0" } }];

/** Who may reach a store besides its clients: its operator, the metrics scraper, its backup CronJob. */
export function storeBackupIngress(target: ResolvedTarget, key: string, c: StoreComponent): IngressRule[] {
  const out: IngressRule[] = [];
  const operator = engineOf(c).operator;
  if (operator) {
    out.push({
      from: [namespacePeer(operator.namespace)],
      ports: operator.ports.map((port) => ({ protocol: "TCP", port })),
    });
    // Whichever Prometheus scrapes the platform (its own, or the cluster's) reads the instances' exporter.
    out.push({ from: [scraperPeer(target)], ports: [{ protocol: "TCP", port: operator.metricsPort }] });
  }
  if (hasBackupJob(target, c)) {
    const engine = engineOf(c);
    const name = objectName(target, key);
    const jobs = [backupJobName(name), ...(hasRestoreJob(target, c) ? [restoreJobName(name)] : [])];
    const all = { ...engine.ports, ...(engine.peerPorts ?? {}) };
    const ports = Object.values(all).map((port) => ({ protocol: "TCP" as const, port }));
    out.push({ from: jobs.map((job) => ({ podSelector: { matchLabels: selectorLabels(target, job) } })), ports });
  }
  return out;
}

/**
 * Where a store's own pods go besides its peers: the API server (operator-run instances), the object store (operator
 * archiving, or a restore the store fetches itself from a presigned URL).
 */
export function storeBackupEgress(target: ResolvedTarget, c: StoreComponent): EgressRule[] {
  const out: EgressRule[] = [];
  const engine = engineOf(c);
  const operator = engine.operator;
  if (!operator && engine.restoreFetch === "presign" && engine.restore && hasBackupJob(target, c))
    out.push({ to: ANYWHERE, ports: [{ protocol: "TCP", port: 443 }] });
  if (operator)
    out.push({
      to: ANYWHERE,
      ports: [
        { protocol: "TCP", port: 443 },
        { protocol: "TCP", port: 6443 },
      ],
    });
  return out;
}
