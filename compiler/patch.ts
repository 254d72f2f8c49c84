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
import { pointer } from "./kube/pointer.ts";

function toOperation(op: PatchOp): Operation {
  const path = Array.isArray(op.path) ? pointer(op.path) : op.path;
  return { ...op, path } as Operation;
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
      try {
        const result = jsonPatch.applyPatch(match.object, rule.ops.map(toOperation), true, false);
        match.object = result.newDocument;
      } catch (e) {
        const err = e as { name?: string; message?: string; index?: number };
        const at = err.index !== undefined ? `.ops[${err.index}]` : "";
        const reason = (err.message ?? String(e)).split("\n")[0];
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
