/**
 * The subset of Go's text/template that Manifold's ApplicationSet templates
 * use, evaluated as the ApplicationSet controller does with `goTemplate: true`
 * and `goTemplateOptions: ["missingkey=error"]`:
 *
 * - `{{.a.b}}`: a field chain; a missing map key is an error (missingkey=error),
 *   a field of a missing value is an error ("nil pointer evaluating").
 * - `{{index .a "k" ...}}`: indexing a map; a missing key yields the map's zero
 *   value (`""` for a string map), exactly like Go's `index`, which
 *   missingkey does not govern.
 * - `{{- ... -}}` trims surrounding white space.
 *
 * Anything else (pipelines, functions, control structures) is reported as
 * unsupported rather than guessed at.
 */

export class TemplateError extends Error {}

type Value = unknown;

interface Token {
  kind: "field" | "string";
  /** Field path segments, or the literal. */
  path: string[];
  literal?: string;
}

function describePath(path: string[]): string {
  return "." + path.join(".");
}

function lookupField(data: Value, path: string[], source: string): Value {
  let cur = data;
  for (let i = 0; i < path.length; i++) {
    const key = path[i];
    if (cur === undefined || cur === null)
      throw new TemplateError(`template: ${source}: nil pointer evaluating interface {}.${key}`);
    if (typeof cur !== "object" || Array.isArray(cur))
      throw new TemplateError(`template: ${source}: can't evaluate field ${key} in type ${typeof cur}`);
    if (!(key in (cur as Record<string, unknown>)))
      throw new TemplateError(
        `template: ${source}: map has no entry for key "${key}" (at ${describePath(path.slice(0, i + 1))})`,
      );
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

function tokenize(expr: string, source: string): string[] {
  const out: string[] = [];
  const re = /\s*("(?:[^"\\]|\\.)*"|[^\s"]+)/y;
  let m: RegExpExecArray | null;
  let pos = 0;
  while (pos < expr.length) {
    re.lastIndex = pos;
    m = re.exec(expr);
    if (!m) {
      if (expr.slice(pos).trim() === "") break;
      throw new TemplateError(`template: ${source}: cannot parse "${expr}"`);
    }
    out.push(m[1]);
    pos = re.lastIndex;
  }
  return out;
}

function parseArg(word: string, source: string): Token {
  if (word.startsWith('"')) return { kind: "string", path: [], literal: JSON.parse(word) as string };
  if (word === ".") return { kind: "field", path: [] };
  if (/^(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(word)) return { kind: "field", path: word.slice(1).split(".") };
  throw new TemplateError(
    `template: ${source}: unsupported argument "${word}" (Manifold evaluates field chains, string literals and index)`,
  );
}

function argValue(t: Token, data: Value, source: string): Value {
  return t.kind === "string" ? t.literal : lookupField(data, t.path, source);
}

function print(v: Value): string {
  if (v === undefined || v === null) return "<no value>";
  if (typeof v === "object")
    return Array.isArray(v)
      ? `[${v.map(print).join(" ")}]`
      : `map[${Object.keys(v as object)
          .sort()
          .map((k) => `${k}:${print((v as Record<string, unknown>)[k])}`)
          .join(" ")}]`;
  return String(v);
}

function evaluate(expr: string, data: Value, source: string): string {
  const words = tokenize(expr, source);
  if (words.length === 0) throw new TemplateError(`template: ${source}: missing value for command`);
  if (words[0] === "index") {
    if (words.length < 3)
      throw new TemplateError(
        `template: ${source}: wrong number of args for index: want at least 1 got ${words.length - 1}`,
      );
    let cur = argValue(parseArg(words[1], source), data, source);
    for (const w of words.slice(2)) {
      const key = argValue(parseArg(w, source), data, source);
      if (cur === undefined || cur === null)
        throw new TemplateError(`template: ${source}: error calling index: index of untyped nil`);
      if (typeof cur !== "object" || Array.isArray(cur))
        throw new TemplateError(`template: ${source}: error calling index: can't index item of type ${typeof cur}`);
      const map = cur as Record<string, unknown>;
      cur = typeof key === "string" && key in map ? map[key] : "";
    }
    return print(cur);
  }
  if (words.length !== 1) throw new TemplateError(`template: ${source}: unsupported expression "${expr.trim()}"`);
  return print(argValue(parseArg(words[0], source), data, source));
}

/** Renders one template string against `data`. Throws TemplateError as the controller would fail. */
export function renderTemplate(template: string, data: Value, source = "template"): string {
  let out = "";
  let pos = 0;
  while (pos < template.length) {
    const open = template.indexOf("{{", pos);
    if (open < 0) {
      out += template.slice(pos);
      break;
    }
    const close = template.indexOf("}}", open + 2);
    if (close < 0) throw new TemplateError(`template: ${source}: unclosed action`);
    let text = template.slice(pos, open);
    let inner = template.slice(open + 2, close);
    if (inner.startsWith("- ") || inner === "-") {
      text = text.replace(/\s+$/, "");
      inner = inner.slice(1);
    }
    let trimAfter = false;
    if (inner.endsWith(" -")) {
      trimAfter = true;
      inner = inner.slice(0, -1);
    }
    out += text + evaluate(inner, data, source);
    pos = close + 2;
    if (trimAfter) while (pos < template.length && /\s/.test(template[pos])) pos++;
  }
  return out;
}

/**
 * Renders every string inside `value` (objects and lists walked), the way the controller renders an Application
 * template.
 */
export function renderDeep<T>(value: T, data: Value, source = "template"): T {
  if (typeof value === "string") return renderTemplate(value, data, source) as T;
  if (Array.isArray(value)) return value.map((v) => renderDeep(v, data, source)) as T;
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[renderTemplate(k, data, source)] = renderDeep(v, data, source);
    return out as T;
  }
  return value;
}
