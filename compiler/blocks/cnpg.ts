/**
 * PostgreSQL on CloudNativePG (the `cloudnative-pg` flavor): one `Cluster` per region, with the description's
 * instance count and the operator's automatic failover inside the region, continuous WAL archiving and a
 * `ScheduledBackup` to the region's object store, a PodMonitor, and the operator's own PodDisruptionBudgets (on from
 * two instances: a single instance's budget would block every node drain).
 *
 * Across regions the clusters form CloudNativePG's distributed topology: every cluster names itself
 * (`replica.self`, `<name>-<region>`, also its archive's `serverName`), the environment's primary region's cluster as
 * `replica.primary`, and its `source`, and lists every region's object store as an external cluster. The primary
 * region's cluster is writable; the others are replica clusters that restore from, and then follow, the primary's
 * object store. The object store rather than streaming: it needs no inbound path into the primary region (nothing to
 * expose for replication), and it is already where the backups go. The cost is lag: a replica is behind by
 * the WAL not yet archived (at most `archive_timeout`, five minutes by default). Moving the primary role is an edit of
 * the region descriptions: planned, in two steps (`handover` demotes the old primary's clusters; then the role moves
 * with their demotion tokens as `promotionTokens`, and the new primary waits for that WAL before it promotes); after
 * losing a region, in one (the replica promotes at once).
 *
 * Clients keep the store's name: `<name>` is an ExternalName to the cluster's read-write Service (`<name>-rw`) in
 * the primary region, and to the primary region's endpoint elsewhere (writes go to the primary).
 */
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Service } from "kubernetes-models/v1/Service";
import type { ObjectStoreDescription, RegionRole, StoreComponent } from "../describe/types.ts";
import { ManifoldError } from "../errors.ts";
import type {
  CnpgCluster,
  CnpgReplica,
  CnpgScheduledBackup,
  BarmanObjectStore,
  ExternalCluster,
} from "../kube/cnpg.ts";
import type { KubeObject, RenderedObject } from "../model/object.ts";
import type { ResolvedTarget } from "../model/target.ts";
import { canonicalQuantity } from "../quantity.ts";
import { SKIP_DRY_RUN } from "../sync/annotations.ts";
import { engineOf } from "../stores/index.ts";
import { objectName, selectorLabels, standardLabels } from "./naming.ts";
import { make, type Made, plain } from "./objects.ts";
import { ACCESS_KEY_ID, SECRET_ACCESS_KEY, backupOf, backupPrefix, endpointOf } from "./object-store.ts";
import { canonicalResources } from "./pod.ts";
import { remoteKey, secretStoreName } from "./secrets.ts";
import { spreadConstraints } from "./spread.ts";
import { buildExposure, crossRegionSecret, crossRegionTls, serviceNames } from "./exposure.ts";
import { buildPodMonitor } from "./monitoring.ts";
import { baseBackup } from "./cnpg-base-backup.ts";
import { compareNames } from "../name-order.ts";

/** The name a region's cluster has in the distributed topology: `<name>-<region>`. */
export function topologyName(name: string, region: string): string {
  return `${name}-${region}`;
}

/** True when an operator runs the store (a CloudNativePG Cluster rather than StatefulSets). */
export function runsOnOperator(c: StoreComponent): boolean {
  return engineOf(c).operator !== undefined;
}

/** The Secret CloudNativePG's initdb reads the application owner's name and password from (basic-auth). */
export function appSecretName(name: string): string {
  return `${name}-app`;
}

