/**
 * `manifold diff --explain`: the provenance of each changed field on the head
 * side, so a PR comment says which description line caused the change. Only
 * one change per collapsed entry is explained (the same change in several
 * regions has the same cause), and each target is traced once.
 */
import type { Project } from "../model/project.ts";
import { load } from "../load.ts";
import { explainer, type Explainer, type FieldExplanation, type Step } from "../explain/explain.ts";
import { loadTypescript, SourceIndexes } from "../explain/source-lines.ts";
import type { ChangeBlock } from "./group.ts";
import type { ObjectChange } from "./objects.ts";

/** At most this many fields are explained per change (an added subtree can hold many). */
const FIELDS_PER_CHANGE = 12;

function because(f: FieldExplanation): Step[] {
  if (f.origin === "set") return f.chain.slice(-1);
  if (f.origin === "patched") return f.chain.filter((s) => s.kind === "patch");
  return f.chain;
}

/** The pointers a change touches on the head side: each added or replaced path (removals have no head value). */
function touched(change: ObjectChange): string[] | undefined {
  if (change.type === "added") return undefined;
  return change.patch.filter((op) => op.op !== "remove").map((op) => op.path);
}

/**
 * Adds `provenance` to the first change of every entry in `blocks` that lives in a target folder, explaining it
 * against the descriptions under `root` (the head side).
 */
export async function explainChanges(root: string, blocks: ChangeBlock[], log: (l: string) => void): Promise<void> {
  const changes = blocks.flatMap((b) => b.entries.map((e) => e.change)).filter((c) => c.region && c.type !== "removed");
  if (changes.length === 0) return;
  const ts = await loadTypescript();
  const project: Project = await load(root);
  const sources = new SourceIndexes(ts, root);
  const traced = new Map<string, Explainer>();
  for (const change of changes) {
    const filter = { platform: change.platform, environment: change.environment, region: change.region };
    let ex = traced.get(change.folder);
    if (!ex) {
      log(`explaining ${change.folder}`);
      traced.set(change.folder, (ex = explainer(project, filter, sources)));
    }
    const object = ex.stages.final.find((o) => o.object.kind === change.kind && o.object.metadata.name === change.name);
    if (!object) continue;
    const paths = touched(change);
    const explained = ex.explain(object);
    const fields = explained.fields.filter(
      (f) => !paths || paths.some((p) => f.pointer === p || f.pointer.startsWith(p + "/")),
    );
    change.provenance = (paths ? fields : fields.filter((f) => f.origin !== "defaulted"))
      .slice(0, FIELDS_PER_CHANGE)
      .map((f) => ({ pointer: f.pointer, value: f.value, origin: f.origin, by: f.by, because: because(f) }));
  }
}

/**
 * One line per field, e.g. `/spec/replicas = 3: set by target dev/us-west-2 at platforms/ossa.ts:64
 * (components.gateway.replicas)`.
 */
export function provenanceLines(change: ObjectChange): string[] {
  return (change.provenance ?? []).map((p) => {
    const steps = p.because
      .slice(0, 4)
      .map((s) => `${s.label} at ${s.line > 0 ? `${s.file}:${s.line}` : s.file}${s.path ? ` (${s.path})` : ""}`);
    const more = p.because.length > 4 ? ` and ${p.because.length - 4} more` : "";
    const how = p.origin === "set" ? "set by" : p.origin === "patched" ? "patched by" : `${p.origin} by ${p.by} from`;
    return `${p.pointer} = ${JSON.stringify(p.value)}: ${how} ${steps.join("; ")}${more}`;
  });
}
