/**
 * Scheduled backups of stores that no operator runs (redis, qdrant, neo4j, the official/supabase postgres): a
 * CronJob `<name>-backup` whose init container dumps the store with the engine's own tool into an emptyDir, and whose
 * container uploads the dump to the region's object store (`<prefix>/<store>/<UTC timestamp>/`) and prunes runs
 * older than the retention. Its restore twin, `<name>-restore`, is a suspended CronJob: an operator starts it with
 * `kubectl create job --from=cronjob/<name>-restore <name>-restore-1` (see the README's disaster-recovery runbook).
 */
import type { IIoK8sApiCoreV1Container as Container, IIoK8sApiCoreV1EnvVar as EnvVar } from "kubernetes-models/v1";
import { CronJob } from "kubernetes-models/batch/v1/CronJob";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { ObjectStoreDescription, StoreComponent } from "../describe/types.ts";
import { ManifoldError } from "../errors.ts";
import type { RenderedObject } from "../model/object.ts";
import type { ResolvedTarget } from "../model/target.ts";
import { engineOf } from "../stores/index.ts";
import { objectName, selectorLabels, standardLabels } from "./naming.ts";
import { make, type Made, plain } from "./objects.ts";
import { ACCESS_KEY_ID, SECRET_ACCESS_KEY, backupOf, backupPrefix, endpointOf, targetPrefix } from "./object-store.ts";
import { canonicalResources, containerSecurity, volumeName } from "./pod.ts";
import { canonicalQuantity } from "../quantity.ts";
import { serviceAccount } from "./service.ts";
import { fromSecret } from "../stores/engine.ts";
import { AWS_CLI_IMAGE } from "../stores/tools.ts";

/** Istio's per-pod switch that injects its proxy as a Kubernetes native sidecar (Kubernetes 1.29+). */
export const NATIVE_SIDECAR_ANNOTATION = "sidecar.istio.io/nativeSidecar";

/** `<store>-backup`: the CronJob, its ServiceAccount and its NetworkPolicy. */
export function backupJobName(storeName: string): string {
  return `${storeName}-backup`;
}

/** True when the store gets a backup CronJob here: backups on, an object store, no operator, a dump tool. */
export function hasBackupJob(target: ResolvedTarget, c: StoreComponent): boolean {
  const engine = engineOf(c);
  return !engine.operator && engine.dump !== undefined && backupOf(c) !== undefined && target.objectStore !== undefined;
}

/**
 * True when the store also gets a restore CronJob here: an engine restore, and the store writable here (a replicated
 * engine's restore loads into its primary, so it runs in the primary region only).
 */
export function hasRestoreJob(target: ResolvedTarget, c: StoreComponent): boolean {
  const engine = engineOf(c);
  return hasBackupJob(target, c) && engine.restore !== undefined && (!engine.crossRegion || target.role === "primary");
}

/** How late a backup Job may start (`startingDeadlineSeconds`) and how long it may run (`activeDeadlineSeconds`). */
export const BACKUP_JOB_DEADLINES = { startSeconds: 3600, runSeconds: 3600 };

/** Each container of a backup or restore Job (they run one after the other: the pod needs one container's worth). */
export const BACKUP_JOB_RESOURCES = {
  requests: { cpu: "50m", memory: "128Mi" },
  limits: { cpu: "500m", memory: "512Mi" },
};
const SMALL = BACKUP_JOB_RESOURCES;

/**
 * The Service a dump reads from: the store's client Service, except where a replicated engine's `<name>` is an
 * ExternalName to the primary region (which takes other regions only on its TLS port, from its writers and replicas):
 * there the region's own replicas (`<name>-replica`), which hold the same data.
 */
export function dumpSource(target: ResolvedTarget, name: string, c: StoreComponent): string {
  return engineOf(c).crossRegion && target.role !== "primary" ? `${name}-replica` : name;
}

/** The member hosts of a store's StatefulSet (engines whose members each hold their own data). */
function members(target: ResolvedTarget, name: string, c: StoreComponent): string[] {
  return Array.from({ length: c.replicas }, (_, i) => `${name}-${i}.${name}-headless.${target.namespace}.svc`);
}

