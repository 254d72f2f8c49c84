/**
 * The pod template every workload shares: restricted security context,
 * canonical resources, env from values, secrets and component URLs.
 */
import { spreadConstraints } from "./spread.ts";
import type {
  IIoK8sApiCoreV1Container as Container,
  IIoK8sApiCoreV1EnvVar as EnvVar,
  IIoK8sApiCoreV1PodTemplateSpec as PodTemplateSpec,
  IIoK8sApiCoreV1Probe as K8sProbe,
  IIoK8sApiCoreV1Volume as Volume,
  IIoK8sApiCoreV1VolumeMount as VolumeMount,
} from "kubernetes-models/v1";
import type { EnvValue, HttpProbe, Resources } from "../describe/types.ts";
import { isConfigRef, isIngressUrlRef, isSecretRef, isUrlRef } from "../describe/refs.ts";
import { canonicalQuantity } from "../quantity.ts";
import type { ResolvedTarget } from "../model/target.ts";
import { crossRegionTls } from "./exposure.ts";
import { CROSS_REGION_CA_FILE, caFileEntries } from "./trust.ts";
import { configMapName, objectName } from "./naming.ts";
import { declaredHosts, publicHost } from "./hosts.ts";
import { dependencyOrderedEnv } from "../kube/env-references.ts";
import { ManifoldError } from "../errors.ts";
import { ENGINES } from "../stores/index.ts";

/** Resources with every quantity in canonical form. */
export function canonicalResources(resources: Resources): {
  requests?: Record<string, string>;
  limits?: Record<string, string>;
} {
  const out: { requests?: Record<string, string>; limits?: Record<string, string> } = {};
  for (const side of ["requests", "limits"] as const) {
    const amounts = resources[side];
    if (!amounts) continue;
    const canon: Record<string, string> = {};
    for (const [k, v] of Object.entries(amounts)) if (v !== undefined) canon[k] = canonicalQuantity(v);
    if (Object.keys(canon).length) out[side] = canon;
  }
  return out;
}

/** The port of a component, by name or its first. */
export function componentPort(
  target: ResolvedTarget,
  component: string,
  portName?: string,
): { name: string; port: number } {
  const c = target.components[component];
  const ports = c.type === "service" ? c.ports : storePorts(target, component);
  const entries = Object.entries(ports);
  const found = portName ? entries.find(([n]) => n === portName) : entries[0];
  if (!found)
    throw new ManifoldError(
      `component "${component}" has no port named "${portName}"; it has ${entries.map(([n]) => n).join(", ")}`,
      { target: target.id },
    );
  return { name: found[0], port: found[1] };
}

function storePorts(target: ResolvedTarget, component: string): Record<string, number> {
  const c = target.components[component];
  return c.type === "store" ? ENGINES[c.engine].ports : {};
}

/** The value of an env entry or config key: a literal, a resolved component URL or address, or a public ingress URL. */
export function literalValue(target: ResolvedTarget, value: EnvValue): string | undefined {
  if (typeof value === "string") return value;
  if (isUrlRef(value)) {
    if (!target.components[value.component])
      throw new ManifoldError(`url() names unknown component "${value.component}"`, { target: target.id });
    const c = target.components[value.component];
    const remote = c.type === "store" && target.role !== "primary" ? crossRegionTls(target, c)?.tls : undefined;
    if (remote) {
      // A store in the primary region, reached across regions: its TLS port, and what asks the client for TLS.
      // With the CA file, where the URL format has a parameter for it (the pod mounts it: see trust.ts).
      const scheme = value.scheme ? `${remote.client.schemes?.[value.scheme] ?? value.scheme}://` : "";
      const path = value.path ?? "";
      const { query, caFileParameter } = remote.client;
      const params = [
        ...(query ? [query] : []),
        ...(caFileParameter ? [`${caFileParameter}=${CROSS_REGION_CA_FILE}`] : []),
      ];
      const search = params.length ? `${path.includes("?") ? "&" : "?"}${params.join("&")}` : "";
      return `${scheme}${objectName(target, value.component)}:${remote.port.number}${path}${search}`;
    }
    const { port } = componentPort(target, value.component, value.port);
    const scheme = value.scheme ? `${value.scheme}://` : "";
    return `${scheme}${objectName(target, value.component)}:${port}${value.path ?? ""}`;
  }
  if (isIngressUrlRef(value)) {
    const hosts = declaredHosts(target);
    if (!hosts.includes(value.host)) {
      throw new ManifoldError(
        `ingressUrl() names host "${value.host}", which no ingress or expose publishes${hosts.length ? `; published: ${hosts.join(", ")}` : ""}`,
        { target: target.id },
      );
    }
    return `https://${publicHost(target, value.host)}${value.path ?? ""}`;
  }
  return undefined;
}