/** Every object of one CloudNativePG-run postgres store in this target. */
export function buildCnpgStore(target: ResolvedTarget, key: string, c: StoreComponent): RenderedObject[] {
  const name = objectName(target, key);
  if (c.verticalScaling)
    throw new ManifoldError(
      "verticalScaling cannot target a CloudNativePG Cluster (the operator owns its pods); set resources instead",
      { field: `components.${key}.verticalScaling`, target: target.id },
    );
  const item = (object: unknown, band: RenderedObject["band"]): RenderedObject => ({
    object: plain(object),
    component: key,
    band,
  });
  const bootstrapsFresh = target.role === "primary" && !backupOf(c)?.restoreFrom;
  const out: RenderedObject[] = [];
  if (bootstrapsFresh) {
    out.push(...initScripts(target, key, name, c).map((o) => item(o, "foundation")));
    if (c.password) out.push(item(appSecret(target, name, c), "secrets"));
  }
  out.push(item(clientService(target, name, c), "workload"), item(cluster(target, key, name, c), "workload"));
  const backup = backupOf(c);
  // Other regions bootstrap from this region's object store: its first backup is one Argo CD waits for.
  const seedsReplicas = target.role === "primary" && members(target).length >= 2;
  if (backup && target.objectStore) {
    out.push(item(scheduledBackup(target, name, c, backup.schedule, !seedsReplicas), "scaling"));
    // last: Argo CD waits for it, and a failed one must not hold back the Ingresses, mesh and alerts after it
    if (seedsReplicas) out.push(item(baseBackup(target, name, c), "settle"));
  }
  // Every instance's built-in exporter (port `metrics`, 9187).
  const monitor = { ...selectorLabels(target, name), "cnpg.io/cluster": name };
  out.push(buildPodMonitor(target, key, name, c, monitor, "metrics"));
  // Other regions write to the primary: in the primary region, its current primary instance (the operator's label)
  // behind an internal load balancer, on 5432, where CloudNativePG serves TLS with a server certificate from the
  // cross-region CA (which those clients trust), for the names they dial and the operator's own Services'. The
  // operator reloads it on renewal from a Secret labelled `cnpg.io/reload`.
  const primaryPod = { "cnpg.io/cluster": name, "cnpg.io/instanceRole": "primary" };
  const labels = standardLabels(target, name, "database", c);
  out.push(
    ...buildExposure(target, key, name, c, primaryPod, labels, {
      certificate: "primary",
      targetPort: 5432,
      serverNames: ["rw", "ro", "r"].flatMap((s) => serviceNames(target, `${name}-${s}`)),
      secretLabels: { "cnpg.io/reload": "" },
    }),
  );
  return out;
}

/**
 * The Cluster's server certificate where other regions write to it (the primary region, with peers): cert-manager's
 * Secret of the cross-region CA as `serverTLSSecret`, and as `serverCASecret` (its `ca.crt`; without `ca.key`, which
 * CloudNativePG needs only to sign a server certificate itself). Elsewhere the operator's own CA.
 */
export function serverCertificates(
  target: ResolvedTarget,
  name: string,
  c: StoreComponent,
): CnpgCluster["spec"]["certificates"] {
  if (target.role !== "primary" || !crossRegionTls(target, c)) return undefined;
  return { serverTLSSecret: crossRegionSecret(name), serverCASecret: crossRegionSecret(name) };
}

/** `<name>`: the name clients already use, an ExternalName to the writable primary. */
function clientService(target: ResolvedTarget, name: string, c: StoreComponent): Made<typeof Service> {
  const host =
    target.role === "primary"
      ? `${name}-rw.${target.namespace}.svc.cluster.local`
      : `${name}.${target.namespace}.${target.primary.cluster.serviceDomain}`;
  return make(Service, {
    metadata: { name, namespace: target.namespace, labels: standardLabels(target, name, "database", c) },
    spec: {
      type: "ExternalName",
      externalName: host,
      ports: [{ name: "postgres", port: 5432, targetPort: 5432, protocol: "TCP" }],
    },
  });
}

/** The init scripts, as one ConfigMap CloudNativePG runs in the application database after initdb (SQL only). */
function initScripts(target: ResolvedTarget, key: string, name: string, c: StoreComponent): Made<typeof ConfigMap>[] {
  const files = Object.keys(c.initScripts ?? {}).sort();
  if (files.length === 0) return [];
  const notSql = files.find((f) => !f.endsWith(".sql"));
  if (notSql)
    throw new ManifoldError(`CloudNativePG runs SQL init scripts only; "${notSql}" is not a .sql file`, {
      field: `components.${key}.initScripts`,
      target: target.id,
    });
  return [
    make(ConfigMap, {
      metadata: {
        name: `${name}-init`,
        namespace: target.namespace,
        labels: standardLabels(target, name, "database", c),
      },
      data: Object.fromEntries(
        files.map((f) => [f, c.initScripts![f].endsWith("\n") ? c.initScripts![f] : `${c.initScripts![f]}\n`]),
      ),
    }),
  ];
}

