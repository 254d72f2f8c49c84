import { beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { checkProject } from "../compiler/load.ts";
import { compileLoaded } from "../compiler/compile.ts";
import { isSchemaValidator, recordSchema, runSchema, type SchemaRun } from "../compiler/validate/known-fields.ts";
import { MODELS } from "../compiler/validate/models.ts";
import { type LearnedPaths, allFieldsKnown, learnReads, learnedPaths } from "../compiler/validate/learned-fields.ts";
import { type SchemaModel, schemaRun } from "../compiler/validate/schema-run.ts";
import { withContentDigests } from "../compiler/validate/content-memo.ts";
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

/** schemaRun as a compile runs it: in a validation of plain data, where learned paths let it read objects as given. */
function pipelineRun(model: SchemaModel, object: Json, learned?: LearnedPaths): SchemaRun {
  return withContentDigests(() => schemaRun(model, object, learned), true);
}

/** Runs old and new over `objects` in order, asserting equal outcomes; how many the learned paths answered. */
function compare(objects: Json[], learned: Map<SchemaModel, LearnedPaths>): number {
  let answered = 0;
  for (const object of objects) {
    const model = modelOf(object)!;
    if (!learned.has(model)) learned.set(model, learnedPaths());
    if (allFieldsKnown(learned.get(model)!, object)) answered++;
    const label = `${object.kind}/${object.metadata?.name}`;
    expect(outcome(pipelineRun(model, object, learned.get(model))), label).toEqual(outcome(runSchema(model, object)));
  }
  return answered;
}

/** A hand-made change to an object of the fleet: its kind, what it does, and how. */
interface Change {
  kind: string;
  what: string;
  change(object: Json): void;
}

const CHANGES: Change[] = [
  { kind: "Deployment", what: "an unknown top-level field", change: (o) => (o.extra = 1) },
  { kind: "Deployment", what: "an unknown metadata field", change: (o) => (o.metadata.lables = { a: "b" }) },
  {
    kind: "Deployment",
    what: "an unknown field in a container (in an array)",
    change: (o) => (o.spec.template.spec.containers[0].imagePullPolicyy = "Always"),
  },
  {
    kind: "Deployment",
    what: "an unknown field in the last container's resources",
    change: (o) => (o.spec.template.spec.containers.at(-1).resources.limit = { cpu: "1" }),
  },
  {
    kind: "Deployment",
    what: "an unknown field holding arrays of arrays of objects",
    change: (o) => (o.spec.template.spec.matrix = [[{ a: 1 }], [{ b: [[2]] }]]),
  },
  {
    kind: "Deployment",
    what: "unknown fields at three depths at once",
    change: (o) => {
      o.spec.strategyy = "x";
      o.spec.template.metadata.nmae = "x";
      o.spec.template.spec.containers[0].ports = [{ containerPort: 80, protocoll: "TCP" }];
    },
  },
  { kind: "Deployment", what: "a key needing escapes", change: (o) => (o.spec["we/ird~key"] = 1) },
  {
    kind: "Deployment",
    what: "new keys in open maps (labels, annotations): no unknown field",
    change: (o) => {
      o.metadata.labels = { ...o.metadata.labels, "example.com/new": "v" };
      o.spec.template.metadata.annotations = { "a~b/c": "d" };
    },
  },
  {
    kind: "Deployment",
    what: "keys set to undefined, known and unknown",
    change: (o) => {
      o.spec.paused = undefined;
      o.spec.nope = undefined;
      o.spec.template.spec.containers[0].nope = undefined;
      o.metadata.labels = { ...o.metadata.labels, gone: undefined };
    },
  },
  {
    kind: "Deployment",
    what: "an invalid value with an unknown field beside it",
    change: (o) => {
      o.spec.replicas = "three";
      o.spec.replica = 3;
    },
  },
  {
    kind: "Deployment",
    what: "an invalid item in a list (an array inside an array)",
    change: (o) => (o.spec.template.spec.containers[0].args = [["nested"]]),
  },
  {
    kind: "Deployment",
    what: "a field never seen present (affinity), then one unknown inside it",
    change: (o) =>
      (o.spec.template.spec.affinity = {
        nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preferenc: {} }] },
      }),
  },
  {
    kind: "Service",
    what: "an unknown field in the second port only",
    change: (o) => o.spec.ports.push({ port: 9999, name: "extra", nmae: "x" }),
  },
  {
    kind: "ConfigMap",
    what: "a new data key (an open map) and an unknown field",
    change: (o) => {
      o.data = { ...o.data, "new.key": "v" };
      o.dta = {};
    },
  },
  {
    kind: "NetworkPolicy",
    what: "an unknown field in a peer of a rule (arrays in arrays of objects)",
    change: (o) => (o.spec.ingress = [{ from: [{ podSelector: {} }, { podSelectr: {} }] }]),
  },
  {
    kind: "VirtualService",
    what: "an unknown field in an Istio route (a schema compiled at run time)",
    change: (o) => (o.spec.http[0].route[0].wieght = 100),
  },
  {
    kind: "ExternalSecret",
    what: "an unknown field in a remote reference",
    change: (o) => (o.spec.data = [{ secretKey: "k", remoteRef: { key: "k", kye: "x" } }]),
  },
  {
    kind: "PrometheusRule",
    what: "an unknown field in a rule of a group",
    change: (o) => (o.spec.groups[0].rules[0].forr = "5m"),
  },
];

