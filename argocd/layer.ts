import { argocd } from "../compiler/index.ts";

// The Argo CD layer on the management cluster: where the rendered tree lives,
// how each environment syncs, and where cluster credentials come from.
// The repository URL is a placeholder under example.com.
export default argocd({
  // The Argo CD the management cluster runs: the layer renders only fields it understands.
  argocdVersion: "3.3",
  repoURL: "https://git.example.com/platform/manifold.git",
  branch: "rendered-manifests",
  namespace: "argocd",
  environments: {
    // Every change syncs at once, pruning what was removed and undoing drift.
    dev: {
      automated: { prune: true, selfHeal: true },
      rollout: { type: "AllAtOnce" },
      preserveResourcesOnDeletion: false,
    },
    // Staging runs two regions whose data the primary holds: the primary (and its migration) first, as in production.
    staging: {
      automated: { prune: true, selfHeal: true },
      rollout: {
        type: "RollingSync",
        steps: [
          { roles: ["primary"], maxUpdate: 1 },
          { roles: ["secondary"], maxUpdate: 1 },
        ],
      },
      preserveResourcesOnDeletion: false,
    },
    // One region at a time, the primary first: it holds the writable databases the other regions replicate from
    // and runs the schema migration, so it must be Healthy before any other region syncs (README, "Rollout").
    // Each step waits until the previous one is Healthy. The template's automated policy is switched off
    // (`enabled: false`): only the rollout triggers syncs, and `prune` still applies to them.
    production: {
      automated: { prune: true, selfHeal: false },
      rollout: {
        type: "RollingSync",
        steps: [
          { roles: ["primary"], maxUpdate: 1 },
          { roles: ["secondary"], maxUpdate: 1 },
          { roles: ["tertiary"], maxUpdate: 1 },
        ],
      },
      preserveResourcesOnDeletion: true,
    },
  },
  retry: { limit: 5, backoff: { duration: "10s", factor: 2, maxDuration: "5m" } },
  clusterCredentials: {
    secretStore: { kind: "ClusterSecretStore", name: "argocd-clusters" },
    keyPrefix: "argocd/clusters",
    refreshInterval: "1h",
  },
  roles: { readOnly: ["platform-viewers"], ciSync: ["platform-ci"] },
  grafana: { host: "grafana", path: "/dashboards" },
  bootstrap: { application: "manifold", project: "manifold" },
});
