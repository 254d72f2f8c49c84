import type { IIoK8sApiCoreV1EnvVar as EnvVar } from "kubernetes-models/v1";
import type { StoreEngineDefinition } from "./engine.ts";
import { fromSecret } from "./engine.ts";

/** PostgreSQL on the Bitnami image: streaming replication configured by environment variables. */
export const postgresEngine: StoreEngineDefinition = {
  image: "docker.io/bitnami/postgresql:16.4.0",
  ports: { postgres: 5432 },
  dataPath: "/bitnami/postgresql",
  runAsUser: 1001,
  writablePaths: [
    "/tmp",
    "/opt/bitnami/postgresql/conf",
    "/opt/bitnami/postgresql/tmp",
    "/opt/bitnami/postgresql/logs",
  ],
  crossRegion: true,
  // PostgreSQL negotiates TLS on its own port. Replicas in other regions require it (libpq's PGSSLMODE applies to the
  // base backup and the WAL receiver); writers there get `sslmode=require` in their URL.
  tls: {
    port: { name: "postgres", number: 5432 },
    env(ctx, dir) {
      return [
        { name: "POSTGRESQL_ENABLE_TLS", value: "yes" },
        { name: "POSTGRESQL_TLS_CERT_FILE", value: `${dir}/tls.crt` },
        { name: "POSTGRESQL_TLS_KEY_FILE", value: `${dir}/tls.key` },
        ...(ctx.mode === "replica" ? [{ name: "PGSSLMODE", value: "require" }] : []),
      ];
    },
    client: { query: "sslmode=require" },
  },
  initScriptsPath: "/docker-entrypoint-initdb.d",
  passwordKeys: ["replication-password"],
  env({ mode, spec, primaryHost }) {
    const vars: EnvVar[] = [
      { name: "POSTGRESQL_PORT_NUMBER", value: "5432" },
      { name: "POSTGRESQL_REPLICATION_MODE", value: mode === "replica" ? "slave" : "master" },
      { name: "POSTGRESQL_REPLICATION_USER", value: "replicator" },
    ];
    if (spec.password) {
      vars.push(fromSecret("POSTGRESQL_PASSWORD", spec.password.name, spec.password.key));
      vars.push(fromSecret("POSTGRESQL_REPLICATION_PASSWORD", spec.password.name, "replication-password"));
    }
    if (mode === "replica") {
      vars.push(
        { name: "POSTGRESQL_MASTER_HOST", value: primaryHost },
        { name: "POSTGRESQL_MASTER_PORT_NUMBER", value: "5432" },
      );
    } else {
      if (spec.user) vars.push({ name: "POSTGRESQL_USERNAME", value: spec.user });
      if (spec.database) vars.push({ name: "POSTGRESQL_DATABASE", value: spec.database });
    }
    return vars.sort((a, b) => a.name.localeCompare(b.name));
  },
  probe({ spec }) {
    const user = spec.user ?? "postgres";
    return {
      exec: { command: ["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-U", user] },
      periodSeconds: 10,
      timeoutSeconds: 5,
      failureThreshold: 6,
    };
  },
};