describe("the schema check without a proxy per object", () => {
  it("gives what the recording view gives for every object of the seed fleet, in either order", () => {
    expect(fleet.length).toBeGreaterThan(500);
    const forward = compare(fleet, new Map());
    const backward = compare([...fleet].reverse(), new Map());
    console.log(`fleet ${fleet.length}, answered from learned paths: ${forward} forward, ${backward} backward`);
    expect(forward).toBeGreaterThan(fleet.length / 2);
    expect(backward).toBeGreaterThan(fleet.length / 2);
  });

  it("gives what the recording view gives for hand-made objects: unknown fields at any depth, maps, undefined", () => {
    const learned = new Map<SchemaModel, LearnedPaths>();
    compare(fleet, learned); // learns the fleet's paths
    let unknownCases = 0;
    for (const { kind, what, change } of CHANGES) {
      const base = fleet.find((o) => o.kind === kind);
      expect(base, `no ${kind} in the fleet`).toBeDefined();
      const object = structuredClone(base);
      change(object);
      const model = modelOf(object)!;
      const old = runSchema(model, object);
      if (old.unknown.length > 0) unknownCases++;
      // twice: the second time, what a passing first run taught is used
      for (let i = 0; i < 2; i++)
        expect(outcome(pipelineRun(model, object, learned.get(model))), what).toEqual(outcome(old));
      // a passing object without unknown fields is then answered without the recording view
      if (old.thrown === undefined && old.unknown.length === 0)
        expect(allFieldsKnown(learned.get(model)!, object)).toBe(true);
    }
    expect(unknownCases).toBeGreaterThan(CHANGES.length / 2);
  });

  it("reads an object as given only when vouched for as plain data: elsewhere a hidden field is not seen", () => {
    const learned = new Map<SchemaModel, LearnedPaths>();
    compare(fleet, learned);
    const base = structuredClone(fleet.find((o) => o.kind === "Deployment"));
    const container = base.spec.template.spec.containers[0];
    const name = container.name;
    delete container.name;
    Object.defineProperty(container, "name", { value: name, enumerable: false }); // in no JSON and no YAML
    const model = modelOf(base)!;
    const old = outcome(runSchema(model, base));
    expect(old).toMatchObject({ thrown: true });
    expect(outcome(schemaRun(model, base, learned.get(model)))).toEqual(old);
    expect(outcome(withContentDigests(() => schemaRun(model, base, learned.get(model))))).toEqual(old);
  });
});

/**
 * A toy schema, read the way a compiled schema validator reads: every declared property looked up whether present
 * or not (`props`), an open map enumerated (`map`), a free-form object never looked into (`free`), array items
 * (`items`), and a branch chosen by a discriminator (`when`). A value "bad" fails at once, reading nothing more.
 */
