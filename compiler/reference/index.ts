/** The generated reference of the description language (docs/reference.md). */
import { join } from "node:path";
import { readLanguage } from "./language.ts";
import { referenceMarkdown } from "./markdown.ts";

/** Where the reference is written, relative to the repository. */
export const REFERENCE_PATH = "docs/reference.md";

/** The reference of the language of the repository at `repo`, as Markdown. */
export function renderReference(repo: string): string {
  return referenceMarkdown(readLanguage(join(repo, "compiler", "index.ts")));
}
