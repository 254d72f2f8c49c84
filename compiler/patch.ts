/**
 * Phase 5, patch: the escape hatch. Applies each platform's JSON patches
 * (RFC 6902) to the objects they target, without mutating the input and with
 * validation on. Path segments given as lists are escaped automatically.
 */
import jsonPatch from "fast-json-patch";
import type { Operation } from "fast-json-patch";
import { ManifoldError, combineErrors } from "./errors.ts";
import type { RenderedObject } from "./model/object.ts";
import type { PatchOp } from "./describe/types.ts";
import type { ResolvedTarget } from "./model/target.ts";
import { missingKey, pointer } from "./kube/pointer.ts";
import { didYouMean } from "./suggest.ts";
import { jsonCopy } from "./json.ts";

function toOperation(op: PatchOp): Operation {
  const path = Array.isArray(op.path) ? pointer(op.path) : op.path;
  // the value is copied as JSON data, so that the patched objects are plain data (the schema check reads them as given)
  return ("value" in op ? { ...op, path, value: jsonCopy(op.value) } : { ...op, path }) as Operation;
}

/** Phase 5 entry point: returns the objects with every matching patch applied. */
export function patch<T extends { target: ResolvedTarget; objects: RenderedObject[] }>(built: T): T {
  const { target } = built;
  if (target.patches.length === 0) return built;
  const errors: ManifoldError[] = [];
  const platformFile = target.sources[0];
  const objects = built.objects.map((o) => ({ ...o }));
  target.patches.forEach((rule, index) => {
    const matches = objects.filter(
      (o) => o.object.kind === rule.target.kind && o.object.metadata.name === rule.target.name,
    );
    const field = `patches[${index}]`;
    if (matches.length === 0) {
      errors.push(
        new ManifoldError(`targets ${rule.target.kind}/${rule.target.name}, which this target does not render`, {
          file: platformFile,
          field,
          target: target.id,
        }),
      );
      return;
    }
    for (const match of matches) {
      let document = match.object;
      let index = 0;
      try {
        for (const op of rule.ops.map(toOperation)) {
          document = jsonPatch.applyOperation(document, op, true, false, true, index).newDocument;
          index++;
        }
        match.object = document;
      } catch (e) {
        const err = e as { name?: string; message?: string; index?: number };
        const at = `.ops[${index}]`;
        const op = toOperation(rule.ops[index]);
        const missing = "path" in op ? missingKey(document, op.path, op.op === "add") : undefined;
        const reason = missing
          ? `path ${op.path} does not exist: ${missing.parent || "the object"} has no "${missing.key}"${didYouMean(missing.key, missing.present)}${missing.present.length && missing.present.length <= 12 ? `; it has: ${missing.present.join(", ")}` : ""}`
          : (err.message ?? String(e)).split("\n")[0];
        errors.push(
          new ManifoldError(`cannot apply to ${rule.target.kind}/${rule.target.name}: ${reason}`, {
            file: platformFile,
            field: field + at,
            target: target.id,
          }),
        );
      }
    }
  });
  if (errors.length) throw combineErrors(errors);
  return { ...built, objects };
}