type Toy =
  | "scalar"
  | "free"
  | { props: Record<string, Toy> }
  | { map: Toy }
  | { items: Toy }
  | { when: string; cases: Record<string, Toy> };

function read(value: Json, toy: Toy): void {
  if (value === "bad") throw new Error("bad value");
  if (toy === "scalar" || toy === "free" || value === null || typeof value !== "object") return;
  if ("items" in toy) for (const item of value as unknown[]) read(item, toy.items);
  else if ("map" in toy) for (const key of Object.keys(value)) read(value[key], toy.map);
  else if ("when" in toy) read(value, toy.cases[String(value[toy.when])] ?? "free");
  else for (const [key, sub] of Object.entries(toy.props)) if (value[key] !== undefined) read(value[key], sub);
}

function toyModel(toy: Toy): SchemaModel {
  return class {
    constructor(data: Json) {
      Object.assign(this, data);
    }
    validate(): void {
      read(this, toy);
    }
  };
}

const POD: Toy = {
  props: {
    name: "scalar",
    labels: { map: "scalar" },
    config: "free",
    containers: { items: { props: { name: "scalar", ports: { items: { props: { port: "scalar" } } } } } },
    grid: { items: { items: { props: { x: "scalar" } } } },
    byName: { map: { props: { v: "scalar" } } },
  },
};
const SHAPES: Toy = {
  props: {
    shape: {
      when: "type",
      cases: {
        circle: { props: { type: "scalar", radius: "scalar" } },
        square: { props: { type: "scalar", side: "scalar" } },
      },
    },
  },
};

/** A note free-form in one mode, with known fields in another (a branch chosen above it). */
const NOTES: Toy = {
  when: "mode",
  cases: {
    loose: { props: { mode: "scalar", note: "free" } },
    strict: { props: { mode: "scalar", note: { props: { text: "scalar" } } } },
  },
};

