import type { IIoK8sApiCoreV1EnvVar as EnvVar } from "kubernetes-models/v1";
import type { StoreEngineDefinition } from "./engine.ts";
import { fromSecret } from "./engine.ts";
import { compareNames } from "../name-order.ts";

/**
 * PostgreSQL on an image with the official-image contract (`postgres`,
 * `supabase/postgres`): `POSTGRES_USER`, `POSTGRES_PASSWORD`, `POSTGRES_DB`,
 * data under `PGDATA`. These images have no replication switch, so each
 * region runs one standalone server (no cross-region replicas).
 */
export const postgresOfficialEngine: StoreEngineDefinition = {
  image: "docker.io/library/postgres:16.4",
  ports: { postgres: 5432 },
  // The volume holds the data directory: supabase's postgresql.conf pins data_directory to /var/lib/postgresql/data,
  // which PGDATA matches, and it is a subdirectory (the volume's root holds lost+found, and initdb wants it empty).
  dataPath: "/var/lib/postgresql",
  pinnedDataDirectory: { env: "PGDATA", path: "/var/lib/postgresql/data" },
  // The images' postgres user; the entrypoint's nss_wrapper covers a UID without a passwd entry.
  runAsUser: 999,
  writablePaths: ["/tmp", "/var/run/postgresql", "/etc/postgresql-custom"],
  crossRegion: false,
  // supabase's postgresql.conf includes files from here; the official image has no such directory (nothing to copy).
  imageConfigPaths: ["/etc/postgresql-custom"],
  initScriptsPath: "/docker-entrypoint-initdb.d",
  env({ spec }) {
    // Below the volume (mounted at /var/lib/postgresql), whose root holds lost+found: initdb wants an empty directory.
    const vars: EnvVar[] = [{ name: "PGDATA", value: "/var/lib/postgresql/data" }];
    if (spec.password) vars.push(fromSecret("POSTGRES_PASSWORD", spec.password.name, spec.password.key));
    if (spec.user) vars.push({ name: "POSTGRES_USER", value: spec.user });
    if (spec.database) vars.push({ name: "POSTGRES_DB", value: spec.database });
    return vars.sort((a, b) => compareNames(a.name, b.name));
  },
  probe() {
    return {
      exec: { command: ["pg_isready", "-h", "127.0.0.1", "-p", "5432"] },
      periodSeconds: 10,
      timeoutSeconds: 5,
      failureThreshold: 6,
    };
  },
  check(spec) {
    if (spec.replicas > 1)
      return `flavor "official" runs one standalone server per region (the image has no replication switch); set replicas to 1, or use flavor "cloudnative-pg" for replicas`;
    return undefined;
  },
};

/** The connection settings pg_dump and pg_restore read: the user and password the store was created with. */
function pgEnv(spec: Parameters<NonNullable<typeof postgresOfficialEngine.dump>>[0]["spec"]): EnvVar[] {
  const user = spec.env?.POSTGRES_USER;
  const env: EnvVar[] = [
    typeof user === "object" && user.kind === "secret"
      ? fromSecret("PGUSER", user.name, user.key)
      : { name: "PGUSER", value: typeof user === "string" ? user : (spec.user ?? "postgres") },
  ];
  if (spec.password) env.push(fromSecret("PGPASSWORD", spec.password.name, spec.password.key));
  return env;
}

/** pg_dump's custom format of the store's database, read through its client Service. */
postgresOfficialEngine.dump = ({ spec, host }) => {
  const db = spec.database ?? "postgres";
  const file = `/backup/${db}.dump`;
  return {
    script: `pg_dump --host=${host} --port=5432 --dbname=${db} --format=custom --file=${file}`,
    env: pgEnv(spec),
  };
};

/** pg_restore of the dump over the running database: objects in the dump are dropped and created again. */
postgresOfficialEngine.restore = ({ spec, host }) => {
  const db = spec.database ?? "postgres";
  return {
    script: `pg_restore --host=${host} --port=5432 --dbname=${db} --clean --if-exists --no-owner --exit-on-error /backup/${db}.dump`,
    env: pgEnv(spec),
  };
};
