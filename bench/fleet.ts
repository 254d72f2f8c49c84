/**
 * The synthetic fleet: a generated project (platforms, environments, regions)
 * of realistic platforms, sized to about 1k, 10k or 100k rendered objects.
 *
 * Each platform has a chain of HTTP services (Deployment, Service,
 * ServiceAccount, HPA, PDB, NetworkPolicy, ServiceMonitor; some exposed with
 * an Ingress, some with secrets and component URLs) plus PostgreSQL and Redis,
 * and a platform ConfigMap. Every environment runs in every region, with
 * NetworkPolicies, PDBs and the ResourceQuota on, so a target renders about
 * 100 objects. The descriptions are written as TypeScript files, exactly as a
 * platform team would write them, so a benchmark compiles them with the real
 * CLI as a whole process.
 */
import { mkdirSync, rmSync, symlinkSync, writeFileSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const REPO = resolve(import.meta.dirname, "..");

export interface FleetSize {
  /** A short label: `1k`, `10k`, `100k`. */
  label: string;
  platforms: number;
  environments: number;
  regions: number;
  /** HTTP services per platform (each platform also has two data stores). */
  services: number;
}

/** The sizes the benchmark runs: 10, 100 and 1000 targets of about 100 objects. */
export const SIZES: FleetSize[] = [
  { label: "1k", platforms: 1, environments: 2, regions: 5, services: 12 },
  { label: "10k", platforms: 5, environments: 4, regions: 5, services: 12 },
  { label: "100k", platforms: 50, environments: 4, regions: 5, services: 12 },
];

const ENVIRONMENTS = ["production", "staging", "qa", "dev"];
const REGIONS = ["us-west-2", "us-east-1", "eu-west-1", "eu-central-1", "ap-southeast-1"];
const ROLES = ["primary", "secondary", "tertiary", "tertiary", "tertiary"];

function environmentSource(name: string, regions: string[]): string {
  const overrides =
    name === "production"
      ? ""
      : `\n  overrides: { defaults: { replicas: 2, autoscale: { min: 2 } }, config: { LOG_LEVEL: "${name === "dev" ? "debug" : "info"}" } },`;
  return `import { environment } from "../compiler/index.ts";

export default environment({
  name: "${name}",
  regions: ${JSON.stringify(regions)},
  // the synthetic images have no registry digests (none is made up)
  policy: { networkPolicies: true, disruptionBudgets: true, resourceQuota: true, rules: { "image-digests": "off" } },${overrides}
});
`;
}

/** What every synthetic cluster runs: the add-ons the generated platforms' objects need. */
const FLEET_CAPABILITIES = [
  "istio",
  "istio-cni",
  "default-storage-class",
  "cert-manager",
  "external-secrets",
  "prometheus-operator",
  "vpa",
  "metrics-server",
  "ingress-nginx",
  "cloudnative-pg",
  "velero",
  "external-dns",
];

function regionSource(name: string, role: string, environments: string[], index: number): string {
  // Each cluster its own placeholder range (the primary admits the other regions' ranges to its stores).
  const clusters = environments
    .map(
      (env, e) => `    ${JSON.stringify(env)}: {
      name: "${env}-${name}",
      server: "https://${env}.${name}.k8s.example.com",
      ingressDomain: "${env}.${name}.example.com",
      serviceDomain: "${env}.${name}.svc.example.internal",
      capabilities: {
        kubernetesVersion: "1.33",
        argocdVersion: "3.3",
        cni: { name: "cilium", networkPolicy: true },
        provided: ${JSON.stringify(FLEET_CAPABILITIES)},
      },
      networks: ["10.${e * 16 + index}.0.0/16"],
    },`,
    )
    .join("\n");
  return `import { region } from "../compiler/index.ts";

export default region({
  name: "${name}",
  role: "${role}",
  secretStore: {
    provider: "aws-secrets-manager",
    awsRegion: "${name}",
    roleArnPrefix: "arn:aws:iam::111122223333:role/secrets-",
  },
  // Replica clusters in the other regions follow the primary's object store: every region declares one.
  backups: {
    bucket: "fleet-backups-${name}",
    path: "manifold",
    region: "${name}",
    credentials: "backup-object-store",
  },
  clusters: {
${clusters}
  },
  overrides: { config: { REGION: "${name}" } },
});
`;
}

/** The TypeScript source of one synthetic platform. */
export function platformSource(index: number, services: number): string {
  const name = `fleet-${String(index).padStart(3, "0")}`;
  const lines: string[] = [];
  for (let i = 0; i < services; i++) {
    const key = `svc-${String(i).padStart(2, "0")}`;
    const deps =
      i === 0
        ? ["postgres", "redis"]
        : i % 3 === 0
          ? [`svc-${String(i - 1).padStart(2, "0")}`, "postgres"]
          : [`svc-${String(i - 1).padStart(2, "0")}`];
    const min = 2 + (i % 4);
    const extra: string[] = [];
    if (i === services - 1) extra.push(`expose: { host: "${name}-api", path: "/" },`);
    if (i % 2 === 0)
      extra.push(
        `env: { DB_PASSWORD: secretRef("${name}-postgres", "password"), UPSTREAM: url("${deps[0]}", "http") },`,
      );
    else extra.push(`env: { MODE: "on", RETRIES: "0775", FEATURE_FLAG: "yes" },`);
    lines.push(`    "${key}": service({
      description: "Synthetic service ${i} of ${name}",
      image: "docker.io/example/${name}-${key}:1.${i}.0",
      ports: { http: ${8080 + i}, metrics: 9090 },
      replicas: ${min},
      autoscale: { min: ${min}, max: ${min * 5}, cpu: 70, memory: 80 },
      resources: { requests: { cpu: "${100 * (1 + (i % 5))}m", memory: "${128 * (1 + (i % 4))}Mi" }, limits: { cpu: "1", memory: "${256 * (1 + (i % 4))}Mi" } },
      probes: { liveness: { path: "/healthz" }, readiness: { path: "/ready" } },
      metrics: { port: "metrics" },
      dependsOn: ${JSON.stringify(deps)},
      ${extra.join("\n      ")}
    }),`);
  }
  return `import { platform, postgres, redis, secretRef, service, url } from "../compiler/index.ts";

// Generated by bench/fleet.ts: a synthetic platform for the benchmark.
export default platform({
  name: "${name}",
  namespace: "${name}",
  namePrefix: "${name.replace("fleet-", "f")}-",
  description: "Synthetic platform ${index} for the benchmark.",
  config: { DATABASE_URL: url("postgres", "postgresql", { path: "/app" }), CACHE_URL: url("redis", "redis"), LOG_FORMAT: "json" },
  components: {
    postgres: postgres({
      replicas: 3, storage: "50Gi", database: "app", user: "app",
      password: secretRef("${name}-postgres", "password"),
      resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "2", memory: "4Gi" } },
      metrics: {},
    }),
    redis: redis({
      replicas: 3, storage: "10Gi",
      password: secretRef("${name}-redis", "password"),
      resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "1", memory: "1Gi" } },
    }),
${lines.join("\n")}
  },
  migrations: { image: "docker.io/bench/migrate:1.0.0", command: ["migrate"], env: { DB_PASSWORD: secretRef("${name}-postgres", "password") }, dependsOn: ["postgres"] },
});
`;
}

/**
 * Writes a project for `size` into `dir` (replacing it): descriptions, a
 * package.json, and links to this repo's compiler and node_modules, so
 * `node bin/manifold.js compile --root <dir>` compiles it.
 */
export function writeFleet(dir: string, size: FleetSize): void {
  rmSync(dir, { recursive: true, force: true });
  for (const sub of ["platforms", "environments", "regions"]) mkdirSync(join(dir, sub), { recursive: true });
  const environments = ENVIRONMENTS.slice(0, size.environments);
  const regions = REGIONS.slice(0, size.regions);
  for (const env of environments)
    writeFileSync(join(dir, "environments", `${env}.ts`), environmentSource(env, regions));
  regions.forEach((r, i) => writeFileSync(join(dir, "regions", `${r}.ts`), regionSource(r, ROLES[i], environments, i)));
  for (let p = 0; p < size.platforms; p++) {
    writeFileSync(join(dir, "platforms", `fleet-${String(p).padStart(3, "0")}.ts`), platformSource(p, size.services));
  }
  writeFileSync(join(dir, "package.json"), readFileSync(join(REPO, "package.json")));
  symlinkSync(join(REPO, "compiler"), join(dir, "compiler"));
  symlinkSync(join(REPO, "node_modules"), join(dir, "node_modules"));
}