/** The upload step: copy /backup to a timestamped prefix, then drop runs older than the retention. */
function uploadScript(prefix: string, retentionDays: number): string {
  return [
    "set -eu",
    'run="$(date -u +%Y%m%dT%H%M%SZ)"',
    `aws s3 cp --recursive --only-show-errors /backup "${prefix}/$run/"`,
    `cutoff="$(date -u -d "-${retentionDays} days" +%Y%m%dT%H%M%SZ)"`,
    `aws s3 ls "${prefix}/" | awk '$1 == "PRE" { sub("/$", "", $2); print $2 }' | while read -r old; do`,
    `  if [ "$old" \\< "$cutoff" ]; then aws s3 rm --recursive --only-show-errors "${prefix}/$old/"; fi`,
    "done",
    'echo "uploaded $run"',
  ].join("\n");
}

/** The AWS CLI's credentials (the region's object-store Secret) and the endpoint of `store` (the region's own). */
function awsEnv(target: ResolvedTarget, store: ObjectStoreDescription = target.objectStore!): EnvVar[] {
  return [
    fromSecret("AWS_ACCESS_KEY_ID", target.objectStore!.credentials, ACCESS_KEY_ID),
    fromSecret("AWS_SECRET_ACCESS_KEY", target.objectStore!.credentials, SECRET_ACCESS_KEY),
    { name: "AWS_DEFAULT_REGION", value: store.region },
    { name: "AWS_ENDPOINT_URL_S3", value: endpointOf(store) },
    { name: "HOME", value: "/tmp" },
  ];
}

/** `<store>-restore`: the suspended CronJob an operator starts by hand to load the latest (or a chosen) backup. */
export function restoreJobName(storeName: string): string {
  return `${storeName}-restore`;
}

/** The download step of a restore: the run named by `RUN`, or the newest one, into /backup. */
function downloadScript(prefix: string): string {
  return [
    "set -eu",
    `run="\${RUN:-$(aws s3 ls "${prefix}/" | awk '$1 == "PRE" { sub("/$", "", $2); print $2 }' | sort | tail -n 1)}"`,
    'if [ -z "$run" ]; then echo "no backup under ' + prefix + '" >&2; exit 1; fi',
    `aws s3 cp --recursive --only-show-errors "${prefix}/$run/" /backup/`,
    'echo "downloaded $run"',
  ].join("\n");
}

/**
 * The presign step of a restore whose store fetches the backup itself: for each backup artifact of the run named by
 * `RUN` (or the newest), except `system`'s, a `<database> <URL>` line in /backup/seeds; each URL is valid one hour.
 */
function presignScript(prefix: string): string {
  return [
    "set -eu",
    `run="\${RUN:-$(aws s3 ls "${prefix}/" | awk '$1 == "PRE" { sub("/$", "", $2); print $2 }' | sort | tail -n 1)}"`,
    'if [ -z "$run" ]; then echo "no backup under ' + prefix + '" >&2; exit 1; fi',
    ": > /backup/seeds",
    `aws s3 ls "${prefix}/$run/" | awk '{ print $4 }' | grep '\\.backup$' | while read -r file; do`,
    `  db="$(echo "$file" | sed 's/-[0-9]\\{4\\}-[0-9][0-9]-[0-9][0-9]T.*\\.backup$//')"`,
    '  if [ "$db" = system ]; then continue; fi',
    `  echo "$db $(aws s3 presign "${prefix}/$run/$file" --expires-in 3600)" >> /backup/seeds`,
    "done",
    'if [ ! -s /backup/seeds ]; then echo "no backup artifact in run $run" >&2; exit 1; fi',
    'echo "presigned run $run: $(cut -d" " -f1 /backup/seeds | tr "\\n" " ")"',
  ].join("\n");
}

type Tool = NonNullable<ReturnType<NonNullable<ReturnType<typeof engineOf>["dump"]>>>;

