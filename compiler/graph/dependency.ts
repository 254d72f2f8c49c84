/**
 * The dependency graph of a target's components and its longest-path
 * layering: the wave order is built on it, and load and resolve use it to
 * report cycles and dangling edges early, naming the whole path.
 */
import { ManifoldError } from "../errors.ts";
import type { Component } from "../describe/types.ts";

/** A dependency cycle among components: `members` is the path, its first component repeated at the end. */
export class DependencyCycleError extends ManifoldError {
  readonly members: string[];

  constructor(members: string[], where: { file?: string; target?: string } = {}) {
    super(`dependency cycle: ${members.join(" -> ")}`, { ...where, field: `components.${members[0]}.dependsOn` });
    this.members = members;
  }
}

/**
 * Longest-path layer of each component: 0 with no dependencies, else 1 + the deepest dependency. A cycle is a
 * DependencyCycleError naming the whole path.
 */
export function layerComponents(
  components: Record<string, Pick<Component, "dependsOn">>,
  where: { file?: string; target?: string } = {},
): Map<string, number> {
  const level = new Map<string, number>();
  const visiting: string[] = [];
  const visit = (name: string): number => {
    const known = level.get(name);
    if (known !== undefined) return known;
    const at = visiting.indexOf(name);
    if (at >= 0) {
      throw new DependencyCycleError([...visiting.slice(at), name], where);
    }
    const component = components[name];
    if (!component) throw new ManifoldError(`unknown component "${name}"`, { ...where, field: "components" });
    visiting.push(name);
    let depth = 0;
    for (const dep of component.dependsOn ?? []) {
      if (!components[dep])
        throw new ManifoldError(`depends on unknown component "${dep}"`, {
          ...where,
          field: `components.${name}.dependsOn`,
        });
      depth = Math.max(depth, visit(dep) + 1);
    }
    visiting.pop();
    level.set(name, depth);
    return depth;
  };
  for (const name of Object.keys(components).sort()) visit(name);
  return level;
}
