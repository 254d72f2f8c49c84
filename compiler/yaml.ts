/**
 * A small, fast YAML writer for Kubernetes objects.
 *
 * The output is deterministic (keys in a fixed order: `apiVersion`, `kind`,
 * `metadata`, then `name`, `namespace`, then the rest alphabetically), never
 * folds lines, and is safe for both YAML 1.1 readers (Argo CD, kubectl) and
 * YAML 1.2 readers: any string that either version would read as something
 * other than that string (`yes`, `on`, `0775`, `1e3`, `~`, `1:20`, a date…)
 * is quoted.
 */

const KEY_RANK: Record<string, number> = { apiVersion: 0, kind: 1, metadata: 2, name: 3, namespace: 4 };

function compareKeys(a: string, b: string): number {
  const ra = KEY_RANK[a] ?? 9;
  const rb = KEY_RANK[b] ?? 9;
  if (ra !== rb) return ra - rb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Strings a YAML 1.1 or 1.2 reader would resolve to a non-string (or that are awkward plain). */
const SPECIAL = [
  /^(?:~|null|Null|NULL|)$/,
  /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^[-+]?(?:0|[1-9][0-9_]*)$/, // decimal int (1.1 allows underscores)
  /^[-+]?[0-9]+$/, // 1.2 core int, leading zeros included ("08")
  /^[-+]?0[0-7_]+$/, // 1.1 octal
  /^[-+]?0o[0-7]+$/, // 1.2 octal
  /^[-+]?0x[0-9a-fA-F_]+$/, // hex
  /^[-+]?0b[01_]+$/, // 1.1 binary
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/, // 1.1 sexagesimal
  /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?$/, // float with a dot
  /^[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+$/, // 1e3
  /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/, // what some 1.1 parsers read as a float: "E0", ".5e1"
  /^[-+]?\.(?:inf|Inf|INF)$/,
  /^\.(?:nan|NaN|NAN)$/,
  /^\d{4}-\d{1,2}-\d{1,2}/, // timestamps
  /^(?:<<|=)$/,
];

/** Characters that must be escaped inside a double-quoted scalar (controls, NEL, line/paragraph separators, BOM). */
const NEEDS_ESCAPE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff"\\]/;
const NEEDS_ESCAPE_GLOBAL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff"\\]/g;
const ESCAPES: Record<string, string> = { '"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r" };
/** Characters outside YAML's printable set, other than line feed and tab. */
const NON_PRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff\r]/;

function escapeChar(c: string): string {
  const known = ESCAPES[c];
  if (known) return known;
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/** A double-quoted scalar. */
export function quote(s: string): string {
  return NEEDS_ESCAPE.test(s) ? `"${s.replace(NEEDS_ESCAPE_GLOBAL, escapeChar)}"` : `"${s}"`;
}

/** True when `s` can be written as a plain (unquoted) scalar and read back as the same string by YAML 1.1 and 1.2. */
export function isPlainSafe(s: string): boolean {
  if (s.length === 0) return false;
  const first = s[0];
  if ("-?:,[]{}#&*!|>'\"%@` \t".includes(first)) return false;
  const last = s[s.length - 1];
  if (last === " " || last === "\t" || last === ":") return false;
  if (s.includes(": ") || s.includes(" #") || s.includes(":\t") || s.includes("\t#")) return false;
  if (NEEDS_ESCAPE.test(s)) return false;
  if (s.startsWith("...")) return false;
  for (const re of SPECIAL) if (re.test(s)) return false;
  return true;
}

function scalar(value: string | number | boolean | null): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`cannot write the number ${value} as YAML`);
    return String(value);
  }
  return isPlainSafe(value) ? value : quote(value);
}

/** A multi-line string as a literal block, or null when it needs quoting instead. */
function literalBlock(s: string): { header: string; lines: string[] } | null {
  if (!s.includes("\n") || NON_PRINTABLE.test(s)) return null;
  if (s[0] === " " || s[0] === "\t" || s[0] === "\n") return null;
  let header: string;
  let body: string;
  if (s.endsWith("\n\n")) return null;
  if (s.endsWith("\n")) {
    header = "|";
    body = s.slice(0, -1);
  } else {
    header = "|-";
    body = s;
  }
  const lines = body.split("\n");
  // A last line of only spaces would be taken as trailing blank lines and lost.
  if (/^[ \t]*$/.test(lines[lines.length - 1])) return null;
  return { header, lines };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function keyText(key: string): string {
  return isPlainSafe(key) ? key : quote(key);
}

function sortedKeys(obj: Record<string, unknown>): string[] {
  return Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort(compareKeys);
}

function pushBlock(out: string[], pad: string, block: { lines: string[] }): void {
  for (const line of block.lines) out.push(line.length === 0 ? "" : pad + line);
}

function writeMap(obj: Record<string, unknown>, indent: number, out: string[]): void {
  const pad = " ".repeat(indent);
  for (const key of sortedKeys(obj)) {
    const value = obj[key];
    const k = keyText(key);
    if (Array.isArray(value)) {
      if (value.length === 0) out.push(`${pad}${k}: []`);
      else {
        out.push(`${pad}${k}:`);
        writeSeq(value, indent + 2, out);
      }
    } else if (isObject(value)) {
      if (sortedKeys(value).length === 0) out.push(`${pad}${k}: {}`);
      else {
        out.push(`${pad}${k}:`);
        writeMap(value, indent + 2, out);
      }
    } else if (typeof value === "string" && value.includes("\n")) {
      const block = literalBlock(value);
      if (block) {
        out.push(`${pad}${k}: ${block.header}`);
        pushBlock(out, pad + "  ", block);
      } else out.push(`${pad}${k}: ${quote(value)}`);
    } else {
      out.push(`${pad}${k}: ${scalar(value as string | number | boolean | null)}`);
    }
  }
}

function writeSeq(items: unknown[], indent: number, out: string[]): void {
  const pad = " ".repeat(indent);
  for (const item of items) {
    if (item === undefined) throw new Error("cannot write undefined inside a YAML sequence");
    if (Array.isArray(item)) {
      if (item.length === 0) out.push(`${pad}- []`);
      else {
        out.push(`${pad}-`);
        writeSeq(item, indent + 2, out);
      }
    } else if (isObject(item)) {
      if (sortedKeys(item).length === 0) out.push(`${pad}- {}`);
      else {
        const start = out.length;
        writeMap(item, indent + 2, out);
        out[start] = `${pad}- ${out[start].slice(indent + 2)}`;
      }
    } else if (typeof item === "string" && item.includes("\n")) {
      const block = literalBlock(item);
      if (block) {
        out.push(`${pad}- ${block.header}`);
        pushBlock(out, pad + "  ", block);
      } else out.push(`${pad}- ${quote(item)}`);
    } else {
      out.push(`${pad}- ${scalar(item as string | number | boolean | null)}`);
    }
  }
}

/** Serialises one document (a map, list or scalar) to YAML text ending in a newline. */
export function toYaml(value: unknown): string {
  const out: string[] = [];
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]\n";
    writeSeq(value, 0, out);
  } else if (isObject(value)) {
    if (sortedKeys(value).length === 0) return "{}\n";
    writeMap(value, 0, out);
  } else if (typeof value === "string" && value.includes("\n")) {
    return quote(value) + "\n";
  } else {
    return scalar(value as string | number | boolean | null) + "\n";
  }
  return out.join("\n") + "\n";
}