/** One CronJob that runs `first` then `second` over a shared /backup emptyDir, as the restricted profile wants. */
function toolCronJob(
  target: ResolvedTarget,
  c: StoreComponent,
  name: string,
  schedule: string,
  suspend: boolean,
  steps: { first: Container; second: Container; writable: string[]; runAsUser: number; claim?: string },
): Made<typeof CronJob> {
  const labels = standardLabels(target, name, suspend ? "restore" : "backup", c);
  return make(CronJob, {
    metadata: { name, namespace: target.namespace, labels },
    spec: {
      schedule,
      timeZone: "Etc/UTC",
      ...(suspend ? { suspend: true } : {}),
      concurrencyPolicy: "Forbid",
      startingDeadlineSeconds: BACKUP_JOB_DEADLINES.startSeconds,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      jobTemplate: {
        spec: {
          backoffLimit: suspend ? 0 : 2,
          activeDeadlineSeconds: BACKUP_JOB_DEADLINES.runSeconds,
          template: {
            // In the mesh, where the store admits only mesh traffic (STRICT mTLS, callers by identity): Istio's proxy
            // runs as a native sidecar (an init container that keeps running), so it starts before the dump's init
            // container and stops when the upload ends, and the Job completes.
            metadata: target.mesh ? { labels, annotations: { [NATIVE_SIDECAR_ANNOTATION]: "true" } } : { labels },
            spec: {
              serviceAccountName: name,
              automountServiceAccountToken: false,
              restartPolicy: "Never",
              securityContext: {
                runAsNonRoot: true,
                runAsUser: steps.runAsUser,
                runAsGroup: steps.runAsUser,
                fsGroup: steps.runAsUser,
                seccompProfile: { type: "RuntimeDefault" },
              },
              initContainers: [steps.first],
              containers: [steps.second],
              volumes: [
                steps.claim
                  ? { name: "backup", persistentVolumeClaim: { claimName: steps.claim } }
                  : { name: "backup", emptyDir: { sizeLimit: canonicalQuantity(c.storage) } },
                ...steps.writable.map((p) => ({ name: volumeName(p), emptyDir: {} })),
              ],
            },
          },
        },
      },
    },
  });
}

/**
 * The restore container's resources, when the engine's restore holds the data in memory (the store's own), else
 * undefined (the small default).
 */
export function restoreResources(
  target: ResolvedTarget,
  c: StoreComponent,
): ReturnType<typeof canonicalResources> | undefined {
  if (!hasRestoreJob(target, c)) return undefined;
  // Only the resources are read: the hosts do not matter.
  const r = engineOf(c).restore?.({ spec: c, host: "", members: [] }).resources;
  return r ? canonicalResources(r) : undefined;
}

/** A container of a backup or restore Job: restricted, small unless told, /backup and its writable paths mounted. */
function stepContainer(
  name: string,
  image: string,
  script: string,
  env: EnvVar[],
  writable: string[],
  subPath?: string,
  resources: Container["resources"] = SMALL,
): Container {
  return {
    name,
    image,
    command: ["/bin/sh", "-c", script],
    env,
    resources,
    securityContext: containerSecurity(),
    volumeMounts: [
      { name: "backup", mountPath: "/backup", ...(subPath ? { subPath } : {}) },
      ...writable.map((p) => ({ name: volumeName(p), mountPath: p })),
    ],
  };
}

/** The paths a tool writes besides /backup: /tmp always, and what the engine's tool adds. */
function writableOf(tool: Tool): string[] {
  return ["/tmp", ...(tool.writablePaths ?? [])].filter((p, i, all) => all.indexOf(p) === i).sort();
}

/**
 * The backup CronJob of one store and its restore twin (suspended), their ServiceAccounts and NetworkPolicies, or
 * nothing.
 */
export function buildBackupJob(target: ResolvedTarget, key: string, c: StoreComponent): RenderedObject[] {
  if (!hasBackupJob(target, c)) return [];
  const engine = engineOf(c);
  const backup = backupOf(c)!;
  const name = objectName(target, key);
  const prefix = `${targetPrefix(target)}/${key}`;
  const ctx = {
    spec: c,
    host: `${dumpSource(target, name, c)}.${target.namespace}.svc`,
    members: members(target, name, c),
  };
  const dump = engine.dump!(ctx);
  const item = (object: unknown, band: RenderedObject["band"]): RenderedObject => ({
    object: plain(object),
    component: key,
    band,
  });
  const out: RenderedObject[] = [];
  const add = (job: string, role: string, cron: Made<typeof CronJob>) => {
    out.push(
      item(serviceAccount(target, job, standardLabels(target, job, role, c), false), "foundation"),
      item(cron, "scaling"),
    );
    if (target.policy.networkPolicies) out.push(item(backupPolicy(target, name, job, c), "foundation"));
  };
  const backupJob = backupJobName(name);
  const dumpWritable = writableOf(dump);
  const claim = stagingClaim(target, key, c);
  // On a volume, every run starts from an empty directory (a failed run may have left its dump behind).
  const dumpScript = claim ? `find /backup -mindepth 1 -delete\n${dump.script}` : dump.script;
  add(
    backupJob,
    "backup",
    toolCronJob(target, c, backupJob, backup.schedule, false, {
      first: stepContainer("dump", dump.image ?? c.image, dumpScript, dump.env, dumpWritable, claim && key),
      second: stepContainer(
        "upload",
        AWS_CLI_IMAGE,
        uploadScript(prefix, backup.retentionDays),
        awsEnv(target),
        ["/tmp"],
        claim && key,
      ),
      writable: dumpWritable,
      runAsUser: dump.runAsUser ?? engine.runAsUser,
      claim,
    }),
  );
  const restore = hasRestoreJob(target, c) ? engine.restore?.(ctx) : undefined;
  if (restore) {
    const restoreJob = restoreJobName(name);
    const restoreWritable = writableOf(restore);
    const source = restoreSource(target, key, c);
    const fetch =
      engine.restoreFetch === "presign"
        ? stepContainer("presign", AWS_CLI_IMAGE, presignScript(source.prefix), awsEnv(target, source.store), ["/tmp"])
        : stepContainer("download", AWS_CLI_IMAGE, downloadScript(source.prefix), awsEnv(target, source.store), [
            "/tmp",
          ]);
    add(
      restoreJob,
      "restore",
      // Suspended: it never runs on its schedule; `kubectl create job --from=cronjob/<name>-restore` starts it.
      toolCronJob(target, c, restoreJob, backup.schedule, true, {
        first: fetch,
        second: stepContainer(
          "restore",
          restore.image ?? c.image,
          restore.script,
          restore.env,
          restoreWritable,
          undefined,
          restore.resources ? canonicalResources(restore.resources) : SMALL,
        ),
        writable: restoreWritable,
        runAsUser: restore.runAsUser ?? engine.runAsUser,
      }),
    );
  }
  return out;
}

