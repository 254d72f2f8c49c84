import type { Resources, SecretRef, ServiceComponent } from "./types.ts";
import { service } from "./service.ts";

/** The pinned Grafana image. */
export const GRAFANA_IMAGE = "docker.io/grafana/grafana:11.3.1";

export interface GrafanaOptions extends Partial<Omit<ServiceComponent, "type" | "ports" | "files">> {
  /** The admin password, from the secret store. */
  adminPassword: SecretRef;
  /** Provisioned data sources: name → { type, url }. The first is the default. */
  datasources: Record<string, { type: "prometheus" | "jaeger" | "loki"; url: string }>;
}

const RESOURCES: Resources = { requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "500m", memory: "512Mi" } };

/**
 * Grafana with its data sources provisioned from git (a ConfigMap mounted at
 * `/etc/grafana/provisioning/datasources`), the admin password from the secret
 * store, sign-up off, and one replica: its SQLite database (users, sessions)
 * lives in the pod, so the `min-replicas` rule is waived with that reason.
 * Dashboards come from ConfigMaps labelled `grafana_dashboard` (the
 * platform's `dashboards`). Everything can be overridden by what you pass.
 */
export function grafana(spec: GrafanaOptions): ServiceComponent {
  const { adminPassword, datasources, env, ...rest } = spec;
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
    files: { "/etc/grafana/provisioning/datasources": { "datasources.yaml": yaml } },
  });
}
