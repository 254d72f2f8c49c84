/** Where in a project's own files an exception was thrown, read from its stack. */
import { fileURLToPath } from "node:url";
import { relative, sep } from "node:path";

/**
 * The innermost stack frame of `error` that lies in one of the project's description files (not in
 * `node_modules/`, the compiler or the description cache), as `{ file, line, column }` with `file` relative
 * to `root`; undefined when there is none.
 */
export function projectFrame(error: unknown, root: string): { file: string; line: number; column: number } | undefined {
  const stack = error instanceof Error ? (error.stack ?? "") : "";
  for (const m of stack.matchAll(/(?:\(|at )((?:file:\/\/)?\/[^():\s]+|[A-Za-z]:\\[^():]+):(\d+):(\d+)\)?$/gm)) {
    const path = m[1].startsWith("file://") ? fileURLToPath(m[1]) : m[1];
    const file = relative(root, path).split(sep).join("/");
    if (file.startsWith("..") || /^(node_modules|compiler|\.manifold-cache)\//.test(file)) continue;
    if (file.includes("/node_modules/")) continue;
    return { file, line: Number(m[2]), column: Number(m[3]) };
  }
  return undefined;
}
