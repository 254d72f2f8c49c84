import type { RenderedObject } from "../../model/object.ts";
import type { Reporter, Rule } from "../context.ts";
import { podSpecOf } from "../../kube/pods.ts";
import { findObject } from "../../kube/selectors.ts";
import { looseSpec } from "../../kube/loose.ts";
import type { IStatefulSetSpec } from "kubernetes-models/apps/v1/StatefulSetSpec";

/** The fields of an ExternalSecret's spec that say which Secret it makes and with which keys. */
interface ExternalSecretSpec {
  target: { name: string; template: unknown };
  data: { secretKey: string }[];
  dataFrom: unknown[];
}

/** A reference to a ConfigMap or Secret from a pod (a volume, an envFrom, a key selector, a pull secret). */
interface Reference {
  name?: string;
  secretName?: string;
  optional?: boolean;
}

/**
 * The Secrets a target provides: Secret objects, and the Secrets ExternalSecrets, Certificates and SealedSecrets
 * create, with their keys (undefined when unknown).
 */
function providedSecrets(objects: RenderedObject[]): Map<string, { keys: Set<string> | undefined; from: string }> {
  const out = new Map<string, { keys: Set<string> | undefined; from: string }>();
  for (const o of objects) {
    if (o.object.kind === "Secret") {
      out.set(o.object.metadata.name, {
        keys: new Set([
          ...Object.keys((o.object.data as object) ?? {}),
          ...Object.keys((o.object.stringData as object) ?? {}),
        ]),
        from: "the Secret does not carry",
      });
    }
    if (o.object.kind === "ExternalSecret") {
      const spec = looseSpec<ExternalSecretSpec>(o.object);
      const name = spec?.target?.name ?? o.object.metadata.name;
      const keys =
        spec?.dataFrom || spec?.target?.template
          ? undefined
          : new Set((spec?.data ?? []).flatMap((d) => (typeof d?.secretKey === "string" ? [d.secretKey] : [])));
      out.set(name, { keys, from: "its ExternalSecret does not fill" });
    }
    // Secrets that other controllers write: cert-manager Certificates and Sealed Secrets (keys not known here)
    const secretName = looseSpec<{ secretName: string }>(o.object)?.secretName;
    if (
      o.object.kind === "Certificate" &&
      o.object.apiVersion.startsWith("cert-manager.io/") &&
      typeof secretName === "string"
    )
      out.set(secretName, { keys: undefined, from: "" });
    if (o.object.kind === "SealedSecret" && o.object.apiVersion.startsWith("bitnami.com/"))
      out.set(o.object.metadata.name, { keys: undefined, from: "" });
  }
  return out;
}

/**
 * ConfigMaps, Secrets (or the ExternalSecrets that make them), ServiceAccounts and PVCs that pods refer to exist in the
 * same Application.
 */
export const podReferencesRule: Rule = {
  name: "pod-references",
  description: "ConfigMaps, Secrets, ServiceAccounts and PVCs that pods use are rendered in the same target",
  check(ctx, report) {
    const provided: Provided = { secrets: providedSecrets(ctx.objects), configMaps: providedConfigMaps(ctx.objects) };
    for (const o of ctx.objects) {
      const pod = podSpecOf(o.object);
      if (!pod) continue;
      const checks = referenceChecks(report, o, provided);
      const sa = pod.spec.serviceAccountName;
      if (sa && sa !== "default" && !findObject(ctx.objects, "ServiceAccount", sa))
        checks.missing(
          `${pod.pointer}/serviceAccountName`,
          "ServiceAccount",
          sa,
          "render the ServiceAccount or correct the name",
        );
      (pod.spec.imagePullSecrets ?? []).forEach((s, i) => checks.secret(`${pod.pointer}/imagePullSecrets/${i}`, s));
      checkVolumes(ctx.objects, pod, checks);
      checkContainers(report, o, pod, checks);
    }
  },
};

/** What the target provides: Secrets and ConfigMaps by name, with their keys. */
interface Provided {
  secrets: ReturnType<typeof providedSecrets>;
  configMaps: Map<string, Set<string>>;
}

/** The ConfigMaps a target renders, with their keys. */
function providedConfigMaps(objects: RenderedObject[]): Map<string, Set<string>> {
  return new Map(
    objects
      .filter((o) => o.object.kind === "ConfigMap")
      .map((o) => [
        o.object.metadata.name,
        new Set([
          ...Object.keys((o.object.data as object) ?? {}),
          ...Object.keys((o.object.binaryData as object) ?? {}),
        ]),
      ]),
  );
}

