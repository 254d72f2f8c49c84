/**
 * Comparing two rendered trees as objects, not text: every YAML file is
 * parsed, objects are matched by application folder, API group, kind,
 * namespace and name, and a changed object gets its JSON patch and a YAML
 * diff of what changed. README.md and other non-manifest files are ignored.
 */
import fastJsonPatch, { type Operation } from "fast-json-patch";
import { parseAllDocuments } from "yaml";
import { toYaml } from "../yaml.ts";
import { unifiedDiff } from "./lines.ts";
import type { FieldExplanation, Step } from "../explain/explain.ts";

const { compare } = fastJsonPatch;

export type ChangeType = "added" | "changed" | "removed";

/** Where an object lives: its Application folder, read as environment, region and platform. */
export interface Place {
  folder: string;
  environment: string;
  region: string;
  platform: string;
}

export interface ObjectRef extends Place {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  /** Path relative to `rendered/`. */
  file: string;
}

/** A parsed YAML document of either side's rendered tree: any shape, so it is read with optional chaining only. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- its shape is whatever the rendered file holds
export type ParsedYaml = any;

/** Why one changed field has its new value (`diff --explain`): the steps that decide it. */
export interface FieldProvenance {
  pointer: string;
  value: unknown;
  origin: FieldExplanation["origin"];
  by: string;
  /** set: the winning write; computed: its inputs; patched: the patch; defaulted: the block. */
  because: Step[];
}

export interface ObjectChange extends ObjectRef {
  type: ChangeType;
  before?: ParsedYaml;
  after?: ParsedYaml;
  /** JSON patch operations from before to after (changed objects only). */
  patch: Operation[];
  /** A unified YAML diff of the object, only what changed with some context. */
  yamlDiff: string;
  /** With `diff --explain`: why each changed field has its new value (explain/). */
  provenance?: FieldProvenance[];
}

/**
 * Reads an Application folder as `<environment>/<region>/<platform>`; other folders (such as `argocd`) keep their path
 * as the environment.
 */
export function placeOf(folder: string): Place {
  const parts = folder.split("/");
  if (parts.length === 3) return { folder, environment: parts[0], region: parts[1], platform: parts[2] };
  return { folder, environment: folder, region: "", platform: "" };
}

function group(apiVersion: string): string {
  return apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.lastIndexOf("/")) : "";
}

/** The objects of a rendered tree (file contents keyed by path), keyed by identity. */
export function objectsOf(files: Map<string, string>): Map<string, ObjectRef & { object: ParsedYaml }> {
  const out = new Map<string, ObjectRef & { object: ParsedYaml }>();
  for (const [file, text] of files) {
    if (!/\.ya?ml$/.test(file)) continue;
    const folder = file.includes("/") ? file.slice(0, file.lastIndexOf("/")) : "";
    for (const doc of parseAllDocuments(text, { version: "1.1" })) {
      const object = doc.toJS();
      if (!object || typeof object !== "object" || !object.kind) continue;
      const ref: ObjectRef = {
        ...placeOf(folder),
        apiVersion: String(object.apiVersion ?? ""),
        kind: String(object.kind),
        namespace: object.metadata?.namespace,
        name: String(object.metadata?.name ?? file),
        file,
      };
      out.set([folder, group(ref.apiVersion), ref.kind, ref.namespace ?? "", ref.name].join("|"), { ...ref, object });
    }
  }
  return out;
}

/** Every object that was added, changed or removed between two rendered trees, in a stable order. */
export function compareTrees(base: Map<string, string>, head: Map<string, string>): ObjectChange[] {
  const before = objectsOf(base);
  const after = objectsOf(head);
  const changes: ObjectChange[] = [];
  for (const [key, b] of before) {
    const { object: _o, ...ref } = b;
    const a = after.get(key);
    if (!a) {
      changes.push({
        ...ref,
        type: "removed",
        before: b.object,
        patch: [],
        yamlDiff: unifiedDiff(toYaml(b.object), ""),
      });
      continue;
    }
    const patch = compare(b.object, a.object);
    if (patch.length === 0) continue;
    const { object: _a, ...headRef } = a;
    changes.push({
      ...headRef,
      type: "changed",
      before: b.object,
      after: a.object,
      patch,
      yamlDiff: unifiedDiff(toYaml(b.object), toYaml(a.object)),
    });
  }
  for (const [key, a] of after) {
    if (before.has(key)) continue;
    const { object: _o, ...ref } = a;
    changes.push({ ...ref, type: "added", after: a.object, patch: [], yamlDiff: unifiedDiff("", toYaml(a.object)) });
  }
  return changes.sort((x, y) =>
    x.folder < y.folder ? -1 : x.folder > y.folder ? 1 : x.file < y.file ? -1 : x.file > y.file ? 1 : 0,
  );
}
