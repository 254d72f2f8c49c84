/**
 * The files `manifold init` and `manifold new` write. Each description imports the language from the package
 * `manifold` (this repository, a dependency of the new project) and compiles as generated under the strictest
 * policy: pinned image, two replicas, a budget, probes, requests and limits.
 */

/** A DNS label: what every platform, environment and region name must be. */
export const NAME = /^[a-z]([-a-z0-9]{0,30}[a-z0-9])?$/;

/** `regions/_clusters.ts`: one cluster per environment file for a region (files starting with `_` are not loaded). */
export function clustersHelper(): string {
  return `// Shared by the region files and the Argo CD layer (files starting with "_" are helpers, not descriptions).
import { readdirSync } from "node:fs";
import type { Capability } from "manifold";
import { join } from "node:path";

/** The environments of this project: one file each under environments/. */
export function environmentNames(): string[] {
  return readdirSync(join(import.meta.dirname, "../environments"))
    .filter((f) => f.endsWith(".ts") && !f.startsWith("_"))
    .map((f) => f.slice(0, -".ts".length))
    .sort();
}

/**
 * One cluster per environment in \`region\`. The endpoints are placeholders under example.com: replace them with
 * your clusters' (or write each region's \`clusters\` out by hand). Once a replicated store (postgres, redis) runs in
 * several regions, give each cluster its \`networks\` (the VPC's IPv4 ranges, e.g. ["10.30.0.0/16"]): the primary
 * admits exactly the other regions' ranges to the store.
 */
export function clusters(region: string) {
  return Object.fromEntries(
    environmentNames().map((env) => [
      env,
      {
        name: \`\${env}-\${region}\`,
        server: \`https://\${env}.\${region}.k8s.example.com\`,
        ingressDomain: \`\${env}.\${region}.example.com\`,
        serviceDomain: \`\${env}.\${region}.svc.example.internal\`,
        // The capability contract: what the cluster runs that Manifold does not install. The compile refuses an
        // object that needs more (e.g. an HPA on a custom metric no adapter serves: list it in customMetrics).
        capabilities: {
          kubernetesVersion: "1.33",
          argocdVersion: "3.3", // the Argo CD of argocd/layer.ts
          cni: { name: "aws-vpc-cni", networkPolicy: true }, // does the CNI enforce NetworkPolicies?
          provided: [
            "default-storage-class",
            "cert-manager",
            "external-secrets",
            "metrics-server",
            "ingress-nginx",
          ] as Capability[],
        },
      },
    ]),
  );
}
`;
}

/** `platforms/<name>.ts`: one web service that passes every policy rule. */
export function platformFile(name: string): string {
  return `import { platform, service } from "manifold";

// The ${name} platform: one web service. Add components (service, postgres, redis, …) next to it; a platform
// with a postgres() database also needs \`migrations\`. The reference of every field is docs/reference.md in
// the Manifold repository.
export default platform({
  name: "${name}", // must match the file name
  namespace: "${name}",
  namePrefix: "${name}-", // prepended to every object name
  components: {
    web: service({
      description: "the ${name} web front end",
      image: "docker.io/nginxinc/nginx-unprivileged:1.27.3", // registry, then a pinned tag (or tag@sha256:…); "latest" is refused
      ports: { http: 8080 },
      replicas: 2,
      resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "200m", memory: "128Mi" } },
      probes: { liveness: { path: "/" }, readiness: { path: "/" } },
      writablePaths: ["/tmp"],
      expose: { host: "${name}" }, // https://${name}.<the region's ingress domain>/
    }),
  },
});
`;
}

/** `environments/<name>.ts`: every policy on and every rule an error, in `regions`. */
export function environmentFile(name: string, regions: string[]): string {
  return `import { environment } from "manifold";

// The ${name} environment. Every rule is an error here; relax one with "warning" or "off" (see the README's
// "Validation and waivers"). \`overrides.defaults\` refines every component, e.g. { replicas: 1 } for a dev cluster.
export default environment({
  name: "${name}",
  regions: ${JSON.stringify(regions)}, // exactly one primary region
  policy: {
    networkPolicies: true,
    disruptionBudgets: true,
    resourceQuota: true,
    rules: {
      "requests-limits": "error",
      probes: "error",
      "pinned-images": "error",
      "restricted-pods": "error",
      "min-replicas": "error",
      "pdb-allows-drain": "error",
      hpa: "error",
      // Off until images are pinned by digest (tag@sha256:…, read from the registry); then make it an error,
      // at least in production.
      "image-digests": "off",
    },
    registries: ["docker.io", "ghcr.io"], // where images may come from
  },
});
`;
}

/** `regions/<name>.ts`: a region with one cluster per environment (from `_clusters.ts`). */
export function regionFile(name: string, role: "primary" | "secondary" | "tertiary"): string {
  return `import { region } from "manifold";
import { clusters } from ${JSON.stringify("./_clusters.ts")};

// The ${name} region (${role}). Its clusters, one per environment, come from _clusters.ts.
export default region({
  name: "${name}",
  role: "${role}",${role === "primary" ? " // runs the writable databases; other regions follow it" : ""}
  // secretRef() values: each platform reads only <environment>/<platform>/* through its own SecretStore, as the IAM
  // role <roleArnPrefix><environment>-<platform> (create those roles; 111122223333 is a placeholder account).
  secretStore: {
    provider: "aws-secrets-manager",
    awsRegion: "us-west-2",
    roleArnPrefix: "arn:aws:iam::111122223333:role/secrets-",
  },
  clusters: clusters("${name}"),
  overrides: { config: { REGION: "${name}" } },
});
`;
}

