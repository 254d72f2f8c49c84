/** Why a target filter (`--platform`, `--env`, `--region`, or `plan`'s arguments) matched nothing. */
import type { Project } from "./model/project.ts";
import type { TargetFilter } from "./model/target.ts";
import { didYouMean } from "./suggest.ts";

/**
 * The message for a filter that matched no target: a name the project does not have is named, with a
 * "did you mean" and the names it does have; otherwise the combination is listed.
 */
export function noMatchMessage(project: Project, filter: TargetFilter): string {
  const kinds: [string, string | undefined, string[]][] = [
    ["platform", filter.platform, project.platforms.map((p) => p.value.name)],
    ["environment", filter.environment, project.environments.map((e) => e.value.name)],
    ["region", filter.region, project.regions.map((r) => r.value.name)],
  ];
  const unknown = kinds
    .filter(([, value, names]) => value !== undefined && !names.includes(value))
    .map(
      ([kind, value, names]) =>
        `there is no ${kind} "${value}"${didYouMean(value!, names)}; ${kind}s: ${names.join(", ")}`,
    );
  const asked = kinds.filter(([, value]) => value !== undefined).map(([kind, value]) => `${kind} ${value}`);
  const head = `no target matches ${asked.join(" ")}`;
  if (unknown.length) return `${head}: ${unknown.join("; ")}`;
  return `${head} (the platform may not run in that environment, or the environment not in that region)`;
}
