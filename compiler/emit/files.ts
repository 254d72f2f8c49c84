/**
 * The rendered-tree contract: `rendered/<environment>/<region>/<platform>/`,
 * one object per `<kind>-<name>.yaml`, stable, readable and unique. Two
 * objects that would share a file name, or names that differ only in case, are an error.
 */
import { ManifoldError, combineErrors } from "../errors.ts";
import type { KubeObject, RenderedObject } from "../model/object.ts";
import type { ResolvedTarget } from "../model/target.ts";
import { toYaml } from "../yaml.ts";
import { byContent } from "../validate/content-memo.ts";

/** The folder of a target, relative to `rendered/`. */
export function targetFolder(t: Pick<ResolvedTarget, "environment" | "region" | "platform">): string {
  return `${t.environment}/${t.region}/${t.platform}`;
}

/** The file name of one object: lower-case kind, then name. */
export function objectFileName(o: KubeObject): string {
  return `${o.kind.toLowerCase()}-${o.metadata.name}.yaml`;
}

/**
 * Renders a target's objects to file contents keyed by path relative to `rendered/`. An object of the same content as
 * one rendered before (the same object in another region: most of a fleet's objects) is not written out again: its
 * YAML is that object's. Called within the validation's withContentDigests, it reuses the digests taken there.
 */
export function renderTargetFiles(target: ResolvedTarget, objects: RenderedObject[]): Map<string, string> {
  const folder = targetFolder(target);
  const files = new Map<string, string>();
  // Who took each path, by the path in lower case: names that differ only in case (RBAC names may hold capitals) are
  // one file on macOS's and Windows' volumes.
  const taken = new Map<string, { path: string; id: string }>();
  const errors: ManifoldError[] = [];
  for (const o of objects) {
    const path = `${folder}/${objectFileName(o.object)}`;
    const id = `${o.object.apiVersion} ${o.object.kind}/${o.object.metadata.name}`;
    const folded = path.toLowerCase();
    const owner = taken.get(folded);
    if (owner !== undefined) {
      const where = owner.path === path ? path : `${owner.path} and ${path}, one file where case is not told apart`;
      errors.push(
        new ManifoldError(`two objects would both be written to ${where}: ${owner.id} and ${id}`, {
          file: target.sources[0],
          field: o.component ? `components.${o.component}` : undefined,
          target: target.id,
        }),
      );
      continue;
    }
    taken.set(folded, { path, id });
    files.set(path, byContent("yaml", o.object, toYaml));
  }
  if (errors.length) throw combineErrors(errors);
  return files;
}
