import type { Resources, ServiceComponent } from "./types.ts";
import { service } from "./service.ts";

/** The pinned Cloud SDK image that carries the emulators. */
export const PUBSUB_EMULATOR_IMAGE = "gcr.io/google.com/cloudsdktool/google-cloud-cli:499.0.0-emulators";
export const PUBSUB_EMULATOR_PORT = 8085;

export interface PubSubEmulatorOptions {
  /** The Google Cloud project the emulator serves, e.g. `alfred-agent-platform`. */
  project: string;
  image?: string;
  resources?: Resources;
  description?: string;
  dependsOn?: string[];
}

/**
 * The Google Cloud Pub/Sub emulator as a service on port 8085 (gRPC and REST).
 * It keeps topics and subscriptions in memory, so it runs exactly one replica
 * and never autoscales (a second replica would split the state); a layer that
 * raises `replicas` must set it back to 1. Clients point `PUBSUB_EMULATOR_HOST`
 * at `address("<component>")`.
 */
export function pubsubEmulator(options: PubSubEmulatorOptions): ServiceComponent {
  return service({
    description: options.description ?? `Pub/Sub emulator for project ${options.project}`,
    image: options.image ?? PUBSUB_EMULATOR_IMAGE,
    ports: { pubsub: PUBSUB_EMULATOR_PORT },
    replicas: 1,
    waive: {
      "min-replicas":
        "the Pub/Sub emulator keeps its state in memory; a second replica would be a second, empty emulator",
    },
    autoscale: false,
    disruption: false,
    useConfig: false,
    command: [
      "gcloud",
      "beta",
      "emulators",
      "pubsub",
      "start",
      `--project=${options.project}`,
      `--host-port=0.0.0.0:${PUBSUB_EMULATOR_PORT}`,
      "--data-dir=/tmp/pubsub",
    ],
    // gcloud writes its configuration under HOME; the root filesystem is read-only.
    env: { HOME: "/tmp", CLOUDSDK_CONFIG: "/tmp/gcloud" },
    writablePaths: ["/tmp"],
    resources: options.resources ?? {
      requests: { cpu: "100m", memory: "256Mi" },
      limits: { cpu: "500m", memory: "1Gi" },
    },
    probes: {
      startup: { path: `/v1/projects/${options.project}/topics`, periodSeconds: 5, failureThreshold: 30 },
      liveness: { path: `/v1/projects/${options.project}/topics` },
      readiness: { path: `/v1/projects/${options.project}/topics` },
    },
    dependsOn: options.dependsOn,
  });
}
