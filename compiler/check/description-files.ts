/**
 * Which files of a description folder (`platforms/`, `environments/`,
 * `regions/`, `argocd/`) are descriptions, and which are strays: a file the
 * loader skips but that looks like it was meant to be read (`shop.ts.bak`,
 * `shop.yaml`). A stray is silently ignored by the loader, so its platform
 * would vanish from `rendered/`; the CLI warns about each one.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** The folders descriptions are loaded from. */
export const DESCRIPTION_FOLDERS = ["platforms", "environments", "regions", "argocd"];

/** True for a file the loader reads as a description (helpers start with `_`; type declarations are skipped). */
export function isDescriptionFile(name: string): boolean {
  return /\.(ts|mts|js|mjs)$/.test(name) && !name.endsWith(".d.ts") && !name.startsWith("_");
}

/** The files directly in the description folders that the loader skips, except helpers (`_…`), `.d.ts` and dotfiles. */
export function strayFiles(root: string): string[] {
  const out: string[] = [];
  for (const dir of DESCRIPTION_FOLDERS) {
    const full = join(root, dir);
    if (!existsSync(full)) continue;
    for (const entry of readdirSync(full, { withFileTypes: true })) {
      const name = entry.name;
      if (!entry.isFile() || isDescriptionFile(name)) continue;
      if (name.startsWith(".") || name.startsWith("_") || name.endsWith(".d.ts") || /^readme(\.md)?$/i.test(name))
        continue;
      out.push(`${dir}/${name}`);
    }
  }
  return out.sort();
}

/** The warning for one stray file. */
export function strayWarning(path: string): string {
  return (
    `warning: ${path}: ignored: only .ts, .mts, .js and .mjs files are descriptions; ` +
    `rename it if it describes something, or delete it (a platform without a description is removed from rendered/)`
  );
}
