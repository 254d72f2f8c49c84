import { beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { checkProject } from "../compiler/load.ts";
import { compileLoaded } from "../compiler/compile.ts";
import { isSchemaValidator, runSchema, type SchemaRun } from "../compiler/validate/known-fields.ts";
import { MODELS } from "../compiler/validate/models.ts";
import { type LearnedPaths, learnedPaths, learnedUnknowns } from "../compiler/validate/learned-fields.ts";
import { type SchemaModel, schemaRun } from "../compiler/validate/schema-run.ts";
import { repoProject } from "./helpers/memory.ts";

// Test objects are read and changed at any depth.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- free-form JSON in tests
type Json = any;

/** What a run says, in a form two runs can be compared by: the validator's errors and message, the unknown fields. */
function outcome(run: SchemaRun): unknown {
  const thrown = run.thrown as { message?: string; errors?: unknown } | undefined;
  return { errors: thrown?.errors, message: thrown?.message, thrown: run.thrown !== undefined, unknown: run.unknown };
}

function modelOf(object: Json): SchemaModel | undefined {
  const model = MODELS[`${object.apiVersion}/${object.kind}`];
  return model && isSchemaValidator(model) ? model : undefined;
}

/** Every distinct object of the seed fleet a schema validator checks: the targets' objects, every rendered file's. */
let fleet: Json[];

beforeAll(async () => {
  const result = compileLoaded(checkProject(structuredClone(await repoProject())));
  const all: Json[] = [
    ...result.targets.flatMap((t) => t.objects.map((o) => o.object)),
    ...(result.argocd?.objects ?? []),
    ...[...(result.argocd?.clusterFolders.values() ?? [])].flat(),
  ];
  for (const [path, text] of result.files)
    if (path.endsWith(".yaml"))
      for (const doc of parseAllDocuments(text, { version: "1.1" })) if (doc.contents) all.push(doc.toJS());
  const seen = new Set<string>();
  fleet = all.filter((o) => {
    const key = JSON.stringify(o);
    if (!o || typeof o !== "object" || !modelOf(o) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}, 120_000);

/** Runs old and new over `objects` in order, asserting equal outcomes; how many the learned paths answered. */
function compare(objects: Json[], learned: Map<SchemaModel, LearnedPaths>): number {
  let answered = 0;
  for (const object of objects) {
    const model = modelOf(object)!;
    if (!learned.has(model)) learned.set(model, learnedPaths());
    if (learnedUnknowns(learned.get(model)!, object) !== undefined) answered++;
    const label = `${object.kind}/${object.metadata?.name}`;
    expect(outcome(schemaRun(model, object, learned.get(model))), label).toEqual(outcome(runSchema(model, object)));
  }
  return answered;
}

describe("the schema check without a proxy per object", () => {
  it("gives what the recording view gives for every object of the seed fleet, in either order", () => {
    expect(fleet.length).toBeGreaterThan(500);
    const forward = compare(fleet, new Map());
    const backward = compare([...fleet].reverse(), new Map());
    console.log(`fleet ${fleet.length}, answered from learned paths: ${forward} forward, ${backward} backward`);
    expect(forward).toBeGreaterThan(fleet.length / 2);
    expect(backward).toBeGreaterThan(fleet.length / 2);
  });
});