/** The basic-auth Secret initdb reads: the owner's name, and the password from the store's password reference. */
function appSecret(target: ResolvedTarget, name: string, c: StoreComponent): KubeObject {
  return {
    apiVersion: "external-secrets.io/v1",
    kind: "ExternalSecret",
    metadata: {
      name: appSecretName(name),
      namespace: target.namespace,
      labels: standardLabels(target, name, "secret"),
    },
    spec: {
      refreshInterval: "1h",
      secretStoreRef: { kind: "SecretStore", name: secretStoreName(target) },
      target: {
        name: appSecretName(name),
        creationPolicy: "Owner",
        deletionPolicy: "Retain",
        template: {
          type: "kubernetes.io/basic-auth",
          data: { username: c.user ?? "app", password: "{{ .password }}" },
        },
      },
      data: [
        { secretKey: "password", remoteRef: { key: remoteKey(target, c.password!.name), property: c.password!.key } },
      ],
    },
  };
}

/** barman-cloud's view of one region's object store for this store. */
function objectStoreOf(
  target: ResolvedTarget,
  environment: string,
  store: NonNullable<ResolvedTarget["objectStore"]>,
  serverName: string,
): BarmanObjectStore {
  const credentials = target.objectStore!.credentials;
  return {
    destinationPath: backupPrefix(store, environment, target.platform),
    serverName,
    endpointURL: endpointOf(store),
    s3Credentials: {
      accessKeyId: { name: credentials, key: ACCESS_KEY_ID },
      secretAccessKey: { name: credentials, key: SECRET_ACCESS_KEY },
    },
    wal: { compression: "gzip", maxParallel: 2 },
    data: { compression: "gzip" },
  };
}

/**
 * The regions of the distributed topology: this target's and its peers' with an object store, by name (a role move
 * leaves the list as it is), each with its role.
 */
function members(target: ResolvedTarget): Member[] {
  const all = [{ region: target.region, role: target.role, objectStore: target.objectStore }, ...target.peers];
  return all
    .filter((m): m is Member => m.objectStore !== undefined)
    .map(({ region, role, objectStore }) => ({ region, role, objectStore }))
    .sort((a, b) => compareNames(a.region, b.region));
}

interface Member {
  region: string;
  role: RegionRole;
  objectStore: ObjectStoreDescription;
}

/**
 * `spec.replica` in CloudNativePG's distributed topology: every cluster names itself (`self`), the group's primary
 * and the source it follows (each an external cluster). The primary region's cluster is the primary; its source, used
 * only once it is demoted, is the next region in line (secondary before tertiary). During a handover it follows the
 * region it hands over to; every other region follows the primary region. A promotion token is rendered on the
 * primary only (CloudNativePG rejects one on a replica cluster).
 */
function replicaOf(target: ResolvedTarget, key: string, name: string, group: Member[]): CnpgReplica | undefined {
  if (group.length < 2) return undefined;
  const self = topologyName(name, target.region);
  const primaryRegion = target.primary.region;
  const handover = target.primary.handover;
  if (target.region !== primaryRegion) {
    const primary = topologyName(name, primaryRegion);
    return { self, primary, source: primary };
  }
  if (handover && group.some((m) => m.region === handover)) {
    const next = topologyName(name, handover);
    return { self, primary: next, source: next };
  }
  const token = target.primary.promotionTokens?.[`${target.environment}/${target.platform}/${key}`];
  const rank = { primary: 0, secondary: 1, tertiary: 2 } as const;
  const next = group.filter((m) => m.region !== target.region).sort((a, b) => rank[a.role] - rank[b.role])[0];
  const source = topologyName(name, next.region);
  return { self, primary: self, source, ...(token ? { promotionToken: token } : {}) };
}

