/**
 * The bad-input corpus: broken descriptions, each with the exact error lines
 * it must give (`errorLines` of the ManifoldError). Each case breaks a fresh
 * copy of one small valid platform, or of this repo's environments and regions.
 */
import { platform, postgres, redis, secretRef, service, url } from "../../compiler/index.ts";

const resources = { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "200m", memory: "256Mi" } };
const probes = { liveness: { path: "/health" }, readiness: { path: "/ready" } };

/** The valid platform every case starts from (a fresh copy each time). */
export function basePlatform(): any {
  return platform({
    name: "corpus",
    namespace: "corpus",
    namePrefix: "corpus-",
    config: { API_URL: url("api", "http") },
    components: {
      db: postgres({ replicas: 2, storage: "1Gi", password: secretRef("corpus-db", "password"), resources }),
      cache: redis({ replicas: 2, storage: "1Gi", resources }),
      api: service({
        image: "docker.io/corpus/api:1.0.0", ports: { http: 8080 }, replicas: 2, resources, probes,
        autoscale: { min: 2, max: 4, cpu: 70 }, dependsOn: ["db", "cache"],
        env: { DB_PASSWORD: secretRef("corpus-db", "password") }, expose: { host: "api" },
      }),
      web: service({ image: "docker.io/corpus/web:1.0.0", ports: { http: 3000 }, replicas: 2, resources, probes, dependsOn: ["api"] }),
    },
    migrations: { image: "docker.io/corpus/api:1.0.0", command: ["/app/migrate"], dependsOn: ["db"], resources },
  });
}

export interface CorpusCase {
  name: string;
  /** Breaks the platform (a fresh copy); may return a replacement value. */
  platform?: (p: any) => unknown;
  /** Breaks this repo's environments or regions (fresh copies, keyed by name). */
  environments?: (e: Record<string, any>) => void;
  regions?: (r: Record<string, any>) => void;
  expect: string[];
}

