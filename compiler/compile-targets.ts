/**
 * Phases 3 to 6 for resolved targets, and the rendering of their files: build, order, patch, validate and render,
 * target by target. The helper thread (parallel-worker.ts) loads this and not compile.ts, so it never loads the
 * cluster and Argo CD layers' code (nor what they load: node:child_process for Helm, ~30 ms at each start under
 * the CLI's V8 options), which only the main thread runs.
 */
import { combineErrors, ManifoldError } from "./errors.ts";
import type { BuiltTarget, CompiledTarget, ResolvedTarget, WavePlan } from "./model/target.ts";
import type { Finding } from "./model/finding.ts";
import { build } from "./blocks/index.ts";
import { order } from "./order.ts";
import { patch } from "./patch.ts";
import { blocking, validate } from "./validate/index.ts";
import { findingsError } from "./validate/findings-error.ts";
import { withContentDigests } from "./validate/content-memo.ts";
import { renderTargetFiles, targetFolder } from "./emit/files.ts";
import { renderReadme } from "./emit/readme.ts";
import { prestageTarget } from "./emit/prestage.ts";
import { sortForSync } from "./sync/apply-order.ts";
import { groupByTarget, runContext, timed, type CompiledTargets, type RunContext, type RunOptions } from "./reuse.ts";

/**
 * Phases 3 to 6 and the rendering of files, for resolved targets. Throws a ManifoldError listing every problem
 * of the first phase that has any (blocking findings too, unless the run keeps errors). With a cache, each
 * target's output is stored under its key in the run's `keys`.
 */
export function compileTargets(resolved: ResolvedTarget[], options: RunOptions = {}): CompiledTargets {
  const run = runContext(options);
  const built = timed(run.timings, "build", () => build(resolved));
  const ordered = timed(run.timings, "order", () => built.map(order));
  const patched = timed(run.timings, "patch", () => patchAll(ordered));
  // The objects' content keys, taken for the validation's memos, serve the rendering's (emit/files.ts) and the
  // cache's too. The build and patch phases make plain data (jsonCopy, kubernetes-models' copies, patch values
  // copied), which the schema check may read without copying it again.
  return withContentDigests(() => {
    const findings = timed(run.timings, "validate", () => validate(patched, run.timings));
    const errors = blocking(findings);
    if (errors.length && !run.keepErrors) throw findingsError(errors);
    return timed(run.timings, "render", () => renderTargets(patched, findings, run));
  }, true);
}

/** A target after phase 4 (order) and phase 5 (patch): its objects and its wave plan. */
type OrderedTarget = BuiltTarget & { waves: WavePlan };

/** Phase 5 over every target, collecting every target's errors before throwing them together. */
function patchAll(ordered: OrderedTarget[]): OrderedTarget[] {
  const errors: ManifoldError[] = [];
  const out = ordered.flatMap((t) => {
    try {
      return [patch(t)];
    } catch (e) {
      if (e instanceof ManifoldError) errors.push(e, ...e.others);
      else throw e;
      return [];
    }
  });
  if (errors.length) throw combineErrors(errors);
  return out;
}

/**
 * Renders each target's files (objects in sync order, and its README), storing each in the cache when there is one,
 * and writing them to the run's prestage when it has one (a first write of rendered/: emit/prestage.ts).
 */
function renderTargets(patched: OrderedTarget[], findings: Finding[], run: RunContext): CompiledTargets {
  const files = new Map<string, string>();
  const targets: CompiledTarget[] = [];
  const findingsOf = run.cache ? groupByTarget(findings) : new Map<string, Finding[]>();
  for (const t of patched) {
    const objects = sortForSync(t.objects);
    const own = renderTargetFiles(t.target, objects);
    own.set(`${targetFolder(t.target)}/README.md`, renderReadme(t.target, objects));
    for (const [path, content] of own) files.set(path, content);
    if (run.prestage) prestageTarget(run.prestage, targetFolder(t.target), own);
    targets.push({ target: t.target, objects, waves: t.waves });
    const key = run.keys.get(t.target);
    if (run.cache && key !== undefined)
      run.cache.put(key, {
        id: t.target.id,
        objects,
        waves: t.waves,
        findings: findingsOf.get(t.target.id) ?? [],
        files: [...own],
      });
  }
  return { targets, findings, files };
}
