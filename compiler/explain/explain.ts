/**
 * `manifold explain`: where every rendered value came from. For each field of
 * a rendered object: its final value and its chain (the building block's
 * default, the layers that wrote it, file and line each), or, for a computed
 * value, the description values it was computed from, then any patch.
 */
import type { Project } from "../model/project.ts";
import type { KubeObject, RenderedObject } from "../model/object.ts";
import type { TargetFilter } from "../model/target.ts";
import { blockOf, type BlockRef } from "./blocks.ts";
import { chainOf, layersOf, resolvedPathOf, type Layer } from "./chain.ts";
import { compileStages, flatten, objectKey, type Stages } from "./stages.ts";
import { SourceIndexes } from "./source-lines.ts";
import { traceTarget, type DescriptionRef, type Trace } from "./trace.ts";
import { getAt } from "./perturb.ts";
import { pointer } from "../kube/pointer.ts";
import { objectFileName, targetFolder } from "../emit/files.ts";

/** One step of a chain: a description value (file and line) or a computation. */
export interface Step {
  kind: "default" | "layer" | "input" | "patch" | "computed";
  /** `platform`, `environment dev`, `default of service()`, `patch patches[0]`, `order (sync waves)`... */
  label: string;
  file: string;
  line: number;
  /** Key path in the file, dotted (`components.api.replicas`). */
  path: string;
  value: unknown;
}

/** How a rendered field got its value. */
export type Origin = "set" | "defaulted" | "computed" | "patched";

export interface FieldExplanation {
  pointer: string;
  value: unknown;
  origin: Origin;
  /** For `set`: the writes in layering order, the last one wins. For `computed`: its inputs. Then any patch. */
  chain: Step[];
  /** What computed or defaulted the value: a building block or a phase. */
  by: string;
}

export interface ObjectExplanation {
  target: string;
  /** The rendered file, relative to the project root. */
  file: string;
  apiVersion: string;
  kind: string;
  name: string;
  component?: string;
  block: BlockRef;
  fields: FieldExplanation[];
  /** Description values whose change would remove this object (its reason to exist). */
  presence: Step[];
}

/** A traced target, ready to explain any of its objects. */
export interface Explainer {
  stages: Stages;
  trace: Trace;
  explain(object: RenderedObject, pointer?: string): ObjectExplanation;
}

/** The description's building blocks (`compiler/index.ts`): a value they fill in that the source does not spell out. */
const BUILDING_BLOCKS = new Set([
  "service",
  "postgres",
  "redis",
  "qdrant",
  "nats",
  "neo4j",
  "webFrontend",
  "pubsubEmulator",
  "grafana",
]);

const dotted = (path: (string | number)[]) => path.map(String).join(".");

/** Two values are the same field value when their JSON or their text is equal. */
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b) || String(a) === String(b);

/** What explaining one traced target shares: its stages, trace and layers, its objects before order and patches. */
interface ExplainContext {
  project: Project;
  stages: Stages;
  trace: Trace;
  layers: Layer[];
  /** What the building blocks made, by object key. */
  built: Map<string, KubeObject>;
  /** After the order phase, by object key. */
  ordered: Map<string, KubeObject>;
  platformFile: string;
  sources: SourceIndexes;
}

/** One rendered field to explain: its object (with its key and block), its pointer and its value. */
interface Field {
  o: RenderedObject;
  key: string;
  pointer: string;
  value: unknown;
  block: BlockRef;
}

/** Traces one target (which takes a few seconds) and returns what explains its objects. */
export function explainer(project: Project, filter: Required<TargetFilter>, sources: SourceIndexes): Explainer {
  const cx = explainContext(project, filter, sources);
  const { stages, trace } = cx;
  return {
    stages,
    trace,
    explain(o, only) {
      const key = objectKey(o.object);
      const block = blockOf(stages.target, o);
      const fields = [...flatten(o.object)]
        .filter(([pointer]) => only === undefined || pointer === only || pointer.startsWith(only + "/"))
        .map(([pointer, value]) => explainField(cx, { o, key, pointer, value, block }));
      const presence = (trace.presence.get(key) ?? []).map((r) => step(cx, "input", labelOf(cx, r), r));
      return {
        target: stages.target.id,
        file: `rendered/${targetFolder(stages.target)}/${objectFileName(o.object)}`,
        apiVersion: o.object.apiVersion,
        kind: o.object.kind,
        name: o.object.metadata.name,
        ...(o.component ? { component: o.component } : {}),
        block,
        fields,
        presence,
      };
    },
  };
}

/** Compiles and traces the target, once, into the context every explanation reads. */
function explainContext(project: Project, filter: Required<TargetFilter>, sources: SourceIndexes): ExplainContext {
  const stages = compileStages(project, filter);
  const trace = traceTarget(project, filter, stages);
  const layers = layersOf(project, stages.target);
  const built = new Map(stages.built.map((o) => [objectKey(o.object), o.object]));
  const ordered = new Map(stages.ordered.map((o) => [objectKey(o.object), o.object]));
  return { project, stages, trace, layers, built, ordered, platformFile: layers[0].file, sources };
}