/**
 * Where a store's restore reads: its own backups, or, when `backup.restoreFrom` names another environment, that
 * environment's (its primary region's object store, same platform and store).
 */
function restoreSource(
  target: ResolvedTarget,
  key: string,
  c: StoreComponent,
): { prefix: string; store: ObjectStoreDescription } {
  const from = backupOf(c)?.restoreFrom;
  if (!from) return { prefix: `${targetPrefix(target)}/${key}`, store: target.objectStore! };
  const source = target.backupSources?.[from];
  if (!source?.objectStore)
    throw new ManifoldError(
      `backup.restoreFrom "${from}" names no environment whose primary region has \`backups\`; known: ${Object.keys(target.backupSources ?? {}).join(", ")}`,
      { field: `components.${key}.backup.restoreFrom`, target: target.id },
    );
  return { prefix: `${backupPrefix(source.objectStore, from, target.platform)}/${key}`, store: source.objectStore };
}

/**
 * The claim a store's backup stages on (`backup.volume`), or undefined for an emptyDir. The volume must be one of the
 * platform's, and a volume that attaches to one node at a time stages one store's backups only.
 */
function stagingClaim(target: ResolvedTarget, key: string, c: StoreComponent): string | undefined {
  const volume = backupOf(c)?.volume;
  if (!volume) return undefined;
  const field = `components.${key}.backup.volume`;
  const spec = target.volumes?.[volume];
  if (!spec)
    throw new ManifoldError(
      `names no volume of the platform; volumes: ${Object.keys(target.volumes ?? {}).join(", ") || "none"}`,
      { field, target: target.id },
    );
  const shared = (spec.accessModes ?? ["ReadWriteOnce"]).includes("ReadWriteMany");
  const others = Object.entries(target.components)
    .filter(([k, o]) => k !== key && o.type === "store" && backupOf(o)?.volume === volume)
    .map(([k]) => k);
  if (!shared && others.length)
    throw new ManifoldError(
      `volume "${volume}" is ReadWriteOnce and also stages the backups of ${others.join(", ")}: their CronJobs could run on different nodes at once; give each store its own volume`,
      { field, target: target.id },
    );
  return `${target.namePrefix}${volume}`;
}

/** The backup (or restore) pods reach the store they dump, and the object store over HTTPS. */
function backupPolicy(
  target: ResolvedTarget,
  store: string,
  job: string,
  c: StoreComponent,
): Made<typeof NetworkPolicy> {
  const engine = engineOf(c);
  const ports = Object.values({ ...engine.ports, ...(engine.peerPorts ?? {}) }).map((port) => ({
    protocol: "TCP" as const,
    port,
  }));
  return make(NetworkPolicy, {
    metadata: { name: job, namespace: target.namespace, labels: standardLabels(target, job, "network-policy") },
    spec: {
      podSelector: { matchLabels: selectorLabels(target, job) },
      policyTypes: ["Ingress", "Egress"],
      ingress: [],
      egress: [
        { to: [{ podSelector: { matchLabels: selectorLabels(target, store) } }], ports },
        { to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ protocol: "TCP", port: 443 }] },
      ],
    },
  });
}
