import type { RenderedObject } from "../../model/object.ts";
import type { Rule } from "../context.ts";
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
    const secrets = providedSecrets(ctx.objects);
    const configMaps = new Map(
      ctx.objects
        .filter((o) => o.object.kind === "ConfigMap")
        .map((o) => [
          o.object.metadata.name,
          new Set([
            ...Object.keys((o.object.data as object) ?? {}),
            ...Object.keys((o.object.binaryData as object) ?? {}),
          ]),
        ]),
    );
    for (const o of ctx.objects) {
      const pod = podSpecOf(o.object);
      if (!pod) continue;
      const spec = pod.spec;
      const claimTemplates = new Set<string | undefined>(
        (looseSpec<IStatefulSetSpec>(o.object)?.volumeClaimTemplates ?? []).map((t) => t?.metadata?.name),
      );
      const missing = (pointer: string, what: string, name: string, fix: string) =>
        report(o, { pointer, message: `refers to ${what} "${name}", which this Application does not render`, fix });
      const checkConfigMap = (pointer: string, ref: Reference | undefined, key?: string) => {
        if (!ref?.name || ref.optional === true) return;
        const keys = configMaps.get(ref.name);
        if (!keys) missing(pointer, "ConfigMap", ref.name, "add the entry to the platform config, or correct the name");
        else if (key !== undefined && !keys.has(key))
          report(o, {
            pointer,
            message: `refers to key "${key}" of ConfigMap ${ref.name}, which has no such key`,
            fix: "add the key to the ConfigMap or correct the key",
          });
      };
      const checkSecret = (pointer: string, ref: Reference | undefined, key?: string) => {
        const name = ref?.name ?? ref?.secretName;
        if (!name || ref?.optional === true) return;
        if (!secrets.has(name))
          missing(
            pointer,
            "Secret",
            name,
            "declare the value with secretRef() so an ExternalSecret creates the Secret",
          );
        else if (key !== undefined && secrets.get(name)!.keys && !secrets.get(name)!.keys!.has(key)) {
          report(o, {
            pointer,
            message: `refers to key "${key}" of Secret ${name}, which ${secrets.get(name)!.from}`,
            fix: "add the key to the ExternalSecret or correct the key",
          });
        }
      };
      const sa = spec.serviceAccountName;
      if (sa && sa !== "default" && !findObject(ctx.objects, "ServiceAccount", sa))
        missing(
          `${pod.pointer}/serviceAccountName`,
          "ServiceAccount",
          sa,
          "render the ServiceAccount or correct the name",
        );
      (spec.imagePullSecrets ?? []).forEach((s, i) => checkSecret(`${pod.pointer}/imagePullSecrets/${i}`, s));
      (spec.volumes ?? []).forEach((v, i) => {
        const at = `${pod.pointer}/volumes/${i}`;
        if (v.configMap) checkConfigMap(`${at}/configMap/name`, v.configMap);
        if (v.secret) checkSecret(`${at}/secret/secretName`, v.secret);
        (v.projected?.sources ?? []).forEach((s, j) => {
          if (s.configMap) checkConfigMap(`${at}/projected/sources/${j}/configMap/name`, s.configMap);
          if (s.secret) checkSecret(`${at}/projected/sources/${j}/secret/name`, s.secret);
        });
        const claim = v.persistentVolumeClaim?.claimName;
        if (claim && !findObject(ctx.objects, "PersistentVolumeClaim", claim) && !claimTemplates.has(claim)) {
          missing(
            `${at}/persistentVolumeClaim/claimName`,
            "PersistentVolumeClaim",
            claim,
            "render the PVC (a store's storage) or correct the claim name",
          );
        }
      });
      for (const field of ["initContainers", "containers"] as const) {
        (spec[field] ?? []).forEach((c, i) => {
          const at = `${pod.pointer}/${field}/${i}`;
          (c.envFrom ?? []).forEach((e, j) => {
            if (e.configMapRef) checkConfigMap(`${at}/envFrom/${j}/configMapRef/name`, e.configMapRef);
            if (e.secretRef) checkSecret(`${at}/envFrom/${j}/secretRef/name`, e.secretRef);
          });
          (c.env ?? []).forEach((e, j) => {
            const from = e.valueFrom;
            if (from?.configMapKeyRef)
              checkConfigMap(
                `${at}/env/${j}/valueFrom/configMapKeyRef`,
                from.configMapKeyRef,
                from.configMapKeyRef.key,
              );
            if (from?.secretKeyRef)
              checkSecret(`${at}/env/${j}/valueFrom/secretKeyRef`, from.secretKeyRef, from.secretKeyRef.key);
          });
          (c.volumeMounts ?? []).forEach((m, j) => {
            const names = new Set([...(spec.volumes ?? []).map((v) => v.name), ...claimTemplates]);
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
  },
};
