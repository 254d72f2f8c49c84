import type { Resources, SecretRef, ServiceComponent } from "./types.ts";
import { service } from "./service.ts";

/** The pinned Grafana image. */
export const GRAFANA_IMAGE = "docker.io/grafana/grafana:11.3.1";

export interface GrafanaOptions extends Partial<Omit<ServiceComponent, "type" | "ports" | "files">> {
  /** The admin password, from the secret store. */
  adminPassword: SecretRef;
  /** Provisioned data sources: name → { type, url }. The first is the default. */
  datasources: Record<string, { type: "prometheus" | "jaeger" | "loki"; url: string }>;
  /** Dashboards (JSON models) this Grafana loads from files, by name. */
  dashboards?: Record<string, Record<string, unknown>>;
}

/** Where the Grafana image reads provisioned dashboards from. */
export const GRAFANA_DASHBOARDS = "/var/lib/grafana/dashboards";

/** The provisioning file that loads every dashboard under GRAFANA_DASHBOARDS, read-only in the UI. */
const DASHBOARD_PROVIDER = [
  "apiVersion: 1",
  "providers:",
  "  - name: platform",
  "    type: file",
  "    disableDeletion: true",
  "    allowUiUpdates: false",
  "    options:",
  `      path: ${GRAFANA_DASHBOARDS}`,
  "",
].join("\n");

const RESOURCES: Resources = { requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "500m", memory: "512Mi" } };

/**
 * Grafana with its data sources provisioned from git (a ConfigMap mounted at
 * `/etc/grafana/provisioning/datasources`), the admin password from the secret
 * store, sign-up off, and one replica: its SQLite database (users, sessions)
 * lives in the pod, so the `min-replicas` rule is waived with that reason.
 * The `dashboards` passed here load into this Grafana from files (a ConfigMap
 * mounted where a file provider reads them); a platform's own `dashboards`
 * are ConfigMaps labelled `grafana_dashboard` for the cluster's shared
 * Grafana. Everything can be overridden by what you pass.
 */
export function grafana(spec: GrafanaOptions): ServiceComponent {
  const { adminPassword, datasources, dashboards, env, ...rest } = spec;
  const entries = Object.entries(datasources);
  const yaml = [
    "apiVersion: 1",
    "datasources:",
    ...entries.flatMap(([name, d], i) => [
      `  - name: ${name}`,
      `    type: ${d.type}`,
      `    uid: ${d.type}`,
      "    access: proxy",
      `    url: ${d.url}`,
      ...(i === 0 ? ["    isDefault: true"] : []),
    ]),
    "",
  ].join("\n");
  return service({
    image: GRAFANA_IMAGE,
    replicas: 1,
    waive: {
      "min-replicas":
        "Grafana keeps sessions and users in its in-pod SQLite database; dashboards and data sources are provisioned from git, so a restart loses nothing",
    },
    resources: RESOURCES,
    probes: { liveness: { path: "/api/health" }, readiness: { path: "/api/health" } },
    writablePaths: ["/tmp", "/var/lib/grafana"],
    useConfig: false,
    verticalScaling: { mode: "Off" },
    ...rest,
    ports: { http: 3000 },
    env: {
      GF_SECURITY_ADMIN_USER: "admin",
      GF_SECURITY_ADMIN_PASSWORD: adminPassword,
      GF_PATHS_DATA: "/var/lib/grafana",
      GF_USERS_ALLOW_SIGN_UP: "false",
      ...env,
    },
    files: {
      "/etc/grafana/provisioning/datasources": { "datasources.yaml": yaml },
      ...(dashboards
        ? {
            "/etc/grafana/provisioning/dashboards": { "dashboards.yaml": DASHBOARD_PROVIDER },
            [GRAFANA_DASHBOARDS]: Object.fromEntries(
              Object.keys(dashboards)
                .sort()
                .map((name) => [`${name}.json`, JSON.stringify(dashboards[name], null, 2) + "\n"]),
            ),
          }
        : {}),
    },
  });
}