export const CASES: CorpusCase[] = [
  // wrong types
  { name: "replicas as a string", platform: (p) => void (p.components.api.replicas = "2"), expect: ["platforms/corpus.ts: components.api.replicas: must be an integer at least 0 (got \"2\") [target corpus]"] },
  { name: "a port as a string", platform: (p) => void (p.components.api.ports.http = "8080"), expect: ["platforms/corpus.ts: components.api.ports.http: must be an integer from 1 to 65535 (got \"8080\") [target corpus]"] },
  { name: "autoscale as a number", platform: (p) => void (p.components.api.autoscale = 4), expect: ["platforms/corpus.ts: components.api.autoscale: must be an object (got 4) [target corpus]"] },
  { name: "dependsOn as a string", platform: (p) => void (p.components.web.dependsOn = "api"), expect: ["platforms/corpus.ts: components.web.dependsOn: must be a list (got \"api\") [target corpus]"] },
  { name: "a description that is not an object", platform: () => 42, expect: ["platforms/corpus.ts: must be an object (got 42)"] },
  { name: "an env value that is a number", platform: (p) => void (p.components.api.env.WORKERS = 4), expect: ["platforms/corpus.ts: components.api.env.WORKERS: must be a string (got 4) [target corpus]"] },
  // unknown fields and missing ones
  { name: "an unknown component field", platform: (p) => void (p.components.api.replica = 3), expect: ["platforms/corpus.ts: components.api.replica: unknown field (did you mean \"replicas\"?); known fields: type, image, replicas, resources, env, dependsOn, disruption, description, metrics, waive, access, egress, verticalScaling, ports, autoscale, probes, expose, rollout, serviceAccountToken, command, args, writablePaths, useConfig, configMap, files [target corpus]"] },
  { name: "an unknown platform field", platform: (p) => void (p.componets = {}), expect: ["platforms/corpus.ts: componets: unknown field (did you mean \"components\"?); known fields: name, namespace, namePrefix, description, config, components, runsIn, environments, regions, targets, patches, dashboards, migrations, smokeTest, notify, ingresses, storageClasses, volumes, mesh, alerts, recordingRules, prometheusStack, tracing [target corpus]"] },
  { name: "an unknown autoscale field", platform: (p) => void (p.components.api.autoscale.maxx = 9), expect: ["platforms/corpus.ts: components.api.autoscale.maxx: unknown field (did you mean \"max\"?); known fields: min, max, cpu, memory, metrics [target corpus]"] },
  { name: "a missing image", platform: (p) => void delete p.components.web.image, expect: ["platforms/corpus.ts: components.web.image: is required [target corpus]"] },
  { name: "a component without a type", platform: (p) => void delete p.components.web.type, expect: ["platforms/corpus.ts: components.web.type: is required: \"service\" or \"store\" (build components with service(), postgres(), redis() or qdrant()) [target corpus]"] },
  { name: "an unknown component type", platform: (p) => void (p.components.web.type = "job"), expect: ["platforms/corpus.ts: components.web.type: must be one of \"service\", \"store\" (got \"job\") [target corpus]"] },
  { name: "an unknown store engine", platform: (p) => void (p.components.db.engine = "mysql"), expect: ["platforms/corpus.ts: components.db.engine: must be one of \"postgres\", \"redis\", \"qdrant\", \"nats\", \"neo4j\" (got \"mysql\") [target corpus]"] },
  { name: "no components", platform: (p) => void (p.components = {}), expect: ["platforms/corpus.ts: components: must declare at least one component [target corpus]"] },
  // names
  { name: "a component key that is not DNS-1123", platform: (p) => void (p.components.Web_UI = p.components.web), expect: ["platforms/corpus.ts: components.Web_UI: must be a DNS-1123 label (lower-case letters, digits and '-', at most 63 characters) (got \"Web_UI\") [target corpus]"] },
  { name: "a namespace that is not DNS-1123", platform: (p) => void (p.namespace = "Corpus NS"), expect: ["platforms/corpus.ts: namespace: must be a DNS-1123 label (lower-case letters, digits and '-', at most 63 characters) (got \"Corpus NS\") [target corpus]"] },
  { name: "a name prefix without the trailing dash", platform: (p) => void (p.namePrefix = "corpus"), expect: ["platforms/corpus.ts: namePrefix: must be a lower-case prefix ending in '-' (got \"corpus\") [target corpus]"] },
  { name: "two components rendering the same object", platform: (p) => void (p.components["db-replica"] = { ...p.components.web, dependsOn: [] }), expect: [
    "platforms/corpus.ts: component db-replica: unique: Service/corpus-db-replica /metadata/name: two objects are both Service/corpus-db-replica (components db and db-replica) (fix: rename one of the components, or remove the duplicate) [targets corpus/production/us-west-2; corpus/production/us-east-1; corpus/production/eu-west-1; corpus/staging/us-west-2; corpus/staging/us-east-1]",
    "platforms/corpus.ts: component db-replica: unique: PodDisruptionBudget/corpus-db-replica /metadata/name: two objects are both PodDisruptionBudget/corpus-db-replica (components db and db-replica) (fix: rename one of the components, or remove the duplicate) [targets corpus/production/us-east-1; corpus/production/eu-west-1; corpus/staging/us-east-1]",
  ] },
  { name: "an invalid secret name", platform: (p) => void (p.components.api.env.TOKEN = secretRef("Corpus_Token", "token")), expect: ["platforms/corpus.ts: components.api.env.TOKEN.name: must be a DNS-1123 label (lower-case letters, digits and '-', at most 63 characters) (got \"Corpus_Token\") [target corpus]"] },
  { name: "an invalid environment variable name", platform: (p) => void (p.components.api.env["1BAD"] = "x"), expect: ["platforms/corpus.ts: components.api.env.1BAD: must be an environment variable name (got \"1BAD\") [target corpus]"] },
  { name: "an invalid image reference", platform: (p) => void (p.components.web.image = "Corpus/Web:1.0"), expect: ["platforms/corpus.ts: components.web.image: must be an image reference like registry/name:tag (got \"Corpus/Web:1.0\") [target corpus]"] },
  // the dependency graph
  { name: "a dangling dependsOn", platform: (p) => void (p.components.web.dependsOn = ["api", "gateway"]), expect: ["platforms/corpus.ts: components.web.dependsOn[1]: depends on unknown component \"gateway\"; known: db, cache, api, web [target corpus]"] },
  { name: "a component that depends on itself", platform: (p) => void (p.components.web.dependsOn = ["web"]), expect: ["platforms/corpus.ts: components.web.dependsOn[0]: depends on itself: web -> web [target corpus]"] },
  { name: "a dependency cycle of three", platform: (p) => void (p.components.db.dependsOn = ["web"]), expect: ["platforms/corpus.ts: components.api.dependsOn: dependency cycle: api -> db -> web -> api [target corpus]"] },
  {
    name: "an environment override that closes a dependency cycle",
    platform: (p) => void (p.environments = { staging: { components: { db: { dependsOn: ["web"] } } } }),
    expect: ["platforms/corpus.ts: components.db.dependsOn: dependency cycle: api -> db -> web -> api (set by platform environments.staging) [targets corpus/staging/us-west-2; corpus/staging/us-east-1]"],
  },
  {
    name: "an environment file that adds a dangling dependsOn",
    environments: (e) => void (e.dev.overrides.components = { web: { dependsOn: ["nope"] } }),
    expect: ['environments/dev.ts: components.web.dependsOn: depends on unknown component "nope" (set by environment dev) [target corpus/dev/us-west-2]'],
  },
  { name: "a postgres store without migrations", platform: (p) => void delete p.migrations, expect: ["platforms/corpus.ts: migrations: declares a relational database (db) but no migrations; add `migrations: { image, command, dependsOn: [\"db\"] }` so the schema is migrated before the services start [target corpus]"] },
  { name: "migrations that depend on an unknown component", platform: (p) => void (p.migrations.dependsOn = ["database"]), expect: ["platforms/corpus.ts: migrations.dependsOn[0]: depends on unknown component \"database\"; known: db, cache, api, web [target corpus]"] },
  { name: "a url() to an unknown component", platform: (p) => void (p.config.SEARCH_URL = url("search", "http")), expect: ["platforms/corpus.ts: config.SEARCH_URL: refers to unknown component \"search\"; known: db, cache, api, web [target corpus]"] },
  // ports and quantities
  { name: "two ports on one number", platform: (p) => void (p.components.api.ports = { http: 8080, admin: 8080 }), expect: ["platforms/corpus.ts: components.api.ports: ports \"http\" and \"admin\" both use 8080 [target corpus]"] },
  { name: "port 0", platform: (p) => void (p.components.api.ports.http = 0), expect: ["platforms/corpus.ts: components.api.ports.http: must be an integer from 1 to 65535 (got 0) [target corpus]"] },
  { name: "a port name longer than 15 characters", platform: (p) => void (p.components.web.ports = { "http-frontend-main": 3000 }), expect: ["platforms/corpus.ts: components.web.ports: port name \"http-frontend-main\" must be at most 15 characters [target corpus]"] },
  { name: "a memory request of 500mb", platform: (p) => void (p.components.web.resources = { ...resources, requests: { cpu: "100m", memory: "500mb" } }), expect: ["platforms/corpus.ts: components.web.resources.requests.memory: must be a Kubernetes quantity such as 500m, 1, 512Mi or 10Gi (got \"500mb\") [target corpus]"] },
  { name: "storage of ten gigs", platform: (p) => void (p.components.db.storage = "ten gigs"), expect: ["platforms/corpus.ts: components.db.storage: must be a Kubernetes quantity such as 500m, 1, 512Mi or 10Gi (got \"ten gigs\") [target corpus]"] },
  { name: "requests above limits", platform: (p) => void (p.components.web.resources = { requests: { cpu: "2", memory: "128Mi" }, limits: { cpu: "1", memory: "256Mi" } }), expect: ["platforms/corpus.ts: components.web.resources: requests.cpu (2) must not exceed limits.cpu (1) [target corpus]"] },
  // autoscaling
  { name: "an HPA whose min is above its max", platform: (p) => void (p.components.api.autoscale = { min: 5, max: 3, cpu: 70 }), expect: ["platforms/corpus.ts: components.api.autoscale: min (5) must not be above max (3) [target corpus]"] },
  { name: "an HPA minimum of 0", platform: (p) => void (p.components.api.autoscale.min = 0), expect: ["platforms/corpus.ts: components.api.autoscale.min: must be an integer at least 1 (got 0) [target corpus]"] },
  { name: "an HPA without resources", platform: (p) => void (p.components.api.resources = {}), expect: [
    "platforms/corpus.ts: component api: hpa: HorizontalPodAutoscaler/corpus-api /spec/metrics: scales on cpu utilisation but container api of Deployment/corpus-api requests no cpu (fix: set resources.requests.cpu) [targets corpus/production/us-west-2; corpus/production/us-east-1; corpus/production/eu-west-1; corpus/staging/us-west-2; corpus/staging/us-east-1]",
    "platforms/corpus.ts: component api: requests-limits: Deployment/corpus-api /spec/template/spec/containers/0/resources/requests: container api sets no cpu or memory requests (fix: set resources.requests.cpu and memory on the component) [targets corpus/production/us-west-2; corpus/production/us-east-1; corpus/production/eu-west-1; corpus/staging/us-west-2; corpus/staging/us-east-1]",
    "platforms/corpus.ts: component api: requests-limits: Deployment/corpus-api /spec/template/spec/containers/0/resources/limits: container api sets no cpu or memory limits (fix: set resources.limits.cpu and memory on the component) [targets corpus/production/us-west-2; corpus/production/us-east-1; corpus/production/eu-west-1; corpus/staging/us-west-2; corpus/staging/us-east-1]",
  ] },
  // environments, regions and layers
  { name: "an unknown region", environments: (e) => void (e.staging.regions = ["us-west-2", "ap-south-9"]), expect: ["environments/staging.ts: regions[1]: unknown region \"ap-south-9\"; known regions: eu-west-1, us-east-1, us-west-2 [target staging]"] },
  { name: "an environment that lists a region twice", environments: (e) => void (e.staging.regions = ["us-west-2", "us-west-2"]), expect: ["environments/staging.ts: regions: lists a region twice [target staging]"] },
  { name: "an environment without a primary region", environments: (e) => void (e.staging.regions = ["us-east-1"]), expect: ["environments/staging.ts: regions: must include exactly one region whose role is primary (found 0) [target staging]"] },
  { name: "a region without a cluster for an environment", regions: (r) => void delete r["us-east-1"].clusters.staging, expect: ["regions/us-east-1.ts: clusters.staging: has no cluster for environment \"staging\" [target staging/us-east-1]"] },
  { name: "an unknown policy rule in an environment", environments: (e) => void (e.dev.policy.rules["min-replica"] = "off"), expect: ["environments/dev.ts: policy.rules.min-replica: must be one of \"requests-limits\", \"probes\", \"pinned-images\", \"restricted-pods\", \"min-replicas\", \"pdb-allows-drain\", \"hpa\", \"image-digests\" (got \"min-replica\")"] },
  { name: "an unknown policy level", environments: (e) => void (e.dev.policy.rules.probes = "relaxed"), expect: ["environments/dev.ts: policy.rules.probes: must be one of \"off\", \"warning\", \"error\" (got \"relaxed\")"] },
  { name: "runsIn an unknown environment", platform: (p) => void (p.runsIn = ["production", "qa"]), expect: ["platforms/corpus.ts: runsIn[1]: unknown environment \"qa\"; known: dev, production, staging [target corpus]"] },
  { name: "a per-target override for a target that does not exist", platform: (p) => void (p.targets = { "dev/eu-west-1": { components: { api: { replicas: 3 } } } }), expect: ["platforms/corpus.ts: targets.dev/eu-west-1: \"dev/eu-west-1\" is not a target: environment dev does not run in region eu-west-1 [target corpus]"] },
  { name: "an environment override of an unknown component", platform: (p) => void (p.environments = { staging: { components: { ap: { replicas: 3 } } } }), expect: ["platforms/corpus.ts: environments.staging.components.ap: overrides unknown component \"ap\"; known: db, cache, api, web [target corpus]"] },
  // policy (production strict)
  { name: "a latest image in production", platform: (p) => void (p.components.web.image = "docker.io/corpus/web:latest"), expect: ["platforms/corpus.ts: component web: pinned-images: Deployment/corpus-web /spec/template/spec/containers/0/image: image \"docker.io/corpus/web:latest\" is not pinned (fix: use an explicit version tag or a digest) [targets corpus/production/us-west-2; corpus/production/us-east-1; corpus/production/eu-west-1]"] },
  { name: "one replica in production", platform: (p) => void (p.targets = { "production/eu-west-1": { components: { web: { replicas: 1 } } } }), expect: ["platforms/corpus.ts: component web: min-replicas: Deployment/corpus-web /spec/replicas: runs 1 pod; one node failure takes it down (fix: set replicas to 2 or more) [target corpus/production/eu-west-1]"] },
  { name: "probes turned off in production", platform: (p) => void (p.environments = { production: { components: { web: { probes: { liveness: false } } } } }), expect: ["platforms/corpus.ts: component web: probes: Deployment/corpus-web /spec/template/spec/containers/0/livenessProbe: container web has no livenessProbe (fix: set probes.readiness and probes.liveness on the component) [targets corpus/production/us-west-2; corpus/production/us-east-1; corpus/production/eu-west-1]"] },
  // patches
  { name: "a patch that turns the ConfigMap into a plaintext Secret", platform: (p) => void (p.patches = [{ target: { kind: "ConfigMap", name: "corpus-config" }, ops: [{ op: "replace", path: "/kind", value: "Secret" }, { op: "replace", path: "/data", value: { API_URL: "aHR0cDovL2NvcnB1cy1hcGk6ODA4MA==" } }] }]), expect: [
    "platforms/corpus.ts: no-plaintext-secret: Secret/corpus-config /data: a Secret carries plaintext data (fix: declare the value with secretRef() so it renders as an ExternalSecret) [targets corpus/dev/us-west-2; corpus/production/us-west-2; corpus/production/us-east-1; corpus/production/eu-west-1; corpus/staging/us-west-2; corpus/staging/us-east-1]",
    "platforms/corpus.ts: component api: pod-references: Deployment/corpus-api /spec/template/spec/containers/0/envFrom/0/configMapRef/name: refers to ConfigMap \"corpus-config\", which this Application does not render (fix: add the entry to the platform config, or correct the name) [targets corpus/dev/us-west-2; corpus/production/us-west-2; corpus/production/us-east-1; corpus/production/eu-west-1; corpus/staging/us-west-2; corpus/staging/us-east-1]",
    "platforms/corpus.ts: component web: pod-references: Deployment/corpus-web /spec/template/spec/containers/0/envFrom/0/configMapRef/name: refers to ConfigMap \"corpus-config\", which this Application does not render (fix: add the entry to the platform config, or correct the name) [targets corpus/dev/us-west-2; corpus/production/us-west-2; corpus/production/us-east-1; corpus/production/eu-west-1; corpus/staging/us-west-2; corpus/staging/us-east-1]",
    "platforms/corpus.ts: component migrate: pod-references: Job/corpus-migrate /spec/template/spec/containers/0/envFrom/0/configMapRef/name: refers to ConfigMap \"corpus-config\", which this Application does not render (fix: add the entry to the platform config, or correct the name) [targets corpus/dev/us-west-2; corpus/production/us-west-2; corpus/staging/us-west-2]",
  ] },
  { name: "a patch that turns an ExternalSecret into a Secret with stringData", platform: (p) => void (p.patches = [{ target: { kind: "ExternalSecret", name: "corpus-db" }, ops: [{ op: "replace", path: "/apiVersion", value: "v1" }, { op: "replace", path: "/kind", value: "Secret" }, { op: "remove", path: "/spec" }, { op: "add", path: "/stringData", value: { password: "hunter2" } }] }]), expect: [
    "platforms/corpus.ts: no-plaintext-secret: Secret/corpus-db /stringData: a Secret carries plaintext stringData (fix: declare the value with secretRef() so it renders as an ExternalSecret) [targets corpus/dev/us-west-2; corpus/production/us-west-2; corpus/production/us-east-1; corpus/production/eu-west-1; corpus/staging/us-west-2; corpus/staging/us-east-1]",
    "platforms/corpus.ts: component db: pod-references: StatefulSet/corpus-db-primary /spec/template/spec/containers/0/env/3/valueFrom/secretKeyRef: refers to key \"replication-password\" of Secret corpus-db, which the Secret does not carry (fix: add the key to the ExternalSecret or correct the key) [targets corpus/dev/us-west-2; corpus/production/us-west-2; corpus/staging/us-west-2]",
    "platforms/corpus.ts: component db: pod-references: StatefulSet/corpus-db-replica /spec/template/spec/containers/0/env/5/valueFrom/secretKeyRef: refers to key \"replication-password\" of Secret corpus-db, which the Secret does not carry (fix: add the key to the ExternalSecret or correct the key) [targets corpus/production/us-west-2; corpus/production/us-east-1; corpus/production/eu-west-1; corpus/staging/us-west-2; corpus/staging/us-east-1]",
  ] },
  { name: "a patch that removes a field that is not there", platform: (p) => void (p.patches = [{ target: { kind: "Deployment", name: "corpus-web" }, ops: [{ op: "remove", path: "/spec/paused" }] }]), expect: ["platforms/corpus.ts: patches[0].ops[0]: cannot apply to Deployment/corpus-web: Cannot perform the operation at a path that does not exist [targets corpus/dev/us-west-2; corpus/production/us-west-2; corpus/production/us-east-1; corpus/production/eu-west-1; corpus/staging/us-west-2; corpus/staging/us-east-1]"] },
  { name: "a patch for an object that is not rendered", platform: (p) => void (p.patches = [{ target: { kind: "Deployment", name: "corpus-webb" }, ops: [{ op: "add", path: "/spec/paused", value: true }] }]), expect: ["platforms/corpus.ts: patches[0]: targets Deployment/corpus-webb, which this target does not render [targets corpus/dev/us-west-2; corpus/production/us-west-2; corpus/production/us-east-1; corpus/production/eu-west-1; corpus/staging/us-west-2; corpus/staging/us-east-1]"] },
  { name: "a patch whose test op fails", platform: (p) => void (p.patches = [{ target: { kind: "Deployment", name: "corpus-web" }, environments: ["production"], ops: [{ op: "test", path: "/spec/replicas", value: 3 }] }]), expect: ["platforms/corpus.ts: patches[0].ops[0]: cannot apply to Deployment/corpus-web: Test operation failed [targets corpus/production/us-west-2; corpus/production/us-east-1; corpus/production/eu-west-1]"] },
  { name: "a patch that adds an unknown field", platform: (p) => void (p.patches = [{ target: { kind: "Deployment", name: "corpus-web" }, environments: ["production"], regions: ["us-west-2"], ops: [{ op: "add", path: "/spec/template/spec/containers/0/resourcez", value: {} }] }]), expect: ["platforms/corpus.ts: component web: unknown-fields: Deployment/corpus-web /spec/template/spec/containers/0/resourcez: unknown field \"resourcez\" (fix: remove the field or correct its spelling (check the patch that adds it)) [target corpus/production/us-west-2]"] },
  { name: "a patch that sets replicas under an HPA", platform: (p) => void (p.patches = [{ target: { kind: "Deployment", name: "corpus-api" }, environments: ["production"], regions: ["us-west-2"], ops: [{ op: "add", path: "/spec/replicas", value: 3 }] }]), expect: ["platforms/corpus.ts: component api: hpa: Deployment/corpus-api /spec/replicas: sets spec.replicas while HorizontalPodAutoscaler/corpus-api scales it; Argo CD and the HPA would fight (fix: remove spec.replicas (patches included) from a workload under an HPA) [target corpus/production/us-west-2]"] },
  { name: "a patch that sets a sync wave that is not an integer", platform: (p) => void (p.patches = [{ target: { kind: "Service", name: "corpus-web" }, environments: ["dev"], ops: [{ op: "replace", path: ["metadata", "annotations", "argocd.argoproj.io/sync-wave"], value: "soon" }] }]), expect: ["platforms/corpus.ts: component web: argocd-values: Service/corpus-web /metadata/annotations/argocd.argoproj.io~1sync-wave: sync wave \"soon\" is not an integer (fix: write the wave as an integer string such as \"2\") [target corpus/dev/us-west-2]"] },
  { name: "a patch that adds an unknown sync option", platform: (p) => void (p.patches = [{ target: { kind: "Service", name: "corpus-web" }, environments: ["dev"], ops: [{ op: "add", path: ["metadata", "annotations", "argocd.argoproj.io/sync-options"], value: "ServerSideApply=true,Prune=never" }] }]), expect: ["platforms/corpus.ts: component web: argocd-values: Service/corpus-web /metadata/annotations/argocd.argoproj.io~1sync-options: sync option \"Prune=never\" must be Prune=false or Prune=confirm (fix: use a sync option from Argo CD's documentation, e.g. ServerSideApply=true) [target corpus/dev/us-west-2]"] },
  { name: "a patch that adds a waiver without a reason", platform: (p) => void (p.patches = [{ target: { kind: "Deployment", name: "corpus-web" }, environments: ["dev"], ops: [{ op: "add", path: ["metadata", "annotations", "waive.manifold.dev/probes"], value: "" }] }]), expect: ["platforms/corpus.ts: component web: waivers: Deployment/corpus-web /metadata/annotations/waive.manifold.dev~1probes: a waiver must give its reason (fix: write why, e.g. waive.manifold.dev/probes: \"single-replica by design: leader election\") [target corpus/dev/us-west-2]"] },
  { name: "a patch that points a Service at no pods", platform: (p) => void (p.patches = [{ target: { kind: "Service", name: "corpus-web" }, environments: ["dev"], ops: [{ op: "replace", path: ["spec", "selector", "app.kubernetes.io/name"], value: "webb" }] }]), expect: ["platforms/corpus.ts: component web: service-selectors: Service/corpus-web /spec/selector: selects no pod template (app.kubernetes.io/name=webb, app.kubernetes.io/part-of=corpus) (fix: match the labels of a rendered workload's pod template) [target corpus/dev/us-west-2]"] },
  { name: "a patch that routes the Ingress to a port the Service lacks", platform: (p) => void (p.patches = [{ target: { kind: "Ingress", name: "corpus-api" }, environments: ["dev"], ops: [{ op: "replace", path: "/spec/rules/0/http/paths/0/backend/service/port", value: { number: 9090 } }] }]), expect: ["platforms/corpus.ts: component api: backends: Ingress/corpus-api /spec/rules/0/http/paths/0/backend/service/port: routes to port 9090 of Service corpus-api, which exposes http:8080 (fix: use a port the Service exposes) [target corpus/dev/us-west-2]"] },
  { name: "a URL to a port the Service does not expose", platform: (p) => void (p.components.web.env = { API: "http://corpus-api:9999/v1" }), expect: ["platforms/corpus.ts: component web: url-references: Deployment/corpus-web /spec/template/spec/containers/0/env/0/value: points at http://corpus-api:9999, but Service corpus-api exposes 8080 (fix: use one of the Service's ports (8080), or url() to refer to a component) [targets corpus/dev/us-west-2; corpus/production/us-west-2; corpus/production/us-east-1; corpus/production/eu-west-1; corpus/staging/us-west-2; corpus/staging/us-east-1]"] },
];
