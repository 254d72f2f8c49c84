/**
 * CloudNativePG's custom resources (`postgresql.cnpg.io/v1`), typed for the fields Manifold writes. No model package
 * exists for them: tests check the rendered objects against the upstream CRD schemas. Targets CloudNativePG 1.27
 * (the in-tree `barmanObjectStore` backup and the distributed replica-cluster topology, `replica.primary`/`self`).
 */
import type { IIoK8sApiCoreV1TopologySpreadConstraint as TopologySpreadConstraint } from "kubernetes-models/v1";
import type { KubeObject } from "../model/object.ts";
import { looseSpec } from "./loose.ts";

/** A key of a Secret in the Cluster's namespace. */
export interface SecretKey {
  name: string;
  key: string;
}

/** Where barman-cloud writes base backups and WAL, or reads them (an external cluster). */
export interface BarmanObjectStore {
  destinationPath: string;
  serverName?: string;
  endpointURL?: string;
  s3Credentials: { accessKeyId: SecretKey; secretAccessKey: SecretKey };
  wal?: { compression: "gzip" | "bzip2" | "snappy"; maxParallel?: number };
  data?: { compression: "gzip" | "bzip2" | "snappy"; jobs?: number };
}

/** Another cluster this one restores or replicates from, through its object store. */
export interface ExternalCluster {
  name: string;
  barmanObjectStore: BarmanObjectStore;
}

/** The distributed topology: this cluster's name in it, the group's primary, the source it follows. */
export interface CnpgReplica {
  self: string;
  primary: string;
  source: string;
  /** The old primary's demotion token: promote only once the WAL up to it is replayed. */
  promotionToken?: string;
}

export interface CnpgCluster extends KubeObject {
  apiVersion: "postgresql.cnpg.io/v1";
  kind: "Cluster";
  spec: {
    description?: string;
    instances: number;
    imageName: string;
    primaryUpdateStrategy: "unsupervised" | "supervised";
    enablePDB: boolean;
    enableSuperuserAccess: boolean;
    inheritedMetadata: { labels: Record<string, string>; annotations?: Record<string, string> };
    storage: { size: string; storageClass?: string };
    resources: { requests?: Record<string, string>; limits?: Record<string, string> };
    topologySpreadConstraints?: TopologySpreadConstraint[];
    bootstrap:
      | {
          initdb: {
            database: string;
            owner: string;
            secret: { name: string };
            postInitApplicationSQLRefs?: { configMapRefs: { name: string; key: string }[] };
          };
        }
      | { recovery: { source: string } };
    replica?: CnpgReplica;
    /** User-provided server certificate: Secrets with `tls.crt`/`tls.key` and `ca.crt`. */
    certificates?: { serverTLSSecret: string; serverCASecret: string };
    externalClusters?: ExternalCluster[];
    backup?: { barmanObjectStore: BarmanObjectStore; retentionPolicy: string };
  };
}

export interface CnpgScheduledBackup extends KubeObject {
  apiVersion: "postgresql.cnpg.io/v1";
  kind: "ScheduledBackup";
  spec: {
    /** Six fields: CloudNativePG's cron has seconds first. */
    schedule: string;
    cluster: { name: string };
    method: "barmanObjectStore";
    backupOwnerReference: "self";
    immediate: boolean;
  };
}

/**
 * A one-off base backup (`Backup`): the primary region's first backup, which the other regions' replica clusters
 * bootstrap from. Argo CD waits for it through the health check in argocd-cm (`BACKUP_HEALTH_LUA`).
 */
export interface CnpgBackup extends KubeObject {
  apiVersion: "postgresql.cnpg.io/v1";
  kind: "Backup";
  spec: { cluster: { name: string }; method: "barmanObjectStore" };
}

type Problem = { pointer: string; message: string };

/** True for a CloudNativePG Cluster (`postgresql.cnpg.io/v1`). */
export function isCnpgCluster(o: Pick<KubeObject, "apiVersion" | "kind">): boolean {
  return o.apiVersion === "postgresql.cnpg.io/v1" && o.kind === "Cluster";
}

/** Structural checks of a Cluster (no model package validates it at compile time). */
export function checkCnpgCluster(o: KubeObject): Problem[] {
  const spec = looseSpec<CnpgCluster["spec"]>(o);
  if (!spec || typeof spec !== "object") return [{ pointer: "/spec", message: "must be an object" }];
  const problems: Problem[] = [];
  if (!Number.isInteger(spec.instances) || (spec.instances as number) < 1)
    problems.push({ pointer: "/spec/instances", message: "must be an integer of at least 1" });
  if (typeof spec.imageName !== "string" || !spec.imageName)
    problems.push({ pointer: "/spec/imageName", message: "must name the PostgreSQL image" });
  if (typeof spec.storage?.size !== "string") problems.push({ pointer: "/spec/storage/size", message: "must be set" });
  const bootstrap = spec.bootstrap as Record<string, unknown> | undefined;
  if (!bootstrap || Object.keys(bootstrap).length !== 1)
    problems.push({ pointer: "/spec/bootstrap", message: "must name exactly one method (initdb or recovery)" });
  return problems;
}

/** True for a CloudNativePG one-off Backup (`postgresql.cnpg.io/v1`). */
export function isCnpgBackup(o: Pick<KubeObject, "apiVersion" | "kind">): boolean {
  return o.apiVersion === "postgresql.cnpg.io/v1" && o.kind === "Backup";
}

/** Structural checks of a one-off Backup: the cluster it backs up. */
export function checkCnpgBackup(o: KubeObject): Problem[] {
  const spec = looseSpec<CnpgBackup["spec"]>(o);
  if (!spec || typeof spec !== "object") return [{ pointer: "/spec", message: "must be an object" }];
  return typeof spec.cluster?.name === "string" ? [] : [{ pointer: "/spec/cluster/name", message: "must be set" }];
}

/** Structural checks of a ScheduledBackup: a cluster and a six-field schedule. */
export function checkCnpgScheduledBackup(o: KubeObject): Problem[] {
  const spec = looseSpec<CnpgScheduledBackup["spec"]>(o);
  if (!spec || typeof spec !== "object") return [{ pointer: "/spec", message: "must be an object" }];
  const problems: Problem[] = [];
  if (typeof spec.cluster?.name !== "string") problems.push({ pointer: "/spec/cluster/name", message: "must be set" });
  if (typeof spec.schedule !== "string") problems.push({ pointer: "/spec/schedule", message: "must be set" });
  return problems;
}