/** `argocd/layer.ts`: every environment syncs automatically; the repository URL is a placeholder. */
export function argocdFile(): string {
  return `import { argocd } from "manifold";
import { environmentNames } from ${JSON.stringify("../regions/_clusters.ts")};

// The Argo CD layer: where the rendered tree lives and how each environment syncs. Replace repoURL with your
// repository. For a production environment, use a RollingSync rollout, e.g.
//   { automated: { prune: true, selfHeal: false }, preserveResourcesOnDeletion: true,
//     rollout: { type: "RollingSync",
//       steps: [{ roles: ["primary"], maxUpdate: 1 }, { roles: ["secondary"], maxUpdate: 1 }] } }
// (the primary region first: it holds the writable databases and runs the migrations the others depend on).
export default argocd({
  // The Argo CD version your management cluster runs: a rendered field it lacks is a compile error.
  argocdVersion: "3.3",
  repoURL: "https://git.example.com/platform/deploy.git",
  branch: "rendered-manifests",
  namespace: "argocd",
  environments: Object.fromEntries(
    environmentNames().map((env) => [
      env,
      {
        automated: { prune: true, selfHeal: true },
        rollout: { type: "AllAtOnce" as const },
        preserveResourcesOnDeletion: false,
      },
    ]),
  ),
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
`;
}

/** The new project's package.json: Manifold as a dependency, and the scripts the CI templates call. */
export function packageJson(name: string, manifold: string): string {
  const pkg = {
    name,
    private: true,
    type: "module",
    engines: { node: ">=20" },
    scripts: {
      compile: "manifold compile",
      validate: "manifold validate",
      manifold: "manifold",
      test: "node --test",
    },
    dependencies: { manifold },
  };
  return JSON.stringify(pkg, null, 2) + "\n";
}

/** tsconfig.json: for editors and `tsc --noEmit`; Manifold itself runs the descriptions without it. */
export function tsconfig(): string {
  const config = {
    compilerOptions: {
      target: "ES2022",
      module: "ESNext",
      moduleResolution: "Bundler",
      allowImportingTsExtensions: true,
      noEmit: true,
      strict: true,
      skipLibCheck: true,
      types: ["node"],
    },
    include: ["platforms", "environments", "regions", "argocd"],
  };
  return JSON.stringify(config, null, 2) + "\n";
}

/** .gitignore: the cache and the debris of an interrupted compile; rendered/ is committed. */
export function gitignore(): string {
  return ["node_modules/", ".manifold-cache/", "rendered.tmp-*/", "rendered.old-*/", ""].join("\n");
}

/** `test/manifold.test.mjs`: every check passes and every target compiles (node's own test runner). */
export function projectTest(): string {
  return `// Every description passes every check, and rendered/ (when committed) is up to date.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";

const pkg = createRequire(import.meta.url).resolve("manifold/package.json");
const cli = pkg.replace(/package\\.json$/, "bin/manifold.js");
const manifold = (...args) => spawnSync(process.execPath, [cli, ...args], { encoding: "utf8" });

test("every description passes validation", () => {
  const run = manifold("validate", "--format", "json");
  assert.equal(run.status, 0, run.stdout + run.stderr);
  const report = JSON.parse(run.stdout);
  assert.equal(report.ok, true);
  assert.ok(report.targets > 0, "at least one target");
});

test("rendered/ is up to date", { skip: !existsSync("rendered") && "no rendered/ yet: run npm run compile" }, () => {
  const run = manifold("compile", "--check");
  assert.equal(run.status, 0, run.stdout + run.stderr);
});
`;
}

/** The new project's README: how to run it. */
export function projectReadme(name: string): string {
  return `# ${name}

Kubernetes manifests for Argo CD, compiled by [Manifold](https://github.com/) from typed descriptions.

| path | what |
|---|---|
| \`platforms/\` | one description per platform |
| \`environments/\` | one file per environment: regions and policy |
| \`regions/\` | one file per region: clusters (\`_clusters.ts\`) and secret store |
| \`argocd/layer.ts\` | the Argo CD layer: repository, sync policy per environment |
| \`rendered/\` | compiler output, committed, never edited by hand |

\`\`\`sh
npx manifold compile          # render rendered/
npx manifold validate         # every check, nothing written
npx manifold plan --apps      # the Applications each cluster gets
npx manifold new platform shop
npm test
\`\`\`

CI: \`.github/workflows/manifold.yml\` (GitHub Actions) and \`.gitlab-ci.yml\` check that \`rendered/\` is up to date,
post \`manifold diff\` on merge requests and publish \`rendered/\` to the \`rendered-manifests\` branch on main.
`;
}
