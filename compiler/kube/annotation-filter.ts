/**
 * external-dns's `--annotation-filter`: a Kubernetes label selector (`key=value`, `key!=value`, `key in (a,b)`,
 * `key notin (a,b)`, `key`, `!key`, comma-separated, all must hold) matched against an object's annotations.
 * external-dns skips every object the filter does not match, in every source.
 */

type Requirement = (annotations: Record<string, string>) => boolean;

/** Splits a selector at the commas outside parentheses. */
function terms(selector: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of selector) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      out.push(current);
      current = "";
    } else current += ch;
  }
  out.push(current);
  return out.map((t) => t.trim()).filter(Boolean);
}

function requirement(term: string): Requirement {
  const set = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
  if (set) {
    const values = set[3].split(",").map((v) => v.trim());
    const [, key, op] = set;
    return (a) => (op === "in" ? key in a && values.includes(a[key]) : !(key in a) || !values.includes(a[key]));
  }
  const cmp = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
  if (cmp) {
    const [, key, op, value] = cmp;
    return (a) => (op === "!=" ? a[key] !== value : a[key] === value);
  }
  if (term.startsWith("!")) return (a) => !(term.slice(1).trim() in a);
  return (a) => term in a;
}

/** True when external-dns with annotation filter `filter` (none: every object) reads an object with `annotations`. */
export function matchesAnnotationFilter(filter: string | undefined, annotations: Record<string, string>): boolean {
  if (!filter?.trim()) return true;
  return terms(filter).every((t) => requirement(t)(annotations));
}
