/**
 * The trace: which description values each rendered field depends on. Every
 * description leaf that can reach the target is changed in turn, the target
 * is resolved, built and ordered again, and every field whose value changed
 * records that leaf. Run only when explaining; the compile never pays for it.
 */
import type { Project } from "../model/project.ts";
import type { TargetFilter } from "../model/target.ts";
import type { RenderedObject } from "../model/object.ts";
import { flatten, objectKey, resolvedText, resolveAndOrder, type Stages } from "./stages.ts";
import { getAt, leaves, perturbations, setAt, type Leaf } from "./perturb.ts";

/** A value in a description file. */
export interface DescriptionRef {
  file: string;
  /** Key path inside the file's description. */
  path: (string | number)[];
  value: unknown;
}

export interface Trace {
  /** Object key, then JSON pointer, then the description values that change that field. */
  fields: Map<string, Map<string, DescriptionRef[]>>;
  /** Object key, then the description values whose change removes or adds the object. */
  presence: Map<string, DescriptionRef[]>;
  /** Leaves whose changed value made the target fail to compile (they could not be traced). */
  untraceable: DescriptionRef[];
}

const same = (a: unknown, b: unknown) =>
  typeof a === "object" && a !== null ? JSON.stringify(a) === JSON.stringify(b) : Object.is(a, b);

interface Probe {
  file: string;
  root: unknown;
  skip: (path: (string | number)[]) => boolean;
}

const at = (path: (string | number)[], ...keys: string[]) =>
  keys.length <= path.length && keys.every((k, i) => path[i] === k);

/** The description values that can reach a target: its platform, environment, region and primary region. */
function probes(project: Project, filter: Required<TargetFilter>): Probe[] {
  const { platform, environment, region } = filter;
  const p = project.platforms.find((x) => x.value.name === platform)!;
  const e = project.environments.find((x) => x.value.name === environment)!;
  const r = project.regions.find((x) => x.value.name === region)!;
  const other = (path: (string | number)[], key: string, own: string) =>
    path.length >= 2 && path[0] === key && path[1] !== own;
  const out: Probe[] = [
    {
      file: p.file,
      root: p.value,
      skip: (path) =>
        at(path, "name") ||
        at(path, "runsIn") ||
        at(path, "patches") ||
        other(path, "environments", environment) ||
        other(path, "regions", region) ||
        other(path, "targets", `${environment}/${region}`),
    },
    { file: e.file, root: e.value, skip: (path) => at(path, "name") || at(path, "regions") },
    {
      file: r.file,
      root: r.value,
      skip: (path) => at(path, "name") || at(path, "role") || other(path, "clusters", environment),
    },
  ];
  const primary = e.value.regions
    .map((n) => project.regions.find((x) => x.value.name === n)!)
    .find((x) => x.value.role === "primary");
  if (primary && primary !== r)
    out.push({
      file: primary.file,
      root: primary.value,
      skip: (path) => path.length > 0 && !at(path, "clusters", environment),
    });
  return out;
}

/** Traces one target: for every rendered (pre-patch) field, the description values it depends on. */
export function traceTarget(project: Project, filter: Required<TargetFilter>, baseline: Stages): Trace {
  const base = new Map(baseline.ordered.map((o) => [objectKey(o.object), o.object]));
  const baseKinds = new Map<string, number>();
  for (const o of base.values()) baseKinds.set(o.kind, (baseKinds.get(o.kind) ?? 0) + 1);
  const baseText = new Map([...base].map(([k, o]) => [k, JSON.stringify(o)]));
  const baseFlat = new Map<string, Map<string, unknown>>();
  const flatOf = (key: string) => baseFlat.get(key) ?? baseFlat.set(key, flatten(base.get(key))).get(key)!;
  const trace: Trace = { fields: new Map(), presence: new Map(), untraceable: [] };
  const add = <K>(map: Map<K, DescriptionRef[]>, key: K, ref: DescriptionRef) =>
    (map.get(key) ?? map.set(key, []).get(key)!).push(ref);

  const all = probes(project, filter).map((probe) => ({ probe, leaves: leaves(probe.root, probe.skip) }));
  // the values each field name takes anywhere in these descriptions: alternatives for enum-like strings
  const siblings = new Map<string, unknown[]>();
  for (const { leaves: list } of all)
    for (const leaf of list) {
      const name = String(leaf.path[leaf.path.length - 1]);
      const seen = siblings.get(name) ?? siblings.set(name, []).get(name)!;
      if (!seen.includes(leaf.value) && typeof leaf.value !== "object") seen.push(leaf.value);
    }
  /** The ordered objects with `leaf` changed, trying each perturbation until one compiles ("same": no effect). */
  const unchanged = resolvedText(baseline.target);
  const rerun = (probe: Probe, leaf: Leaf): RenderedObject[] | "same" | undefined => {
    const original = getAt(probe.root, leaf.path);
    for (const changed of perturbations(leaf.value, siblings.get(String(leaf.path[leaf.path.length - 1])))) {
      setAt(probe.root, leaf.path, changed);
      try {
        return resolveAndOrder(project, filter, unchanged);
      } catch {
        // this value does not compile: try the next
      } finally {
        setAt(probe.root, leaf.path, original);
      }
    }
    return undefined;
  };

  for (const { probe, leaves: list } of all) {
    for (const leaf of list) {
      if (leaf.path.length === 0) continue;
      const ref: DescriptionRef = { file: probe.file, path: leaf.path, value: leaf.value };
      const objects = rerun(probe, leaf);
      if (!objects) {
        if (perturbations(leaf.value).length) trace.untraceable.push(ref);
        continue;
      }
      if (objects === "same") continue;
      const seen = new Set<string>();
      const kinds = new Map<string, number>();
      for (const o of objects) {
        const key = objectKey(o.object);
        seen.add(key);
        kinds.set(o.object.kind, (kinds.get(o.object.kind) ?? 0) + 1);
        const text = baseText.get(key);
        if (text === undefined || text === JSON.stringify(o.object)) continue;
        const now = flatten(o.object);
        let fields = trace.fields.get(key);
        if (!fields) trace.fields.set(key, (fields = new Map()));
        for (const [pointer, value] of flatOf(key)) {
          if (!now.has(pointer) || !same(now.get(pointer), value)) add(fields, pointer, ref);
        }
      }
      // an object is gone because of this value, unless the value renamed it (as many of its kind as before)
      for (const [key, o] of base)
        if (!seen.has(key) && (kinds.get(o.kind) ?? 0) < (baseKinds.get(o.kind) ?? 0)) add(trace.presence, key, ref);
    }
  }
  return trace;
}