/**
 * Env vars from a description map, with the CA file variable of each URL that reaches a store across regions (see
 * trust.ts), sorted by name for stable output, then each after the variables its value refers to with `$(NAME)`
 * (Kubernetes expands only variables defined earlier in the list).
 */
export function envVars(target: ResolvedTarget, env: Record<string, EnvValue> | undefined): EnvVar[] {
  const caFiles = caFileEntries(target, env, "env");
  const all: Record<string, EnvValue> = { ...env, ...caFiles };
  const vars = Object.keys(all)
    .sort()
    .map((name): EnvVar => {
      const value = all[name];
      if (isSecretRef(value)) return { name, valueFrom: { secretKeyRef: { name: value.name, key: value.key } } };
      if (isConfigRef(value)) {
        if (!(value.key in target.config)) {
          throw new ManifoldError(
            `env ${name} reads config key "${value.key}", which the platform ConfigMap does not have; it has ${Object.keys(target.config).sort().join(", ") || "no keys"}`,
            { target: target.id },
          );
        }
        return { name, valueFrom: { configMapKeyRef: { name: configMapName(target), key: value.key } } };
      }
      return { name, value: literalValue(target, value)! };
    });
  return dependencyOrderedEnv(vars);
}

/** An HTTP probe on a named port. */
export function httpProbe(probe: HttpProbe, defaultPort: string): K8sProbe {
  return {
    httpGet: { path: probe.path, port: probe.port ?? defaultPort },
    initialDelaySeconds: probe.initialDelaySeconds,
    periodSeconds: probe.periodSeconds ?? 10,
    timeoutSeconds: probe.timeoutSeconds ?? 3,
    failureThreshold: probe.failureThreshold ?? 3,
  };
}

/** The restricted container security context the seeds and Pod Security `restricted` demand. */
export function containerSecurity(): Container["securityContext"] {
  return {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
  };
}

export interface PodOptions {
  name: string;
  labels: Record<string, string>;
  container: Container;
  serviceAccountName: string;
  automountToken: boolean;
  runAsUser: number;
  writablePaths: string[];
  extraVolumes?: Volume[];
  extraMounts?: VolumeMount[];
  /** Containers that run before the main one (e.g. seeding writable paths from the image). */
  initContainers?: Container[];
  /** Selector labels of a replicated workload's pods, to spread them across zones and nodes. */
  spread?: Record<string, string>;
  /** Containers that run beside the main one (a metrics exporter), with the same restricted security context. */
  sidecars?: Container[];
}

/** The name of the emptyDir volume behind a writable path. */
export function volumeName(path: string): string {
  return ("tmp" + path.replace(/[^a-z0-9]+/gi, "-").toLowerCase()).replace(/-+$/, "").slice(0, 63);
}

/** A pod template with the restricted security context and an emptyDir for each writable path. */
export function podTemplate(options: PodOptions): PodTemplateSpec {
  const writable = [...options.writablePaths].sort();
  const volumes: Volume[] = [
    ...writable.map((path) => ({ name: volumeName(path), emptyDir: {} })),
    ...(options.extraVolumes ?? []),
  ];
  const mounts: VolumeMount[] = [
    ...writable.map((path) => ({ name: volumeName(path), mountPath: path })),
    ...(options.extraMounts ?? []),
  ];
  return {
    metadata: { labels: options.labels },
    spec: {
      serviceAccountName: options.serviceAccountName,
      automountServiceAccountToken: options.automountToken,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: options.runAsUser,
        runAsGroup: options.runAsUser,
        fsGroup: options.runAsUser,
        seccompProfile: { type: "RuntimeDefault" },
      },
      topologySpreadConstraints: options.spread ? spreadConstraints(options.spread) : undefined,
      initContainers: options.initContainers?.length ? options.initContainers : undefined,
      containers: [
        {
          ...options.container,
          securityContext: containerSecurity(),
          volumeMounts: mounts.length ? mounts : undefined,
        },
        ...(options.sidecars ?? []).map((c) => ({ ...c, securityContext: containerSecurity() })),
      ],
      volumes: volumes.length ? volumes : undefined,
    },
  };
}
