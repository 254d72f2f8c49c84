import type { KubeObject, RenderedObject } from "../../model/object.ts";
import type { ResolvedTarget } from "../../model/target.ts";
import type { Reporter, Rule } from "../context.ts";
import {
  CROSS_REGION_ISSUER,
  EXTERNAL_DNS_HOSTNAME,
  crossRegionHost,
  crossRegionSecret,
  crossRegionTls,
  serviceNames,
} from "../../blocks/exposure.ts";
import { objectName } from "../../blocks/naming.ts";
import { caFileVariable } from "../../blocks/trust.ts";
import { containersOf, podSpecOf, type ContainerShape } from "../../kube/pods.ts";
import { isCnpgCluster } from "../../kube/cnpg.ts";
import { list, obj, str } from "../../kube/loose.ts";

/** A variable a container sees, and where it comes from (for the finding's pointer). */
interface Seen {
  value: string;
  pointer: string;
}

/** A store in the primary region that this target's clients reach across regions, by the host they dial. */
interface RemoteStore {
  key: string;
  name: string;
}

/** The store Services of this target whose servers are in the primary region, behind the cross-region CA. */
function remoteStores(target: ResolvedTarget, objects: RenderedObject[]): Map<string, RemoteStore> {
  const out = new Map<string, RemoteStore>();
  if (target.role === "primary") return out;
  for (const o of objects) {
    const c = o.component ? target.components[o.component] : undefined;
    if (o.object.kind !== "Service" || c?.type !== "store" || !crossRegionTls(target, c)) continue;
    const name = objectName(target, o.component!);
    if (o.object.metadata.name !== name) continue;
    for (const host of dialedNames(target, name)) out.set(host, { key: o.component!, name });
  }
  return out;
}

/**
 * Every name a client may dial a store by: its Service's names (in other regions an ExternalName Service of the same
 * name, in the same namespace) and the published cross-region host.
 */
function dialedNames(target: ResolvedTarget, name: string): string[] {
  return [crossRegionHost(target, name), ...serviceNames(target, name)];
}

/** The variables one container sees: whole ConfigMaps (envFrom) first, then its own env, which wins. */
function variables(container: ContainerShape, pointer: string, configMaps: Map<string, Record<string, unknown>>) {
  const seen = new Map<string, Seen>();
  list(container.envFrom).forEach((e, i) => {
    const data = configMaps.get(str(obj(obj(e).configMapRef).name) ?? "") ?? {};
    for (const [k, v] of Object.entries(data))
      if (typeof v === "string") seen.set(k, { value: v, pointer: `${pointer}/envFrom/${i}` });
  });
  list(container.env).forEach((e, i) => {
    const entry = obj(e);
    const name = str(entry.name);
    if (!name) return;
    const ref = obj(obj(entry.valueFrom).configMapKeyRef);
    const value = str(entry.value) ?? configMaps.get(str(ref.name) ?? "")?.[str(ref.key) ?? ""];
    if (typeof value === "string") seen.set(name, { value, pointer: `${pointer}/env/${i}` });
  });
  return seen;
}

/** The URL in a value, when it is one with a host. */
function parseUrl(value: string): URL | undefined {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return undefined;
  try {
    const u = new URL(value);
    return u.hostname ? u : undefined;
  } catch {
    return undefined;
  }
}

/** True when a pod's volume mounted in `container` serves `file` as the `ca.crt` of a cross-region CA Certificate. */
function mountsCa(container: ContainerShape, volumes: unknown[], file: string, caSecrets: Set<string>): boolean {
  return list(container.volumeMounts).some((m) => {
    const mountPath = (str(obj(m).mountPath) ?? "").replace(/\/$/, "");
    if (!mountPath || !file.startsWith(`${mountPath}/`)) return false;
    const rel = file.slice(mountPath.length + 1);
    const volume = volumes.map(obj).find((v) => v.name === str(obj(m).name));
    const secrets = volume
      ? [obj(volume.secret), ...list(obj(volume.projected).sources).map((s) => obj(obj(s).secret))]
      : [];
    return secrets.some((s) => {
      const secretName = str(s.secretName) ?? str(s.name);
      if (!secretName || !caSecrets.has(secretName)) return false;
      const items = list(s.items).map(obj);
      return items.length ? items.some((i) => i.key === "ca.crt" && i.path === rel) : rel === "ca.crt";
    });
  });
}

/** The Secrets that cert-manager Certificates from the cross-region CA make in the target. */
function crossRegionCaSecrets(objects: RenderedObject[]): Set<string> {
  const out = new Set<string>();
  for (const o of objects) {
    if (o.object.kind !== "Certificate" || !o.object.apiVersion.startsWith("cert-manager.io/")) continue;
    const spec = obj(o.object.spec);
    const issuer = obj(spec.issuerRef);
    const secretName = str(spec.secretName);
    if (secretName && issuer.name === CROSS_REGION_ISSUER && issuer.kind === "ClusterIssuer") out.add(secretName);
  }
  return out;
}

