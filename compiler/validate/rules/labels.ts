import type { Rule } from "../context.ts";
import { asRecord } from "../../kube/loose.ts";
import { podTemplateOf } from "../../kube/pods.ts";
import type { KubeObject } from "../../model/object.ts";
import { DNS_SUBDOMAIN } from "../../check/shape.ts";
import { escapeKey } from "../../kube/pointer.ts";
import { itself, remembered } from "../../remember.ts";

const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** Why a label or annotation key is invalid, or undefined. */
export function keyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf("/");
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && !DNS_SUBDOMAIN.test(prefix)) return `the prefix "${prefix}" is not a DNS subdomain`;
  if (name.length === 0 || name.length > 63 || !NAME.test(name))
    return `the name "${name}" must be 1-63 alphanumerics, '-', '_' or '.', starting and ending alphanumeric`;
  return undefined;
}

/** keyProblem, remembered per key: the same few dozen keys recur on every object of every target. */
const rememberedKeyProblem = remembered(keyProblem, itself, 10_000);

/** True when a label value is valid: empty, or at most 63 name characters (remembered per value). */
const validLabelValue = remembered(
  (value: string) => value.length <= 63 && (value === "" || NAME.test(value)),
  itself,
  10_000,
);

/** The pointer of a label or annotation key in a metadata block at `base`. */
function keyPointer(base: string, field: string, key: string): string {
  return `${base}/${field}/${escapeKey(key)}`;
}

/** The metadata blocks of an object: its own and its pod template's, with their pointers. */
function metadataBlocks(object: KubeObject): { meta: Record<string, unknown>; pointer: string }[] {
  const out: { meta: Record<string, unknown>; pointer: string }[] = [{ meta: object.metadata, pointer: "/metadata" }];
  const t = podTemplateOf(object);
  const meta = asRecord(t?.template?.metadata);
  if (t && meta) out.push({ meta, pointer: `${t.pointer}/metadata` });
  return out;
}

/**
 * Label and annotation keys are valid, values are strings, and label values are valid: on objects and on their pod
 * templates.
 */
export const labelsRule: Rule = {
  name: "labels",
  description: "label and annotation keys and values are valid strings",
  check(ctx, report) {
    for (const o of ctx.objects) {
      for (const { meta, pointer: base } of metadataBlocks(o.object)) {
        for (const field of ["labels", "annotations"] as const) {
          const map = meta[field];
          if (typeof map !== "object" || map === null || Array.isArray(map)) continue;
          for (const key in map) {
            const value = (map as Record<string, unknown>)[key];
            const problem = rememberedKeyProblem(key);
            if (problem)
              report(o, {
                pointer: keyPointer(base, field, key),
                message: `invalid ${field === "labels" ? "label" : "annotation"} key: ${problem}`,
                fix: "use prefix/name with a DNS prefix and a short name",
              });
            if (typeof value !== "string")
              report(o, {
                pointer: keyPointer(base, field, key),
                message: `value must be a string (got ${JSON.stringify(value)})`,
                fix: "quote the value",
              });
            else if (field === "labels" && !validLabelValue(value)) {
              report(o, {
                pointer: keyPointer(base, field, key),
                message: `invalid label value "${value}"`,
                fix: "use at most 63 alphanumerics, '-', '_' or '.'",
              });
            }
          }
        }
      }
    }
  },
};
