/**
 * `manifold diff`: the rendered difference between two commits, or between
 * a commit and the working tree, as object changes with risk flags, ready
 * for a report.
 */
import { compareTrees, type ObjectChange } from "./objects.ts";
import { groupChanges, type ChangeBlock } from "./group.ts";
import { renderRef, renderWorkingTree, withCheckout, type RenderedSide } from "./side.ts";
import { explainChanges } from "./provenance.ts";

export interface DiffOptions {
  /** The project folder. */
  root: string;
  base: string;
  /** Without it, the working tree's descriptions are the head. */
  head?: string;
  log?: (line: string) => void;
  /** Explain each changed field on the head side (which description line caused it). */
  explain?: boolean;
}

export interface DiffResult {
  base: Omit<RenderedSide, "files">;
  head: Omit<RenderedSide, "files">;
  changes: ObjectChange[];
  blocks: ChangeBlock[];
}

const ROLE_ORDER = ["primary", "secondary", "tertiary"];

/** Regions ordered by role (primary first, read from the target READMEs), then by name. */
export function regionOrder(...trees: Map<string, string>[]): string[] {
  const roles = new Map<string, number>();
  for (const files of trees) {
    for (const [path, text] of files) {
      const parts = path.split("/");
      if (parts.length !== 4 || parts[3] !== "README.md") continue;
      const role = /\((primary|secondary|tertiary)\)/.exec(text.slice(0, 300))?.[1];
      if (role && !roles.has(parts[1])) roles.set(parts[1], ROLE_ORDER.indexOf(role));
    }
  }
  return [...roles].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1)).map(([r]) => r);
}

/** Renders both sides and compares their objects. */
export async function diff(options: DiffOptions): Promise<DiffResult> {
  const log = options.log ?? (() => {});
  log(`rendering ${options.base}${options.head ? ` and ${options.head}` : " and the working tree"}`);
  // Both sides are waited for even when one fails: a side still checking out or compiling must get to remove its
  // worktree before the command ends (the CLI exits as soon as it returns).
  const sides = await Promise.allSettled([
    renderRef(options.root, options.base),
    options.head ? renderRef(options.root, options.head) : renderWorkingTree(options.root),
  ]);
  const failed = sides.find((side) => side.status === "rejected");
  if (failed) throw failed.reason;
  const [base, head] = sides.map((side) => (side as PromiseFulfilledResult<RenderedSide>).value);
  const changes = compareTrees(base.files, head.files);
  const blocks = groupChanges(changes, regionOrder(head.files, base.files));
  if (options.explain) {
    const headRef = options.head;
    if (headRef) await withCheckout(options.root, headRef, (project) => explainChanges(project, blocks, log));
    else await explainChanges(options.root, blocks, log);
  }
  const { files: _b, ...baseInfo } = base;
  const { files: _h, ...headInfo } = head;
  return { base: baseInfo, head: headInfo, changes, blocks };
}
