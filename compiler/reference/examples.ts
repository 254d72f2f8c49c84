/**
 * What each building block renders: every block is called with a minimal input, compiled in a one-region
 * project held in memory (findings are kept, not thrown), and its objects and defaults are read off the result.
 */
import * as manifold from "../index.ts";
import type { Component, EnvironmentDescription, PlatformDescription, RegionDescription, Resources } from "../index.ts";
import type { KubeObject } from "../model/object.ts";
import type { Project } from "../model/project.ts";
import { CAPABILITY_NAMES } from "../describe/capabilities.ts";

const resources: Resources = { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "200m", memory: "256Mi" } };
const password = manifold.secretRef("example-db", "password");

/** The smallest input of every building block that renders objects, keyed by the block's name. */
export const MINIMAL: Record<string, { input: unknown; component: () => Component }> = {
  service: {
    input: { image: "example/app:1.0.0", ports: { http: 8080 }, replicas: 2, resources },
    component: () => manifold.service({ image: "example/app:1.0.0", ports: { http: 8080 }, replicas: 2, resources }),
  },
  webFrontend: {
    input: { image: "example/web:1.0.0", port: 3000, publicEnv: {}, replicas: 2, resources },
    component: () =>
      manifold.webFrontend({ image: "example/web:1.0.0", port: 3000, publicEnv: {}, replicas: 2, resources }),
  },
  pubsubEmulator: {
    input: { project: "example" },
    component: () => manifold.pubsubEmulator({ project: "example" }),
  },
  grafana: {
    input: { adminPassword: 'secretRef("example-grafana", "password")', datasources: {} },
    component: () =>
      manifold.grafana({ adminPassword: manifold.secretRef("example-grafana", "password"), datasources: {} }),
  },
  postgres: {
    input: { storage: "1Gi", replicas: 1, resources, password: 'secretRef("example-db", "password")' },
    component: () => manifold.postgres({ storage: "1Gi", replicas: 1, resources, password }),
  },
  redis: {
    input: { storage: "1Gi", replicas: 1, resources },
    component: () => manifold.redis({ storage: "1Gi", replicas: 1, resources }),
  },
  qdrant: {
    input: { storage: "1Gi", replicas: 1, resources },
    component: () => manifold.qdrant({ storage: "1Gi", replicas: 1, resources }),
  },
  nats: {
    input: { storage: "1Gi", replicas: 1, resources },
    component: () => manifold.nats({ storage: "1Gi", replicas: 1, resources }),
  },
  neo4j: {
    input: { storage: "1Gi", replicas: 1, resources, password: 'secretRef("example-neo4j", "auth")' },
    component: () =>
      manifold.neo4j({ storage: "1Gi", replicas: 1, resources, password: manifold.secretRef("example-neo4j", "auth") }),
  },
};

/** The descriptions, which render through a platform rather than on their own. */
export const DESCRIPTIONS = ["platform", "environment", "region", "argocd"];

const ENVIRONMENT: EnvironmentDescription = {
  name: "example",
  regions: ["example-1"],
  policy: { networkPolicies: true, disruptionBudgets: true, resourceQuota: true, rules: {} },
};
const REGION: RegionDescription = {
  name: "example-1",
  role: "primary",
  secretStore: {
    provider: "aws-secrets-manager",
    awsRegion: "us-west-2",
    roleArnPrefix: "arn:aws:iam::111122223333:role/secrets-",
  },
  clusters: {
    example: {
      name: "example",
      server: "https://k8s.example.com",
      ingressDomain: "example.com",
      serviceDomain: "svc.example.internal",
      capabilities: {
        kubernetesVersion: "1.33",
        argocdVersion: "3.3",
        cni: { name: "cilium", networkPolicy: true },
        provided: [...CAPABILITY_NAMES],
      },
    },
  },
};

/** Compiles one platform in the in-memory project and returns its objects. */
export function render(platform: PlatformDescription): KubeObject[] {
  const project: Project = {
    root: "/nonexistent",
    platforms: [{ file: `platforms/${platform.name}.ts`, value: platform }],
    environments: [{ file: "environments/example.ts", value: ENVIRONMENT }],
    regions: [{ file: "regions/example-1.ts", value: REGION }],
  };
  const result = manifold.compileLoaded(project, { keepErrors: true });
  return result.targets.flatMap((t) => t.objects.map((o) => o.object));
}

/** A platform holding one component, `app`, plus what it needs to compile (migrations next to postgres). */
export function platformWith(component: Component): PlatformDescription {
  const store = component.type === "store" && component.engine === "postgres";
  return {
    name: "example",
    namespace: "example",
    components: { app: component },
    ...(store ? { migrations: { image: "example/app:1.0.0", command: ["./migrate"], dependsOn: ["app"] } } : {}),
  };
}