/** The checks of one pod's references, each reporting on the pod's owner. */
interface ReferenceChecks {
  missing(pointer: string, what: string, name: string, fix: string): void;
  configMap(pointer: string, ref: Reference | undefined, key?: string): void;
  secret(pointer: string, ref: Reference | undefined, key?: string): void;
  /** The names of the StatefulSet's volume claim templates (mountable like volumes). */
  claimTemplates: Set<string | undefined>;
}

function referenceChecks(report: Reporter, o: RenderedObject, { secrets, configMaps }: Provided): ReferenceChecks {
  const missing = (pointer: string, what: string, name: string, fix: string) =>
    report(o, { pointer, message: `refers to ${what} "${name}", which this Application does not render`, fix });
  return {
    missing,
    claimTemplates: new Set<string | undefined>(
      (looseSpec<IStatefulSetSpec>(o.object)?.volumeClaimTemplates ?? []).map((t) => t?.metadata?.name),
    ),
    configMap(pointer, ref, key) {
      if (!ref?.name || ref.optional === true) return;
      const keys = configMaps.get(ref.name);
      if (!keys) missing(pointer, "ConfigMap", ref.name, "add the entry to the platform config, or correct the name");
      else if (key !== undefined && !keys.has(key))
        report(o, {
          pointer,
          message: `refers to key "${key}" of ConfigMap ${ref.name}, which has no such key`,
          fix: "add the key to the ConfigMap or correct the key",
        });
    },
    secret(pointer, ref, key) {
      const name = ref?.name ?? ref?.secretName;
      if (!name || ref?.optional === true) return;
      const secret = secrets.get(name);
      if (!secret)
        missing(pointer, "Secret", name, "declare the value with secretRef() so an ExternalSecret creates the Secret");
      else if (key !== undefined && secret.keys && !secret.keys.has(key)) {
        report(o, {
          pointer,
          message: `refers to key "${key}" of Secret ${name}, which ${secret.from}`,
          fix: "add the key to the ExternalSecret or correct the key",
        });
      }
    },
  };
}

/** The pod's volumes: ConfigMaps, Secrets (also projected) and PersistentVolumeClaims. */
function checkVolumes(objects: RenderedObject[], pod: PodAt, checks: ReferenceChecks): void {
  (pod.spec.volumes ?? []).forEach((v, i) => {
    const at = `${pod.pointer}/volumes/${i}`;
    if (v.configMap) checks.configMap(`${at}/configMap/name`, v.configMap);
    if (v.secret) checks.secret(`${at}/secret/secretName`, v.secret);
    (v.projected?.sources ?? []).forEach((s, j) => {
      if (s.configMap) checks.configMap(`${at}/projected/sources/${j}/configMap/name`, s.configMap);
      if (s.secret) checks.secret(`${at}/projected/sources/${j}/secret/name`, s.secret);
    });
    const claim = v.persistentVolumeClaim?.claimName;
    if (claim && !findObject(objects, "PersistentVolumeClaim", claim) && !checks.claimTemplates.has(claim)) {
      checks.missing(
        `${at}/persistentVolumeClaim/claimName`,
        "PersistentVolumeClaim",
        claim,
        "render the PVC (a store's storage) or correct the claim name",
      );
    }
  });
}

/** Each container's envFrom, env key references and volume mounts. */
function checkContainers(report: Reporter, o: RenderedObject, pod: PodAt, checks: ReferenceChecks): void {
  const spec = pod.spec;
  for (const field of ["initContainers", "containers"] as const) {
    (spec[field] ?? []).forEach((c, i) => {
      const at = `${pod.pointer}/${field}/${i}`;
      (c.envFrom ?? []).forEach((e, j) => {
        if (e.configMapRef) checks.configMap(`${at}/envFrom/${j}/configMapRef/name`, e.configMapRef);
        if (e.secretRef) checks.secret(`${at}/envFrom/${j}/secretRef/name`, e.secretRef);
      });
      (c.env ?? []).forEach((e, j) => {
        const from = e.valueFrom;
        if (from?.configMapKeyRef)
          checks.configMap(`${at}/env/${j}/valueFrom/configMapKeyRef`, from.configMapKeyRef, from.configMapKeyRef.key);
        if (from?.secretKeyRef)
          checks.secret(`${at}/env/${j}/valueFrom/secretKeyRef`, from.secretKeyRef, from.secretKeyRef.key);
      });
      (c.volumeMounts ?? []).forEach((m, j) => {
        const names = new Set([...(spec.volumes ?? []).map((v) => v.name), ...checks.claimTemplates]);
        if (!names.has(m.name))
          report(o, {
            pointer: `${at}/volumeMounts/${j}/name`,
            message: `mounts volume "${m.name}", which the pod does not declare`,
            fix: "declare the volume or correct the mount name",
          });
      });
    });
  }
}

type PodAt = NonNullable<ReturnType<typeof podSpecOf>>;