/** After learning `learn` (through schemaRun: only passing runs teach): has `object` no unknown field, known? */
const TABLE: { what: string; toy: Toy; learn: Json[]; object: Json; known: boolean }[] = [
  { what: "nothing learned", toy: POD, learn: [], object: { name: "a" }, known: false },
  { what: "a declared field, absent", toy: POD, learn: [{ name: "a" }], object: {}, known: true },
  { what: "a declared field, seen absent only", toy: POD, learn: [{ labels: {} }], object: { name: "a" }, known: true },
  { what: "an object at a path never seen", toy: POD, learn: [{ name: "a" }], object: { labels: {} }, known: false },
  {
    what: "an unknown top-level field",
    toy: POD,
    learn: [{ name: "a" }],
    object: { name: "a", nmae: "b" },
    known: false,
  },
  {
    what: "a field never seen present",
    toy: POD,
    learn: [{ name: "a" }],
    object: { containers: [{ name: "c" }] },
    known: false,
  },
  {
    what: "items seen before",
    toy: POD,
    learn: [{ containers: [{ name: "c", ports: [{ port: 1 }] }] }],
    object: { containers: [{ name: "d" }, { ports: [{ port: 2 }, { port: 3 }] }] },
    known: true,
  },
  {
    what: "an unknown field in the second item",
    toy: POD,
    learn: [{ containers: [{ name: "c", ports: [{ port: 1 }] }] }],
    object: { containers: [{ name: "d" }, { ports: [{ port: 2, prot: 3 }] }] },
    known: false,
  },
  {
    what: "only empty arrays seen",
    toy: POD,
    learn: [{ containers: [] }],
    object: { containers: [{ name: "c" }] },
    known: false,
  },
  {
    what: "arrays of arrays",
    toy: POD,
    learn: [{ grid: [[{ x: 1 }]] }],
    object: { grid: [[{ x: 2 }, { x: 3 }], [], [{ x: 4 }]] },
    known: true,
  },
  {
    what: "arrays of arrays, unknown inside",
    toy: POD,
    learn: [{ grid: [[{ x: 1 }]] }],
    object: { grid: [[], [{ y: 1 }]] },
    known: false,
  },
  {
    what: "new keys of an open map",
    toy: POD,
    learn: [{ labels: { a: "1" } }],
    object: { labels: { b: "2", "c/d": "3" } },
    known: true,
  },
  {
    what: "a new key of an open map of objects (a path never seen)",
    toy: POD,
    learn: [{ byName: { a: { v: 1 } } }],
    object: { byName: { b: { v: 2 } } },
    known: false,
  },
  {
    what: "an unknown field in a map's object",
    toy: POD,
    learn: [{ byName: { a: { v: 1 } } }],
    object: { byName: { a: { w: 1 } } },
    known: false,
  },
  {
    what: "anything in a free-form object",
    toy: POD,
    learn: [{ config: { a: 1 } }],
    object: { config: { b: { c: [[{ d: 1 }]] } } },
    known: true,
  },
  {
    what: "undefined keys are no fields",
    toy: POD,
    learn: [{ name: "a" }],
    object: { name: "a", nmae: undefined, containers: undefined },
    known: true,
  },
  {
    what: "a failing run teaches nothing",
    toy: POD,
    learn: [{ name: "bad", labels: {} }],
    object: { labels: {} },
    known: false,
  },
  {
    what: "a failing run does not hide a later field: learned from a passing one only",
    toy: POD,
    learn: [{ name: "bad", containers: [{ name: "x" }] }, { name: "a" }],
    object: { name: "a", containers: [{ name: "y" }] },
    known: false,
  },
  {
    what: "one branch seen, the same branch",
    toy: SHAPES,
    learn: [{ shape: { type: "circle", radius: 1 } }],
    object: { shape: { type: "circle", radius: 2 } },
    known: true,
  },
  {
    what: "one branch seen, another taken",
    toy: SHAPES,
    learn: [{ shape: { type: "circle", radius: 1 } }],
    object: { shape: { type: "square", side: 2 } },
    known: false,
  },
  {
    what: "two branches seen: a field only one reads",
    toy: SHAPES,
    learn: [{ shape: { type: "circle", radius: 1 } }, { shape: { type: "square", side: 1 } }],
    object: { shape: { type: "circle", radius: 2 } },
    known: false,
  },
  {
    what: "two branches seen: a field both read",
    toy: SHAPES,
    learn: [{ shape: { type: "circle", radius: 1 } }, { shape: { type: "square", side: 1 } }],
    object: { shape: { type: "square" } },
    known: true,
  },
  {
    what: "free-form once, read another time",
    toy: NOTES,
    learn: [
      { mode: "strict", note: { text: "t" } },
      { mode: "loose", note: { any: 1 } },
    ],
    object: { mode: "strict", note: { text: "u" } },
    known: false,
  },
  {
    what: "free-form once, read another time: an empty object",
    toy: NOTES,
    learn: [
      { mode: "loose", note: { any: 1 } },
      { mode: "strict", note: { text: "t" } },
    ],
    object: { mode: "strict", note: {} },
    known: true,
  },
];

describe("learned paths", () => {
  it.each(TABLE)("$what", ({ toy, learn, object, known }) => {
    const model = toyModel(toy);
    const learned = learnedPaths();
    for (const seen of learn) expect(outcome(schemaRun(model, seen, learned))).toEqual(outcome(runSchema(model, seen)));
    expect(allFieldsKnown(learned, object)).toBe(known);
    expect(outcome(schemaRun(model, object, learned))).toEqual(outcome(runSchema(model, object)));
  });

  it("keeps a few ways of reading a path, then leaves it to the recording view", () => {
    const toy: Toy = {
      props: {
        o: {
          when: "t",
          cases: Object.fromEntries(
            "abcdefg".split("").map((t) => [t, { props: { t: "scalar", [t]: "scalar", z: "scalar" } }]),
          ),
        },
      },
    };
    const model = toyModel(toy);
    const learned = learnedPaths();
    for (const t of "abcd") learnReads(learned, recordSchema(model, { o: { t } }).reads);
    expect(allFieldsKnown(learned, { o: { t: "a", z: 1 } })).toBe(true); // every way reads t and z
    for (const t of "efg") learnReads(learned, recordSchema(model, { o: { t } }).reads);
    expect(allFieldsKnown(learned, { o: { t: "a", z: 1 } })).toBe(false);
  });
});