/** Checks every URL a pod's containers see that reaches a store in the primary region. */
function checkClients(
  o: RenderedObject,
  stores: Map<string, RemoteStore>,
  configMaps: Map<string, Record<string, unknown>>,
  caSecrets: Set<string>,
  report: Reporter,
): void {
  const volumes = list(podSpecOf(o.object)?.spec.volumes);
  for (const { container, pointer } of containersOf(o.object)) {
    const seen = variables(container, pointer, configMaps);
    for (const [variable, { value, pointer: at }] of seen) {
      const u = parseUrl(value);
      const store = u && stores.get(u.hostname);
      if (!u || !store) continue;
      const sslmode = u.searchParams.get("sslmode");
      if (sslmode === "require" || sslmode === "verify-ca") {
        report(o, {
          pointer: at,
          message: `${variable} asks ${store.name} in the primary region for sslmode=${sslmode}: libpq never checks the server's name with it, node-postgres reads it as verify-full`,
          fix: "ask for sslmode=verify-full with sslrootcert naming the mounted cross-region CA",
        });
      }
      const file = u.searchParams.get("sslrootcert") ?? seen.get(caFileVariable(variable))?.value;
      if (!file) {
        report(o, {
          pointer: at,
          message: `${variable} reaches ${store.name} in the primary region over TLS, whose certificate comes from the private cross-region CA, but names no CA file (no sslrootcert, no ${caFileVariable(variable)})`,
          fix: `set ${caFileVariable(variable)} to the mounted CA file (the blocks do so for url() values)`,
        });
      } else if (!mountsCa(container, volumes, file, caSecrets)) {
        report(o, {
          pointer: at,
          message: `${variable} trusts ${file} for ${store.name} in the primary region, but the container mounts no ca.crt of a ${CROSS_REGION_ISSUER} Certificate there: a verifying client rejects the server`,
          fix: `mount ca.crt of a Certificate from ClusterIssuer ${CROSS_REGION_ISSUER} at ${file}`,
        });
      }
    }
  }
}

/** In the primary region: each store's server certificate names the hosts other regions' clients dial. */
function checkServerNames(target: ResolvedTarget, objects: RenderedObject[], report: Reporter): void {
  if (target.role !== "primary") return;
  const certificates = new Map<string, RenderedObject>();
  for (const o of objects)
    if (o.object.kind === "Certificate" && o.object.apiVersion.startsWith("cert-manager.io/"))
      certificates.set(str(obj(o.object.spec).secretName) ?? "", o);
  for (const o of objects) {
    const c = o.component ? target.components[o.component] : undefined;
    const host = o.object.metadata.annotations?.[EXTERNAL_DNS_HOSTNAME];
    if (o.object.kind !== "Service" || c?.type !== "store" || !host || !crossRegionTls(target, c)) continue;
    const name = objectName(target, o.component!);
    const certificate = certificates.get(crossRegionSecret(name));
    if (!certificate) continue;
    const dnsNames = list(obj(certificate.object.spec).dnsNames).map((n) => String(n));
    // Other regions' clients dial the store's own names (an ExternalName Service there) or the published host.
    const missing = [...new Set([host, ...dialedNames(target, name)])].filter((n) => !dnsNames.includes(n));
    if (missing.length)
      report(certificate, {
        pointer: "/spec/dnsNames",
        message: `the server certificate of ${name} does not name ${missing.join(", ")}, which clients in other regions dial: verify-full (and a verifying Redis client) rejects it`,
        fix: `add ${missing.join(", ")} to the Certificate's dnsNames`,
      });
  }
}

/**
 * In the primary region: a CloudNativePG Cluster that other regions write to serves a certificate of the cross-region
 * CA (`certificates.serverTLSSecret`), not one of the operator's own CA, which no client elsewhere holds.
 */
function checkOperatorCertificates(target: ResolvedTarget, objects: RenderedObject[], report: Reporter): void {
  if (target.role !== "primary") return;
  const caSecrets = crossRegionCaSecrets(objects);
  for (const o of objects) {
    const c = o.component ? target.components[o.component] : undefined;
    if (!isCnpgCluster(o.object) || c?.type !== "store" || !crossRegionTls(target, c)) continue;
    const secret = str(obj(obj(o.object.spec).certificates).serverTLSSecret);
    if (secret && caSecrets.has(secret)) continue;
    report(o, {
      pointer: "/spec/certificates/serverTLSSecret",
      message: `${o.object.metadata.name} takes writes from other regions but serves ${secret ? `Secret ${secret}, which no ${CROSS_REGION_ISSUER} Certificate makes` : "a certificate of the operator's own CA"}: their clients cannot verify it`,
      fix: `name the Secret of a Certificate from ClusterIssuer ${CROSS_REGION_ISSUER} as serverTLSSecret and serverCASecret`,
    });
  }
}

/** A KubeObject's ConfigMap data, when it is a ConfigMap. */
function configMapData(o: KubeObject): Record<string, unknown> | undefined {
  return o.kind === "ConfigMap" ? obj(o.data) : undefined;
}

/**
 * TLS trust: every client URL that asks for TLS to a store in the primary region (whose server certificate comes from
 * the private cross-region CA) runs in a container that mounts that CA's `ca.crt` where the URL (`sslrootcert`) or its
 * `<X>_CA_FILE` variable says, and verifies fully (no `sslmode=require`/`verify-ca`); in the primary region, the
 * store's server certificate names every host those clients dial (verify-full, and Redis clients, check the name),
 * and a CloudNativePG Cluster serves it rather than its operator's own CA's.
 */
export const tlsTrustRule: Rule = {
  name: "tls-trust",
  description:
    "Clients of stores across regions mount the private CA; the stores' certificates name the hosts they dial",
  check(ctx, report) {
    checkServerNames(ctx.target, ctx.objects, report);
    checkOperatorCertificates(ctx.target, ctx.objects, report);
    const stores = remoteStores(ctx.target, ctx.objects);
    if (stores.size === 0) return;
    const configMaps = new Map<string, Record<string, unknown>>();
    for (const o of ctx.objects) {
      const data = configMapData(o.object);
      if (data) configMaps.set(o.object.metadata.name, data);
    }
    const caSecrets = crossRegionCaSecrets(ctx.objects);
    for (const o of ctx.objects) if (podSpecOf(o.object)) checkClients(o, stores, configMaps, caSecrets, report);
  },
};
