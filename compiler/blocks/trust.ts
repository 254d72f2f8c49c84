/**
 * The clients' trust in the stores they reach across regions. Outside the primary region a URL to a `crossRegion`
 * store reaches the primary region's store over TLS, and its server certificate comes from the environment's private
 * cross-region CA (`CROSS_REGION_ISSUER`), which no system trust store holds. So in such a region:
 *
 * - a cert-manager Certificate `cross-region-ca` from that issuer makes a Secret whose `ca.crt` is the CA (the trust
 *   bundle; its own key pair is never mounted);
 * - every pod whose environment carries such a URL (its own `env`, the platform ConfigMap or its own ConfigMap read
 *   with `envFrom`, or a `configRef` to one) mounts that `ca.crt`, alone, at `CROSS_REGION_CA_FILE`;
 * - next to each such URL variable `<X>_URL` (in the same ConfigMap or env) comes `<X>_CA_FILE`, the CA file's path,
 *   whatever the URL's format; a URL format with a standard parameter for it (libpq's `sslrootcert`) names it too.
 *
 * Language-neutral on purpose: nothing replaces the system bundle (`SSL_CERT_FILE`) or adds to one runtime's trust
 * (`NODE_EXTRA_CA_CERTS`); an app hands the file to its client (see the README, "Clients in other regions").
 */
import { Certificate } from "@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate";
import type { IIoK8sApiCoreV1Volume as Volume, IIoK8sApiCoreV1VolumeMount as VolumeMount } from "kubernetes-models/v1";
import { isConfigRef, isUrlRef } from "../describe/refs.ts";
import type { EnvValue } from "../describe/types.ts";
import { ManifoldError } from "../errors.ts";
import type { RenderedObject } from "../model/object.ts";
import type { ResolvedTarget } from "../model/target.ts";
import type { StoreTls } from "../stores/engine.ts";
import { CROSS_REGION_ISSUER, crossRegionTls } from "./exposure.ts";
import { platformLabels } from "./naming.ts";
import { make, plain } from "./objects.ts";

/** The Certificate (and Secret) that carries the cross-region CA into a namespace. */
export const CROSS_REGION_CA_SECRET = "cross-region-ca";
/** Where client pods find the cross-region CA. */
export const CROSS_REGION_CA_DIR = "/etc/manifold/cross-region-ca";
export const CROSS_REGION_CA_FILE = `${CROSS_REGION_CA_DIR}/ca.crt`;
const VOLUME = "cross-region-ca";

/** A value as a container sees it: a `configRef` is the platform ConfigMap's entry. */
function seen(target: ResolvedTarget, value: EnvValue): EnvValue | undefined {
  return isConfigRef(value) ? target.config[value.key] : value;
}

/** The TLS settings of the primary region's store that a value's `url()` reaches from this region, else undefined. */
export function remoteTls(target: ResolvedTarget, value: EnvValue | undefined): StoreTls | undefined {
  if (target.role === "primary" || !isUrlRef(value)) return undefined;
  const c = target.components[value.component];
  return c?.type === "store" ? crossRegionTls(target, c)?.tls : undefined;
}

/** The variable that names the CA file of URL variable `name`: `REDIS_URL` → `REDIS_CA_FILE`, `DB` → `DB_CA_FILE`. */
export function caFileVariable(name: string): string {
  return `${name.replace(/_(URL|URI)$/, "")}_CA_FILE`;
}

/**
 * The `<X>_CA_FILE` entries for the variables of `values` whose URLs reach a store across regions (a `configRef` to
 * such a URL included). `field` names the map in errors: a variable of that name already there is a conflict.
 */
export function caFileEntries(
  target: ResolvedTarget,
  values: Record<string, EnvValue> | undefined,
  field: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(values ?? {})) {
    if (!remoteTls(target, seen(target, value))) continue;
    const variable = caFileVariable(name);
    if (values && variable in values)
      throw new ManifoldError(
        `${variable} is set here, but it names the CA file of ${name}, a URL to a store in the primary region; rename it`,
        { field: `${field}.${variable}`, target: target.id },
      );
    out[variable] = CROSS_REGION_CA_FILE;
  }
  return out;
}

/** True when any of the maps a container reads carries a URL to a store across regions. */
export function needsTrust(target: ResolvedTarget, maps: (Record<string, EnvValue> | undefined)[]): boolean {
  return maps.some((m) => Object.values(m ?? {}).some((v) => remoteTls(target, seen(target, v)) !== undefined));
}

/** The volume and mount of the CA (its `ca.crt` only) for a container that reads `maps`, else empty lists. */
export function trustMounts(
  target: ResolvedTarget,
  maps: (Record<string, EnvValue> | undefined)[],
): { volumes: Volume[]; mounts: VolumeMount[] } {
  if (!needsTrust(target, maps)) return { volumes: [], mounts: [] };
  return {
    volumes: [
      {
        name: VOLUME,
        secret: { secretName: CROSS_REGION_CA_SECRET, items: [{ key: "ca.crt", path: "ca.crt" }], defaultMode: 0o444 },
      },
    ],
    mounts: [{ name: VOLUME, mountPath: CROSS_REGION_CA_DIR, readOnly: true }],
  };
}

/** Every map of values a pod of the target may read: the platform config, components' env and ConfigMaps, hooks'. */
function targetMaps(target: ResolvedTarget): (Record<string, EnvValue> | undefined)[] {
  const components = Object.values(target.components).flatMap((c) =>
    c.type === "service" ? [c.env, c.configMap] : [c.env],
  );
  return [target.config, ...components, ...Object.values(target.hooks).map((h) => h.env)];
}

/**
 * The Certificate whose Secret carries the cross-region CA (`ca.crt`) into the namespace, when a pod here reaches a
 * store across regions. cert-manager writes the issuing CA's certificate beside the (unused) client key pair.
 */
export function buildTrust(target: ResolvedTarget): RenderedObject[] {
  if (!needsTrust(target, targetMaps(target))) return [];
  const certificate = make(Certificate, {
    metadata: { name: CROSS_REGION_CA_SECRET, namespace: target.namespace, labels: platformLabels(target, "trust") },
    spec: {
      secretName: CROSS_REGION_CA_SECRET,
      commonName: `${CROSS_REGION_CA_SECRET}.${target.namespace}`,
      usages: ["client auth"],
      privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
      issuerRef: { kind: "ClusterIssuer", name: CROSS_REGION_ISSUER, group: "cert-manager.io" },
    },
  });
  return [{ band: "foundation", object: plain(certificate) }];
}
