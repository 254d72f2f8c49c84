/**
 * `manifold new platform|environment|region <name>`: one new description that compiles as generated, in an
 * existing project.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { ManifoldError } from "../errors.ts";
import { writeNew } from "./write.ts";
import * as t from "./templates.ts";

export const KINDS = ["platform", "environment", "region"] as const;
export type Kind = (typeof KINDS)[number];

export interface NewResult {
  files: string[];
  next: string[];
}

/** The names of the descriptions in one folder of a project. */
function names(root: string, dir: string): string[] {
  const full = join(root, dir);
  if (!existsSync(full)) return [];
  return readdirSync(full)
    .filter((f) => f.endsWith(".ts") && !f.startsWith("_") && !f.endsWith(".d.ts"))
    .map((f) => f.slice(0, -3))
    .sort();
}

/** Adds the description of a new platform, environment or region named `name` to the project at `root`. */
export function newDescription(
  root: string,
  kind: Kind,
  name: string,
  options: { role?: "primary" | "secondary" | "tertiary" } = {},
): NewResult {
  if (!t.NAME.test(name))
    throw new ManifoldError(`"${name}" is not a valid ${kind} name: use a DNS label (lower-case letters, digits, "-")`);
  if (kind === "platform") {
    const files = writeNew(root, { [`platforms/${name}.ts`]: t.platformFile(name) });
    return {
      files,
      next: [
        `edit platforms/${name}.ts: its image, ports, probes and resources`,
        "npx manifold compile         # render it into every environment",
        `git add platforms/${name}.ts rendered/ && git commit`,
      ],
    };
  }
  if (kind === "environment") {
    const regions = names(root, "regions");
    if (!regions.length)
      throw new ManifoldError("has no region yet; add one first: npx manifold new region <name>", { file: "regions/" });
    const files = writeNew(root, { [`environments/${name}.ts`]: t.environmentFile(name, regions) });
    const shared = existsSync(join(root, "regions", "_clusters.ts"));
    return {
      files,
      next: [
        `environments/${name}.ts runs in ${regions.join(", ")}; edit its regions and policy`,
        shared
          ? "its clusters come from regions/_clusters.ts: replace the placeholder endpoints"
          : `add a cluster for "${name}" to clusters in every region file it lists`,
        "and a sync policy for it in argocd/layer.ts if that lists environments by name",
        "npx manifold compile",
      ],
    };
  }
  const role = options.role ?? "secondary";
  if (!existsSync(join(root, "regions", "_clusters.ts")))
    throw new ManifoldError(
      "has no _clusters.ts helper (a project made by 'manifold init' has one); write the region by hand, see the README",
      { file: "regions/" },
    );
  const files = writeNew(root, { [`regions/${name}.ts`]: t.regionFile(name, role) });
  return {
    files,
    next: [
      `list "${name}" in the regions of each environment that should run there (environments/*.ts)`,
      "replace the placeholder cluster endpoints in regions/_clusters.ts",
      "npx manifold compile",
    ],
  };
}
