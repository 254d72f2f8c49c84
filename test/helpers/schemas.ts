/**
 * The upstream CRD schemas the schema suites compare against: the shared
 * reference folder next to the repository (`../shared/reference/crd-schemas`),
 * found relative to the repository wherever it is checked out. Without it a
 * schema suite is skipped with a message; in CI (`CI` set, as compiler/ci-environment.ts
 * tells it) that skip is a failure instead, so a missing folder cannot hide.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, it } from "vitest";
import { runsInCi } from "../../compiler/ci-environment.ts";
import { REPO } from "./project.ts";
import type { Parsed } from "./parsed.ts";

/** The folder of the reference CRD schemas (MANIFOLD_CRD_SCHEMAS names another one). */
export const CRD_SCHEMAS = resolve(REPO, process.env.MANIFOLD_CRD_SCHEMAS ?? "../shared/reference/crd-schemas");

/** True when `CRD_SCHEMAS` (and `sub` inside it) exists. */
export function schemasPresent(sub = ""): boolean {
  return existsSync(join(CRD_SCHEMAS, sub));
}

/** `describe` for a suite that needs the schemas: skipped with a message when absent, or failing when absent in CI. */
export function describeWithSchemas(name: string, present: boolean, suite: () => void): void {
  if (present) {
    describe(name, suite);
    return;
  }
  if (runsInCi()) {
    describe(name, () => {
      it("has the reference schemas (a skipped schema suite fails in CI)", () => {
        throw new Error(`${CRD_SCHEMAS} is absent; in CI (CI set) a skipped schema suite is a failure`);
      });
    });
    return;
  }
  console.warn(`skipping "${name}": ${CRD_SCHEMAS} is absent`);
  describe.skip(name, suite);
}

/** Closes every object schema that lists properties and does not opt into unknown fields (others are errors). */
export function closedSchema(schema: Parsed): Parsed {
  if (Array.isArray(schema)) return schema.map(closedSchema);
  if (typeof schema !== "object" || schema === null) return schema;
  const out: Parsed = {};
  for (const [k, v] of Object.entries(schema))
    out[k] =
      k === "properties"
        ? Object.fromEntries(Object.entries(v as object).map(([p, s]) => [p, closedSchema(s)]))
        : closedSchema(v);
  if (out.properties && out.additionalProperties === undefined && !out["x-kubernetes-preserve-unknown-fields"])
    out.additionalProperties = false;
  return out;
}
