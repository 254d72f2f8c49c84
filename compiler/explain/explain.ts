/**
 * `manifold explain`: where every rendered value came from. For each field of
 * a rendered object: its final value and its chain (the building block's
 * default, the layers that wrote it, file and line each), or, for a computed
 * value, the description values it was computed from, then any patch.
 */
import type { Project } from "../model/project.ts";
import type { RenderedObject } from "../model/object.ts";
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

/** Traces one target (which takes a few seconds) and returns what explains its objects. */
export function explainer(project: Project, filter: Required<TargetFilter>, sources: SourceIndexes): Explainer {
  const stages = compileStages(project, filter);
  const trace = traceTarget(project, filter, stages);
  const layers = layersOf(project, stages.target);
  const built = new Map(stages.built.map((o) => [objectKey(o.object), o.object]));
  const ordered = new Map(stages.ordered.map((o) => [objectKey(o.object), o.object]));
  const platformFile = layers[0].file;

  const step = (kind: Step["kind"], label: string, ref: DescriptionRef): Step => {
    const at = sources.locate(ref.file, ref.path);
    return { kind, label, file: ref.file, line: at.line, path: dotted(ref.path), value: ref.value };
  };
  /** A write's step; a platform value that the source does not spell out is its building block's default. */
  const writeStep = (label: string, ref: DescriptionRef): Step => {
    const at = sources.locate(ref.file, ref.path);
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
  };
  const labelOf = (ref: DescriptionRef, layersHere: Layer[]): string => {
    const layer = [...layersHere].reverse().find((l) => l.file === ref.file && l.at.every((k, i) => ref.path[i] === k));
    return layer?.label ?? (ref.file === platformFile ? "platform" : ref.file);
  };
  /**
   * An untraceable description value equal to `value`, of the object's component (or platform-wide). A component's
   * `type` only chooses the block, which the explanation names anyway.
   */
  const untraced = (component: string | undefined, value: unknown): DescriptionRef | undefined =>
    trace.untraceable.find(
      (r) =>
        typeof value === "string" &&
        r.value === value &&
        (r.path[0] !== "components" || (r.path[1] === component && r.path[2] !== "type")),
    );
  /** The patch operations on this object that write `at` (all of its operations when none names it, as `/-` does). */
  const patchSteps = (at: string, objectName: string, kind: string): Step[] => {
    const patches = project.platforms.find((p) => p.file === platformFile)!.value.patches ?? [];
    const ops = stages.target.patches.flatMap((rule) =>
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
              step: step("patch", `patch patches[${index}] ${op.op}`, ref),
            };
          }),
    );
    const hits = ops.filter((o) => o.hits);
    return (hits.length ? hits : ops).map((o) => o.step);
  };

  const explainField = (
    o: RenderedObject,
    key: string,
    pointer: string,
    value: unknown,
    block: BlockRef,
  ): FieldExplanation => {
    const before = flatten(ordered.get(key) ?? {});
    const raw = flatten(built.get(key) ?? {});
    const refs = trace.fields.get(key)?.get(pointer) ?? [];
    const inputs = refs.map((r) => step("input", labelOf(r, layers), r));
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b) || String(a) === String(b);
    let result: FieldExplanation;
    if (!before.has(pointer) || !same(before.get(pointer), value)) {
      // a patch set it
      const earlier = before.has(pointer) ? explainField(o, key, pointer, before.get(pointer), block).chain : [];
      return {
        pointer,
        value,
        origin: "patched",
        chain: [...earlier, ...patchSteps(pointer, o.object.metadata.name, o.object.kind)],
        by: "patch",
      };
    }
    if (!raw.has(pointer) || !same(raw.get(pointer), value)) {
      result = {
        pointer,
        value,
        origin: "computed",
        chain: [
          ...inputs,
          {
            kind: "computed",
            label: `order (sync waves), band ${o.band}${o.component ? `, component ${o.component}` : ""}`,
            file: "compiler/order.ts",
            line: 0,
            path: "",
            value,
          },
        ],
        by: "order (compiler/order.ts)",
      };
    } else {
      const direct = refs
        .map((r) => ({ r, resolved: resolvedPathOf(layers, r, o.component) }))
        .filter((x) => x.resolved && same(getAt(stages.target, x.resolved), value));
      if (
        direct.length === 1 ||
        (direct.length > 0 && direct.every((d) => dotted(d.resolved!) === dotted(direct[0].resolved!)))
      ) {
        const writes = chainOf(layers, direct[0].resolved!);
        result = { pointer, value, origin: "set", chain: writes.map((w) => writeStep(w.label, w)), by: block.name };
      } else if (refs.length === 1 && same(refs[0].value, value))
        result = {
          pointer,
          value,
          origin: "set",
          chain: [writeStep(labelOf(refs[0], layers), refs[0])],
          by: block.name,
        };
      else if (refs.length) result = { pointer, value, origin: "computed", chain: inputs, by: block.name };
      else if (untraced(o.component, value)) {
        // a value the trace could not vary (any other value does not compile), equal to this field's
        const ref = untraced(o.component, value)!;
        const resolved = resolvedPathOf(layers, ref, o.component);
        const writes = resolved ? chainOf(layers, resolved) : [];
        const chain = writes.length ? writes.map((w) => writeStep(w.label, w)) : [writeStep(labelOf(ref, layers), ref)];
        result = { pointer, value, origin: "set", chain, by: block.name };
      } else {
        const identity =
          keyStep(trace, key, value, sources, labelOf, layers) ??
          identityStep(stages, value, o.component, sources, platformFile);
        result = identity
          ? { pointer, value, origin: "computed", chain: [identity], by: block.name }
          : {
              pointer,
              value,
              origin: "defaulted",
              chain: [
                {
                  kind: "default",
                  label: `default of block ${block.name}`,
                  file: block.file,
                  line: 0,
                  path: "",
                  value,
                },
              ],
              by: block.name,
            };
      }
    }
    return result;
  };

  return {
    stages,
    trace,
    explain(o, only) {
      const key = objectKey(o.object);
      const block = blockOf(stages.target, o);
      const fields = [...flatten(o.object)]
        .filter(([pointer]) => only === undefined || pointer === only || pointer.startsWith(only + "/"))
        .map(([pointer, value]) => explainField(o, key, pointer, value, block));
      const presence = (trace.presence.get(key) ?? []).map((r) => step("input", labelOf(r, layers), r));
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

/**
 * A value no description leaf changes but that carries the target's identity (the component's key, the platform,
 * environment or region name, the namespace): computed from that name, which the trace cannot vary.
 */
function identityStep(
  stages: Stages,
  value: unknown,
  component: string | undefined,
  sources: SourceIndexes,
  platformFile: string,
): Step | undefined {
  if (typeof value !== "string") return undefined;
  const t = stages.target;
  const names: [string, string, (string | number)[]][] = [
    ...(component ? ([[component, platformFile, ["components", component]]] as [string, string, string[]][]) : []),
    [t.namespace, platformFile, ["namespace"]],
    [t.platform, platformFile, ["name"]],
    [t.environment, t.sources[1], ["name"]],
    [t.region, t.sources[2], ["name"]],
  ];
  const hit = names.find(([name]) => name && value.includes(name));
  if (!hit) return undefined;
  const at = sources.locate(hit[1], hit[2]);
  return { kind: "input", label: `name "${hit[0]}"`, file: hit[1], line: at.line, path: dotted(hit[2]), value: hit[0] };
}

/** A value that is a key of the description (an env variable's name, a port's name): computed from that key. */
function keyStep(
  trace: Trace,
  objectKey: string,
  value: unknown,
  sources: SourceIndexes,
  labelOf: (ref: DescriptionRef, layers: Layer[]) => string,
  layers: Layer[],
): Step | undefined {
  if (typeof value !== "string" || value === "") return undefined;
  for (const refs of trace.fields.get(objectKey)?.values() ?? []) {
    for (const ref of refs) {
      const i = ref.path.findIndex((k) => k === value);
      if (i < 0) continue;
      const path = ref.path.slice(0, i + 1);
      const at = sources.locate(ref.file, path);
      return {
        kind: "input",
        label: `key of ${labelOf(ref, layers)}`,
        file: ref.file,
        line: at.line,
        path: dotted(path),
        value,
      };
    }
  }
  return undefined;
}
