/**
 * Cluster registration: one Argo CD cluster Secret per (environment, region),
 * rendered as an `external-secrets.io/v1` ExternalSecret. Its template writes
 * the Secret's name, server, labels and annotations from the descriptions; the
 * credentials (`config`) come from the secret store, never from git.
 *
 * A registration can neither block the layer nor cascade:
 * - it syncs in the layer's last wave, after the projects and settings:
 *   Argo CD fails a multi-wave sync on a Degraded object but does not wait on
 *   the last wave's health, so one missing credential leaves one cluster
 *   unregistered, never the rest of the layer unsynced; and the cluster
 *   generators list only registered clusters, so that cluster gets no
 *   Application and sits in no rollout step;
 * - `Prune=false,Delete=false`: a render that drops or renames a cluster does
 *   not delete its ExternalSecret (and so its Secret, which it owns), which
 *   would make every ApplicationSet drop that cluster's Applications and,
 *   through their finalizers, every workload and volume on it. Removing a
 *   cluster is a person deleting the ExternalSecret (`manifold diff` flags it).
 */
import type { ArgoCdDescription, ClusterCapabilities, RegionRole } from "../describe/types.ts";
import type { KubeObject } from "../model/object.ts";
import type { Project } from "../model/project.ts";
import {
  CLUSTER_SECRET_TYPE,
  NEVER_PRUNE_OPTIONS,
  SKIP_DRY_RUN_OPTION,
  SYNC_OPTIONS_ANNOTATION,
  WAVE_ANNOTATION,
} from "../sync/annotations.ts";
import {
  ANNOTATION_INGRESS_DOMAIN,
  LABEL_ENVIRONMENT,
  LABEL_REGION,
  LABEL_ROLE,
  SECRET_TYPE_LABEL,
  layerLabels,
} from "./labels.ts";
import { LAST_WAVE } from "./bootstrap.ts";

/** A cluster the descriptions declare: where one environment runs in one region. */
export interface DeclaredCluster {
  environment: string;
  region: string;
  role: RegionRole;
  name: string;
  server: string;
  ingressDomain: string;
  /** Its capability contract. */
  capabilities: ClusterCapabilities;
  /** The region file that declares it. */
  file: string;
}

/**
 * Every declared cluster, environment by environment (in the Argo CD layer's order), regions in the environment's
 * order.
 */
export function declaredClusters(project: Project): DeclaredCluster[] {
  const regions = new Map(project.regions.map((r) => [r.value.name, r]));
  const order = Object.keys(project.argocd?.value.environments ?? {});
  const envs = [...project.environments].sort((a, b) => rank(order, a.value.name) - rank(order, b.value.name));
  return envs.flatMap((e) =>
    e.value.regions.map((name) => {
      const r = regions.get(name)!;
      const c = r.value.clusters[e.value.name];
      return {
        environment: e.value.name,
        region: name,
        role: r.value.role,
        name: c.name,
        server: c.server,
        ingressDomain: c.ingressDomain,
        capabilities: c.capabilities,
        file: r.file,
      };
    }),
  );
}

function rank(order: string[], name: string): number {
  const i = order.indexOf(name);
  return i < 0 ? order.length : i;
}

/** The labels a cluster Secret carries: Argo CD's type label plus the ones the generators select on. */
export function clusterLabels(c: DeclaredCluster): Record<string, string> {
  return {
    [SECRET_TYPE_LABEL]: CLUSTER_SECRET_TYPE,
    [LABEL_ENVIRONMENT]: c.environment,
    [LABEL_REGION]: c.region,
    [LABEL_ROLE]: c.role,
  };
}

/** The annotations a cluster Secret carries (read by link templates). */
export function clusterAnnotations(c: DeclaredCluster): Record<string, string> {
  return { [ANNOTATION_INGRESS_DOMAIN]: c.ingressDomain };
}

/** The name of a cluster's Secret in Argo CD's namespace. */
export function clusterSecretName(c: DeclaredCluster): string {
  return `cluster-${c.name}`;
}

export interface ClusterExternalSecret extends KubeObject {
  apiVersion: "external-secrets.io/v1";
  kind: "ExternalSecret";
  spec: {
    refreshInterval: string;
    secretStoreRef: { kind: "ClusterSecretStore" | "SecretStore"; name: string };
    target: {
      name: string;
      creationPolicy: "Owner";
      deletionPolicy: "Retain";
      template: {
        engineVersion: "v2";
        type: "Opaque";
        metadata: { labels: Record<string, string>; annotations: Record<string, string> };
        data: Record<string, string>;
      };
    };
    data: { secretKey: string; remoteRef: { key: string; property: string } }[];
  };
}

/** The ExternalSecret that registers one cluster with Argo CD. */
export function buildClusterSecret(c: DeclaredCluster, layer: ArgoCdDescription): ClusterExternalSecret {
  const name = clusterSecretName(c);
  return {
    apiVersion: "external-secrets.io/v1",
    kind: "ExternalSecret",
    metadata: {
      name,
      namespace: layer.namespace,
      labels: {
        ...layerLabels("cluster"),
        [LABEL_ENVIRONMENT]: c.environment,
        [LABEL_REGION]: c.region,
        [LABEL_ROLE]: c.role,
      },
      annotations: {
        [WAVE_ANNOTATION]: LAST_WAVE,
        [SYNC_OPTIONS_ANNOTATION]: [...NEVER_PRUNE_OPTIONS, SKIP_DRY_RUN_OPTION].join(","),
      },
    },
    spec: {
      refreshInterval: layer.clusterCredentials.refreshInterval,
      secretStoreRef: { ...layer.clusterCredentials.secretStore },
      target: {
        name,
        creationPolicy: "Owner",
        deletionPolicy: "Retain",
        template: {
          engineVersion: "v2",
          type: "Opaque",
          metadata: { labels: clusterLabels(c), annotations: clusterAnnotations(c) },
          // `config` is the credentials JSON from the store; name and server are public facts from the region file.
          data: { name: c.name, server: c.server, config: "{{ .config }}" },
        },
      },
      data: [
        {
          secretKey: "config",
          remoteRef: { key: `${layer.clusterCredentials.keyPrefix}/${c.name}`, property: "config" },
        },
      ],
    },
  };
}

/**
 * The cluster Secret Argo CD will see once external-secrets has synced an
 * ExternalSecret: what the offline expansion feeds the cluster generator.
 */
export function clusterSecretOf(es: ClusterExternalSecret): {
  name: string;
  server: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
} {
  const t = es.spec.target.template;
  return {
    name: t.data.name,
    server: t.data.server,
    labels: { ...t.metadata.labels },
    annotations: { ...t.metadata.annotations },
  };
}