/** A description value's step, at its line in its file. */
function step(cx: ExplainContext, kind: Step["kind"], label: string, ref: DescriptionRef): Step {
  const at = cx.sources.locate(ref.file, ref.path);
  return { kind, label, file: ref.file, line: at.line, path: dotted(ref.path), value: ref.value };
}

/** A write's step; a platform value that the source does not spell out is its building block's default. */
function writeStep(cx: ExplainContext, label: string, ref: DescriptionRef): Step {
  const at = cx.sources.locate(ref.file, ref.path);
  if (label === "platform" && !at.exact && at.block && at.blockLine)
    return {
      kind: BUILDING_BLOCKS.has(at.block) ? "default" : "layer",
      label: BUILDING_BLOCKS.has(at.block) ? `default of ${at.block}()` : `platform (via ${at.block}())`,
      file: ref.file,
      line: at.blockLine,
      path: dotted(ref.path),
      value: ref.value,
    };
  return { kind: "layer", label, file: ref.file, line: at.line, path: dotted(ref.path), value: ref.value };
}

/** The label of the last layer that holds a description value (else `platform` or its file). */
function labelOf(cx: ExplainContext, ref: DescriptionRef): string {
  const layer = [...cx.layers].reverse().find((l) => l.file === ref.file && l.at.every((k, i) => ref.path[i] === k));
  return layer?.label ?? (ref.file === cx.platformFile ? "platform" : ref.file);
}

/**
 * An untraceable description value equal to `value`, of the object's component (or platform-wide). A component's
 * `type` only chooses the block, which the explanation names anyway.
 */
function untraced(cx: ExplainContext, component: string | undefined, value: unknown): DescriptionRef | undefined {
  return cx.trace.untraceable.find(
    (r) =>
      typeof value === "string" &&
      r.value === value &&
      (r.path[0] !== "components" || (r.path[1] === component && r.path[2] !== "type")),
  );
}

/** The patch operations on this object that write `at` (all of its operations when none names it, as `/-` does). */
function patchSteps(cx: ExplainContext, at: string, objectName: string, kind: string): Step[] {
  const { platformFile } = cx;
  const patches = cx.project.platforms.find((p) => p.file === platformFile)!.value.patches ?? [];
  const ops = cx.stages.target.patches.flatMap((rule) =>
    rule.target.kind !== kind || rule.target.name !== objectName
      ? []
      : rule.ops.map((op, j) => {
          const path = Array.isArray(op.path) ? pointer(op.path) : op.path;
          const index = patches.indexOf(rule);
          const ref = {
            file: platformFile,
            path: ["patches", index, "ops", j],
            value: "value" in op ? op.value : undefined,
          };
          return {
            hits: at === path || at.startsWith(path + "/"),
            step: step(cx, "patch", `patch patches[${index}] ${op.op}`, ref),
          };
        }),
  );
  const hits = ops.filter((o) => o.hits);
  return (hits.length ? hits : ops).map((o) => o.step);
}

/** A field's explanation, in the order its keys are written. */
function explanation(f: Field, origin: Origin, chain: Step[], by: string): FieldExplanation {
  return { pointer: f.pointer, value: f.value, origin, chain, by };
}

/** How a rendered field got its value: a patch, the order phase, or the description through its building block. */
function explainField(cx: ExplainContext, f: Field): FieldExplanation {
  const before = flatten(cx.ordered.get(f.key) ?? {});
  const raw = flatten(cx.built.get(f.key) ?? {});
  const refs = cx.trace.fields.get(f.key)?.get(f.pointer) ?? [];
  const inputs = refs.map((r) => step(cx, "input", labelOf(cx, r), r));
  if (!before.has(f.pointer) || !same(before.get(f.pointer), f.value)) return patchedField(cx, f, before);
  if (!raw.has(f.pointer) || !same(raw.get(f.pointer), f.value)) return orderedField(f, inputs);
  return builtField(cx, f, refs, inputs);
}

/** A field a patch set: the chain of the value before the patch, if any, then the patch operations. */
function patchedField(cx: ExplainContext, f: Field, before: Map<string, unknown>): FieldExplanation {
  const earlier = before.has(f.pointer) ? explainField(cx, { ...f, value: before.get(f.pointer) }).chain : [];
  const patches = patchSteps(cx, f.pointer, f.o.object.metadata.name, f.o.object.kind);
  return explanation(f, "patched", [...earlier, ...patches], "patch");
}