/** The Cluster: instances, storage, spread, bootstrap, replica topology and backups. */
function cluster(target: ResolvedTarget, key: string, name: string, c: StoreComponent): CnpgCluster {
  const labels = standardLabels(target, name, "database", c);
  const self = topologyName(name, target.region);
  const backup = backupOf(c);
  const group = members(target);
  if (target.role !== "primary" && (!target.primary.objectStore || !target.objectStore))
    throw new ManifoldError(
      `a replica cluster follows the primary region's object store: regions ${target.primary.region} and ${target.region} need \`backups\``,
      { field: `components.${key}`, target: target.id },
    );
  // Every member of the topology is an external cluster of every other (and of itself): CloudNativePG checks that
  // `self`, `primary` and `source` each name one, and a demoted primary follows the new one through it.
  const external: ExternalCluster[] =
    group.length >= 2
      ? group.map((m) => {
          const member = topologyName(name, m.region);
          return { name: member, barmanObjectStore: objectStoreOf(target, target.environment, m.objectStore, member) };
        })
      : [];
  const replica = replicaOf(target, key, name, group);
  const certificates = serverCertificates(target, name, c);
  let bootstrap: CnpgCluster["spec"]["bootstrap"];
  if (target.role !== "primary") {
    bootstrap = { recovery: { source: topologyName(name, target.primary.region) } };
  } else if (backup?.restoreFrom) {
    const from = target.backupSources?.[backup.restoreFrom];
    if (!from?.objectStore || !target.objectStore)
      throw new ManifoldError(
        `backup.restoreFrom "${backup.restoreFrom}" needs that environment's primary region, and this region, to name \`backups\``,
        { field: `components.${key}.backup.restoreFrom`, target: target.id },
      );
    const source = `${name}-${backup.restoreFrom}`;
    external.push({
      name: source,
      barmanObjectStore: objectStoreOf(target, backup.restoreFrom, from.objectStore, topologyName(name, from.region)),
    });
    bootstrap = { recovery: { source } };
  } else {
    bootstrap = {
      initdb: {
        database: c.database ?? "app",
        owner: c.user ?? "app",
        secret: { name: appSecretName(name) },
        ...(Object.keys(c.initScripts ?? {}).length
          ? {
              postInitApplicationSQLRefs: {
                configMapRefs: Object.keys(c.initScripts!)
                  .sort()
                  .map((f) => ({ name: `${name}-init`, key: f })),
              },
            }
          : {}),
      },
    };
  }
  return {
    apiVersion: "postgresql.cnpg.io/v1",
    kind: "Cluster",
    metadata: { name, namespace: target.namespace, labels, annotations: { ...SKIP_DRY_RUN } },
    spec: {
      ...(c.description ? { description: c.description } : {}),
      instances: c.replicas,
      imageName: c.image,
      primaryUpdateStrategy: "unsupervised",
      enablePDB: c.replicas >= 2,
      enableSuperuserAccess: false,
      ...(certificates ? { certificates } : {}),
      // Istio sidecars break the operator's calls to the instance manager: the instances stay out of the mesh, and
      // clients reach them over PostgreSQL's own TLS (CloudNativePG enables it by default).
      inheritedMetadata: target.mesh ? { labels, annotations: { "sidecar.istio.io/inject": "false" } } : { labels },
      storage: { size: canonicalQuantity(c.storage), ...(c.storageClass ? { storageClass: c.storageClass } : {}) },
      resources: canonicalResources(c.resources),
      ...(c.replicas >= 2 ? { topologySpreadConstraints: spreadConstraints({ "cnpg.io/cluster": name }) } : {}),
      bootstrap,
      ...(replica ? { replica } : {}),
      ...(external.length ? { externalClusters: external } : {}),
      ...(backup && target.objectStore
        ? {
            backup: {
              barmanObjectStore: objectStoreOf(target, target.environment, target.objectStore, self),
              retentionPolicy: `${backup.retentionDays}d`,
            },
          }
        : {}),
    },
  };
}

/** The base backups: CloudNativePG's cron has six fields (seconds first). */
function scheduledBackup(
  target: ResolvedTarget,
  name: string,
  c: StoreComponent,
  schedule: string,
  immediate: boolean,
): CnpgScheduledBackup {
  return {
    apiVersion: "postgresql.cnpg.io/v1",
    kind: "ScheduledBackup",
    metadata: {
      name,
      namespace: target.namespace,
      labels: standardLabels(target, name, "backup", c),
      annotations: { ...SKIP_DRY_RUN },
    },
    spec: {
      schedule: `0 ${schedule}`,
      cluster: { name },
      method: "barmanObjectStore",
      backupOwnerReference: "self",
      immediate,
    },
  };
}
