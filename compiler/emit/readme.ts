/**
 * The README.md in each target folder, for a person browsing the branch:
 * where the folder came from, its waves as a table, and a mermaid picture of
 * the dependency graph by wave. Argo CD ignores non-YAML files.
 */
import { createHash } from "../hash.ts";
import type { RenderedObject } from "../model/object.ts";
import type { ResolvedTarget } from "../model/target.ts";
import { syncPhase, syncWave } from "../sync/apply-order.ts";
import { COMPILER_VERSION } from "../version.ts";
import { objectFileName } from "./files.ts";
import { syncGraph } from "../graph/sync-graph.ts";
import { waveGroups } from "../sync/waves.ts";

/** A digest of the resolved spec: it changes exactly when the meaning of the target's description changes. */
export function specDigest(target: ResolvedTarget): string {
  const { provenance: _p, ...meaning } = target;
  return createHash("sha256").update(JSON.stringify(meaning)).update(COMPILER_VERSION).digest("hex");
}

function mermaidId(name: string): string {
  return name.replace(/[^A-Za-z0-9_]/g, "_");
}

/** Renders the README for one target. */
export function renderReadme(target: ResolvedTarget, objects: RenderedObject[]): string {
  const groups = waveGroups(objects);
  const lines: string[] = [];
  lines.push(`# ${target.platform} — ${target.environment} / ${target.region} (${target.role})`, "");
  if (target.description) lines.push(target.description, "");
  lines.push(
    "Rendered by Manifold. Do not edit: change the descriptions and run `npm run compile`.",
    "",
    "| | |",
    "|---|---|",
    `| Namespace | \`${target.namespace}\` |`,
    `| Cluster | \`${target.cluster.name}\` (${target.cluster.server}) |`,
    `| Sources | ${target.sources.map((s) => `\`${s}\``).join(", ")} |`,
    `| Source commit | the \`Source-Commit\` trailer of the commit that published this folder |`,
    `| Spec digest | \`${specDigest(target).slice(0, 16)}\` (compiler ${COMPILER_VERSION}) |`,
    `| Objects | ${objects.length} in ${groups.length} wave(s) |`,
    "",
    "## Waves",
    "",
    "Argo CD applies one wave at a time, in this order, and waits for every object of a wave that has a health check to be Healthy before it starts the next. The last wave is not waited on.",
    "",
    "| Phase | Wave | Objects |",
    "|---|---|---|",
  );
  for (const g of groups) {
    lines.push(
      `| ${g.phase} | ${g.wave} | ${g.objects.map((o) => `[${o.object.kind}/${o.object.metadata.name}](${objectFileName(o.object)})`).join("<br>")} |`,
    );
  }
  lines.push("", "## Dependencies", "", "```mermaid", "flowchart LR");
  const waveOfComponent = new Map<string, number>();
  for (const o of objects) {
    if (o.component && (o.band === "workload" || (o.band === "hook" && syncPhase(o.object) === "Sync"))) {
      waveOfComponent.set(o.component, Math.max(waveOfComponent.get(o.component) ?? -Infinity, syncWave(o.object)));
    }
  }
  const byWave = new Map<number, string[]>();
  for (const [c, w] of [...waveOfComponent.entries()].sort()) byWave.set(w, [...(byWave.get(w) ?? []), c]);
  for (const w of [...byWave.keys()].sort((a, b) => a - b)) {
    lines.push(`  subgraph wave${w}["wave ${w}"]`);
    for (const c of byWave.get(w)!) lines.push(`    ${mermaidId(c)}["${c}"]`);
    lines.push("  end");
  }
  const graph = syncGraph(target);
  for (const c of Object.keys(graph).sort()) {
    if (!waveOfComponent.has(c)) continue;
    for (const dep of [...graph[c].dependsOn].sort())
      if (waveOfComponent.has(dep)) lines.push(`  ${mermaidId(c)} --> ${mermaidId(dep)}`);
  }
  lines.push("```", "");
  return lines.join("\n");
}