/** A field the order phase computed (sync waves): its inputs, then the order step. */
function orderedField(f: Field, inputs: Step[]): FieldExplanation {
  const { o, value } = f;
  const order: Step = {
    kind: "computed",
    label: `order (sync waves), band ${o.band}${o.component ? `, component ${o.component}` : ""}`,
    file: "compiler/order.ts",
    line: 0,
    path: "",
    value,
  };
  return explanation(f, "computed", [...inputs, order], "order (compiler/order.ts)");
}

/** A field as the building block made it: set from the description, computed from it, or the block's default. */
function builtField(cx: ExplainContext, f: Field, refs: DescriptionRef[], inputs: Step[]): FieldExplanation {
  const by = f.block.name;
  const direct = directPath(cx, f, refs);
  const chain = direct ? chainOf(cx.layers, direct).map((w) => writeStep(cx, w.label, w)) : [];
  if (direct) return explanation(f, "set", chain, by);
  if (refs.length === 1 && same(refs[0].value, f.value))
    return explanation(f, "set", [writeStep(cx, labelOf(cx, refs[0]), refs[0])], by);
  if (refs.length) return explanation(f, "computed", inputs, by);
  // a value the trace could not vary (any other value does not compile), equal to this field's
  const ref = untraced(cx, f.o.component, f.value);
  if (ref) return untracedField(cx, f, ref);
  return underivedField(cx, f);
}

/** The one resolved description path the traced inputs equal to the field's value all come from, if any. */
function directPath(cx: ExplainContext, f: Field, refs: DescriptionRef[]): (string | number)[] | undefined {
  const direct = refs
    .map((r) => ({ r, resolved: resolvedPathOf(cx.layers, r, f.o.component) }))
    .filter((x) => x.resolved && same(getAt(cx.stages.target, x.resolved), f.value));
  const one =
    direct.length === 1 ||
    (direct.length > 0 && direct.every((d) => dotted(d.resolved!) === dotted(direct[0].resolved!)));
  return one ? direct[0].resolved! : undefined;
}

/** A field set from an untraceable description value: its writes through the layers, else the value itself. */
function untracedField(cx: ExplainContext, f: Field, ref: DescriptionRef): FieldExplanation {
  const resolved = resolvedPathOf(cx.layers, ref, f.o.component);
  const writes = resolved ? chainOf(cx.layers, resolved) : [];
  const chain = writes.length ? writes.map((w) => writeStep(cx, w.label, w)) : [writeStep(cx, labelOf(cx, ref), ref)];
  return explanation(f, "set", chain, f.block.name);
}

/** A field no description value traces to: computed from a key or a name of the target, else the block's default. */
function underivedField(cx: ExplainContext, f: Field): FieldExplanation {
  const { block, value } = f;
  const identity = keyStep(cx, f.key, value) ?? identityStep(cx, value, f.o.component);
  if (identity) return explanation(f, "computed", [identity], block.name);
  const fallback: Step = {
    kind: "default",
    label: `default of block ${block.name}`,
    file: block.file,
    line: 0,
    path: "",
    value,
  };
  return explanation(f, "defaulted", [fallback], block.name);
}

/**
 * A value no description leaf changes but that carries the target's identity (the component's key, the platform,
 * environment or region name, the namespace): computed from that name, which the trace cannot vary.
 */
function identityStep(cx: ExplainContext, value: unknown, component: string | undefined): Step | undefined {
  if (typeof value !== "string") return undefined;
  const { platformFile } = cx;
  const t = cx.stages.target;
  const names: [string, string, (string | number)[]][] = [
    ...(component ? ([[component, platformFile, ["components", component]]] as [string, string, string[]][]) : []),
    [t.namespace, platformFile, ["namespace"]],
    [t.platform, platformFile, ["name"]],
    [t.environment, t.sources[1], ["name"]],
    [t.region, t.sources[2], ["name"]],
  ];
  const hit = names.find(([name]) => name && value.includes(name));
  if (!hit) return undefined;
  const at = cx.sources.locate(hit[1], hit[2]);
  return { kind: "input", label: `name "${hit[0]}"`, file: hit[1], line: at.line, path: dotted(hit[2]), value: hit[0] };
}

/** A value that is a key of the description (an env variable's name, a port's name): computed from that key. */
function keyStep(cx: ExplainContext, objectKey: string, value: unknown): Step | undefined {
  if (typeof value !== "string" || value === "") return undefined;
  for (const refs of cx.trace.fields.get(objectKey)?.values() ?? []) {
    for (const ref of refs) {
      const i = ref.path.findIndex((k) => k === value);
      if (i < 0) continue;
      const path = ref.path.slice(0, i + 1);
      const at = cx.sources.locate(ref.file, path);
      return {
        kind: "input",
        label: `key of ${labelOf(cx, ref)}`,
        file: ref.file,
        line: at.line,
        path: dotted(path),
        value,
      };
    }
  }
  return undefined;
}
