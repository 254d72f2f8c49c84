/**
 * `manifold explain` as a library call: find the object a user names (a
 * rendered file, or `Kind/name` in `env/region/platform`), trace its target
 * and explain its fields; plus the text rendering of the result.
 */
import { relative, resolve as resolvePath } from "node:path";
import { ManifoldError } from "../errors.ts";
import { load } from "../load.ts";
import type { Project } from "../model/project.ts";
import { objectFileName } from "../emit/files.ts";
import { explainer, type ObjectExplanation, type Step } from "./explain.ts";
import { loadTypescript, SourceIndexes } from "./source-lines.ts";

/** What the user asked about. */
export interface ExplainQuery {
  environment: string;
  region: string;
  platform: string;
  /** A file name (`deployment-ossa-api.yaml`) or `Kind/name`. */
  object: { file: string } | { kind: string; name: string };
  /** A JSON pointer: only this field (and those under it). */
  pointer?: string;
}

/** Reads `rendered/<env>/<region>/<platform>/<file>.yaml` or `Kind/name` and `env/region/platform` into a query. */
export function parseQuery(root: string, what: string, place?: string, pointer?: string): ExplainQuery {
  if (pointer !== undefined && pointer !== "" && !pointer.startsWith("/"))
    throw new ManifoldError(`"${pointer}" is not a JSON pointer (it starts with /)`, { field: "pointer" });
  if (place !== undefined) {
    const [kind, ...name] = what.split("/");
    const parts = place.split("/");
    if (!kind || name.length === 0 || parts.length !== 3)
      throw new ManifoldError(`expected Kind/name in env/region/platform, got "${what} in ${place}"`, { field: what });
    return {
      environment: parts[0],
      region: parts[1],
      platform: parts[2],
      object: { kind, name: name.join("/") },
      pointer,
    };
  }
  const rel = relative(resolvePath(root, "rendered"), resolvePath(root, what)).split(/[\\/]/);
  if (rel.length !== 4 || rel[0] === ".." || !rel[3].endsWith(".yaml"))
    throw new ManifoldError(
      `"${what}" is not a rendered object file (rendered/<env>/<region>/<platform>/<kind>-<name>.yaml)`,
      {
        file: what,
      },
    );
  return { environment: rel[0], region: rel[1], platform: rel[2], object: { file: rel[3] }, pointer };
}

/** Explains the objects a query names (one), loading the project under `root`. */
export async function explain(root: string, query: ExplainQuery, project?: Project): Promise<ObjectExplanation> {
  const ts = await loadTypescript();
  project ??= await load(root);
  const filter = { platform: query.platform, environment: query.environment, region: query.region };
  const known = project.platforms.some((p) => p.value.name === filter.platform);
  if (!known) throw new ManifoldError(`no platform "${filter.platform}"`, { field: "platform" });
  const ex = explainer(project, filter, new SourceIndexes(ts, root));
  const wanted = query.object;
  const object = ex.stages.final.find((o) =>
    "file" in wanted
      ? objectFileName(o.object) === wanted.file
      : o.object.kind === wanted.kind && o.object.metadata.name === wanted.name,
  );
  const target = `${filter.platform}/${filter.environment}/${filter.region}`;
  if (!object)
    throw new ManifoldError(
      `${"file" in wanted ? wanted.file : `${wanted.kind}/${wanted.name}`} is not rendered in ${target}`,
      { target },
    );
  const result = ex.explain(object, query.pointer || undefined);
  if (query.pointer && result.fields.length === 0)
    throw new ManifoldError(`${result.kind}/${result.name} has no field ${query.pointer}`, {
      target,
      field: query.pointer,
    });
  return result;
}

const show = (v: unknown) => {
  const s = JSON.stringify(v) ?? "undefined";
  return s.length > 80 ? s.slice(0, 77) + "..." : s;
};

/** One chain step as a line: label, file:line, path and value. */
export function formatStep(s: Step): string {
  const where = s.line > 0 ? `${s.file}:${s.line}` : s.file;
  return `${s.label.padEnd(34)} ${where}${s.path ? `  ${s.path} = ${show(s.value)}` : ""}`;
}

/** The text rendering: a header, then every field with its origin and chain. */
export function formatExplanation(e: ObjectExplanation): string {
  const lines = [
    `${e.kind}/${e.name} in ${e.target} (${e.file}), made by block ${e.block.name} (${e.block.file})${e.component ? ` for component ${e.component}` : ""}`,
  ];
  if (e.presence.length)
    lines.push(`  rendered because of: ${e.presence.map((s) => `${s.path} (${s.file}:${s.line})`).join(", ")}`);
  for (const f of e.fields) {
    lines.push(
      `${f.pointer} = ${show(f.value)}  [${f.origin}${f.origin === "computed" || f.origin === "defaulted" ? ` by ${f.by}` : ""}]`,
    );
    for (const s of f.chain) lines.push(`  ${formatStep(s)}`);
  }
  return lines.join("\n");
}
