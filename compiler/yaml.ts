/**
 * A small, fast YAML writer for Kubernetes objects.
 *
 * The reference it matches byte for byte is the `yaml` library's generic
 * writer with fixed options, `REFERENCE_OPTIONS` below:
 *
 *   stringify(value, REFERENCE_OPTIONS)
 *
 * - YAML 1.2 core schema, with the YAML 1.1 schema as `compat`: a string that
 *   either version would read as something else (`yes`, `on`, `0775`, `0o17`,
 *   `1e3`, `1_000`, `1:20`, `~`, a date, `<<`) is quoted; so is `=`, YAML
 *   1.1's value key (the extra `VALUE_KEY` tag);
 * - keys in a fixed order: `apiVersion`, `kind`, `metadata`, then `name`,
 *   `namespace`, then the rest by code unit (`compareKeys`);
 * - never folds lines (`lineWidth: 0`), always double quotes, multi-line
 *   strings as literal blocks (`|`, `|-`, `|+`, with an indentation
 *   indicator where a line starts with a space), no anchors or aliases.
 *
 * Two deliberate differences keep the output a faithful round trip for
 * YAML 1.1 and 1.2 readers, where the reference's is not:
 * - the `yaml` library writes C1 control characters (U+0080-U+009F, NEL
 *   included), U+2028, U+2029 and U+FEFF raw, which YAML 1.1 readers
 *   (libyaml, go-yaml) take as line breaks or reject; this writer escapes
 *   them inside a double-quoted string (`\x85`, `\u2028`, ...);
 * - a multi-line string whose trailing whitespace holds a space or tab
 *   (`"x\n  \n"`) loses it in a literal block; this writer double-quotes it.
 * For every other value the output is identical (test/yaml.test.ts proves it
 * over the whole seed fleet and over random values).
 */
import type { CreateNodeOptions, DocumentOptions, SchemaOptions, ToStringOptions } from "yaml";

// A Map, not an object: a key named like an Object.prototype member (`constructor`, `toString`) must rank as any key.
const KEY_RANK = new Map([
  ["apiVersion", 0],
  ["kind", 1],
  ["metadata", 2],
  ["name", 3],
  ["namespace", 4],
]);

/** Key order: apiVersion, kind, metadata, name, namespace, then by code unit. */
export function compareKeys(a: string, b: string): number {
  const ra = KEY_RANK.get(a) ?? 9;
  const rb = KEY_RANK.get(b) ?? 9;
  if (ra !== rb) return ra - rb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** YAML 1.1's value key `=`, which 1.1 readers resolve to a non-string. Not written by the writer, only tested. */
export const VALUE_KEY = {
  tag: "tag:yaml.org,2002:value",
  default: true,
  test: /^=$/,
  resolve: () => "=",
  identify: () => false,
};

/** The reference: options for the `yaml` library's `stringify` that this writer matches byte for byte. */
export const REFERENCE_OPTIONS: DocumentOptions & SchemaOptions & CreateNodeOptions & ToStringOptions = {
  version: "1.2",
  schema: "core",
  compat: "yaml-1.1",
  customTags: [VALUE_KEY],
  lineWidth: 0,
  minContentWidth: 0,
  singleQuote: false,
  blockQuote: "literal",
  doubleQuotedMinMultiLineLength: Number.POSITIVE_INFINITY,
  aliasDuplicateObjects: false,
  sortMapEntries: (a: { key: unknown }, b: { key: unknown }) => compareKeys(String(a.key), String(b.key)),
};

/**
 * Strings the YAML 1.2 core schema, the YAML 1.1 schema or the value key
 * resolve to something other than a string: the union of the schemas'
 * implicit-tag patterns (null, bool, int, float, merge, sexagesimal, timestamp).
 */
const SPECIAL = new RegExp(
  [
    /^(?:~|[Nn]ull|NULL)?$/,
    /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON|N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/,
    /^0o[0-7]+$/,
    /^[-+]?[0-9]+$/,
    /^0x[0-9a-fA-F]+$/,
    /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
    /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
    /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
    /^[-+]?0b[0-1_]+$/,
    /^[-+]?0[0-7_]+$/,
    /^[-+]?[0-9][0-9_]*$/,
    /^[-+]?0x[0-9a-fA-F_]+$/,
    /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
    /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/,
    /^<<$/,
    /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+$/,
    /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$/,
    /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:t|T|[ \t]+)[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]+)?(?:[ \t]*(?:Z|[-+][012]?[0-9](?::[0-9]{2})?))?)?$/,
    /^=$/,
  ]
    .map((r) => `(?:${r.source})`)
    .join("|"),
);

/** First characters of every string SPECIAL can match (and the empty string): the fast way past it. */
const SPECIAL_FIRST = new Set("~nNtTfFyYoOeE0123456789-+.<=");

/** True when a YAML 1.1 or 1.2 reader would read the plain scalar `s` as a non-string. */
export function isSpecial(s: string): boolean {
  return (s.length === 0 || SPECIAL_FIRST.has(s[0])) && SPECIAL.test(s);
}

/**
 * Characters written only inside double quotes: C0 controls but tab and line feed, DEL, C1 controls, unpaired
 * surrogates.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point: they must be escaped
const FORCE_DOUBLE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u;
/**
 * Characters YAML 1.1 readers take as line breaks or reject when raw: escaped (the one difference from the reference).
 */
const UNSAFE_RAW = /[\u0080-\u009f\u2028\u2029\ufeff]/;
/**
 * What a plain scalar may not look like (the reference's rule): indicators first, `: `, ` #`, trailing space or
 * colon...
 */
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;
const INDENT_STEP = "  ";

/** A double-quoted scalar: JSON's escapes, then YAML's short escapes, a space before a line feed escaped. */
function doubleQuoted(value: string, implicitKey: boolean): string {
  const json = JSON.stringify(value);
  let str = "";
  let start = 0;
  for (let i = 0, ch = json[i]; ch; ch = json[++i]) {
    if (ch === " " && json[i + 1] === "\\" && json[i + 2] === "n") {
      // a space before a line break is escaped, so no reader folds it away
      str += json.slice(start, i) + "\\ ";
      i += 1;
      start = i;
      ch = "\\";
    }
    if (ch === "\\") {
      if (json[i + 1] === "u") {
        str += json.slice(start, i);
        const code = json.substr(i + 2, 4);
        switch (code) {
          case "0000":
            str += "\\0";
            break;
          case "0007":
            str += "\\a";
            break;
          case "000b":
            str += "\\v";
            break;
          case "001b":
            str += "\\e";
            break;
          default:
            str += code.substr(0, 2) === "00" ? "\\x" + code.substr(2) : json.substr(i, 6);
        }
        i += 5;
        start = i + 1;
      } else i += 1;
    }
  }
  str = start ? str + json.slice(start) : json;
  void implicitKey;
  return UNSAFE_RAW.test(str) ? escapeUnsafe(str) : str;
}

/** Escapes the characters YAML 1.1 readers misread when raw (inside a double-quoted scalar). */
function escapeUnsafe(quoted: string): string {
  return quoted.replace(/[\u0080-\u009f\u2028\u2029\ufeff]/g, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

/**
 * Trailing whitespace with a space or tab in it (`"x\n  \n"`, `"  \n"`): a
 * literal block would hold it in a line of spaces only, which every reader
 * drops. The reference writes such a block anyway; this writer double-quotes
 * the string (the second deliberate difference).
 */
const LOST_IN_BLOCK = /[ \t][\n\t ]*$/;

/** The literal block for a multi-line string, or its double-quoted form where a block cannot hold it. */
function blockString(original: string, indent: string): string {
  let value = original;
  if (/\n[\t ]+$/.test(value) || LOST_IN_BLOCK.test(value)) return doubleQuoted(value, false);
  // determine chomping from the whitespace at the end
  let endStart: number;
  for (endStart = value.length; endStart > 0; --endStart) {
    const ch = value[endStart - 1];
    if (ch !== "\n" && ch !== "\t" && ch !== " ") break;
  }
  let end = value.substring(endStart);
  const endNlPos = end.indexOf("\n");
  let chomp: string;
  if (endNlPos === -1) chomp = "-";
  else if (value === end || endNlPos !== end.length - 1) chomp = "+";
  else chomp = "";
  if (end) {
    value = value.slice(0, -end.length);
    if (end[end.length - 1] === "\n") end = end.slice(0, -1);
    end = end.replace(/(^|(?<!\n))\n+(?!\n|$)/g, `$&${indent}`);
  }
  // an indentation indicator where the first line starts with a space
  let startWithSpace = false;
  let startEnd: number;
  let startNlPos = -1;
  for (startEnd = 0; startEnd < value.length; ++startEnd) {
    const ch = value[startEnd];
    if (ch === " ") startWithSpace = true;
    else if (ch === "\n") startNlPos = startEnd;
    else break;
  }
  let start = value.substring(0, startNlPos < startEnd ? startNlPos + 1 : startEnd);
  if (start) {
    value = value.substring(start.length);
    start = start.replace(/\n+/g, `$&${indent}`);
  }
  const header = (startWithSpace ? (indent ? "2" : "1") : "") + chomp;
  value = value.replace(/\n+/g, `$&${indent}`);
  return `|${header}\n${indent}${start}${value}${end}`;
}

/** A string scalar as a key (`implicitKey`) or a value, at `indent` (the indentation of its key's children). */
function stringScalar(value: string, indent: string, implicitKey: boolean): string {
  if (FORCE_DOUBLE.test(value) || UNSAFE_RAW.test(value)) return doubleQuoted(value, implicitKey);
  if (implicitKey && value.includes("\n")) return doubleQuoted(value, implicitKey);
  if (NOT_PLAIN.test(value))
    return implicitKey || !value.includes("\n") ? doubleQuoted(value, implicitKey) : blockString(value, indent);
  if (!implicitKey && value.includes("\n")) return blockString(value, indent);
  if (implicitKey && indent === INDENT_STEP && DOCUMENT_MARKER.test(value)) return doubleQuoted(value, implicitKey);
  return isSpecial(value) ? doubleQuoted(value, implicitKey) : value;
}

function numberText(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? ".nan" : value < 0 ? "-.inf" : ".inf";
  return Object.is(value, -0) ? "-0" : JSON.stringify(value);
}

/** Keys written at the top level and deeper differ only for document markers; both are memoised. */
const keyMemo = [new Map<string, string>(), new Map<string, string>()];

function keyText(key: string, indent: string): string {
  const memo = keyMemo[indent === INDENT_STEP ? 0 : 1];
  let text = memo.get(key);
  if (text === undefined) {
    text = stringScalar(key, indent, true);
    if (text.length > 1024) text = `? ${text}\n${indent.slice(2)}:`;
    if (memo.size > 100_000) memo.clear();
    memo.set(key, text);
  }
  return text;
}

/** The written text of short one-line string values, by value (valueText). */
const valueMemo = new Map<string, string>();
/** The longest value valueText keeps: longer ones are rarer, and cost more to hash and to keep. */
const MEMO_VALUE_LENGTH = 200;

/**
 * A string value's text at `indent`, kept for short one-line values (the same names, labels and images recur in every
 * object and target): their text does not depend on the indentation, which only a multi-line block string takes.
 */
function valueText(value: string, indent: string): string {
  if (value.length > MEMO_VALUE_LENGTH || value.includes("\n")) return stringScalar(value, indent, false);
  let text = valueMemo.get(value);
  if (text === undefined) {
    text = stringScalar(value, indent, false);
    if (valueMemo.size > 100_000) valueMemo.clear();
    valueMemo.set(value, text);
  }
  return text;
}

function scalarText(value: unknown, indent: string): string {
  switch (typeof value) {
    case "string":
      return valueText(value, indent);
    case "number":
      return numberText(value);
    case "boolean":
      return value ? "true" : "false";
    default:
      if (value === null) return "null";
      throw new Error(`cannot write ${typeof value} as YAML`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function sortedKeys(obj: Record<string, unknown>): string[] {
  const keys = Object.keys(obj);
  let out = keys;
  for (let i = 0; i < keys.length; i++) {
    if (obj[keys[i]] === undefined) {
      out = keys.filter((k) => obj[k] !== undefined);
      break;
    }
  }
  return out.sort(compareKeys);
}

/** A block map whose lines start at `indent` (the first line without it). */
function mapBlock(obj: Record<string, unknown>, keys: string[], indent: string): string {
  const child = indent + INDENT_STEP;
  let out = "";
  for (let i = 0; i < keys.length; i++) {
    if (i > 0) out += "\n" + indent;
    const value = obj[keys[i]];
    out += keyText(keys[i], child) + ":";
    if (typeof value === "object" && value !== null) {
      if (Array.isArray(value)) out += value.length === 0 ? " []" : "\n" + child + seqBlock(value, child);
      else {
        const inner = sortedKeys(value as Record<string, unknown>);
        out += inner.length === 0 ? " {}" : "\n" + child + mapBlock(value as Record<string, unknown>, inner, child);
      }
    } else out += " " + scalarText(value, child);
  }
  return out;
}

/** A block sequence whose lines start at `indent` (the first line without it). */
function seqBlock(items: unknown[], indent: string): string {
  const child = indent + INDENT_STEP;
  let out = "";
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out += "\n" + indent;
    const item = items[i];
    if (item === undefined) throw new Error("cannot write undefined inside a YAML sequence");
    if (typeof item === "object" && item !== null) {
      if (Array.isArray(item)) out += item.length === 0 ? "- []" : "- " + seqBlock(item, child);
      else {
        const inner = sortedKeys(item as Record<string, unknown>);
        out += inner.length === 0 ? "- {}" : "- " + mapBlock(item as Record<string, unknown>, inner, child);
      }
    } else out += "- " + scalarText(item, child);
  }
  return out;
}

/** True when `s` can be written as a plain (unquoted) value and read back as the same string by YAML 1.1 and 1.2. */
export function isPlainSafe(s: string): boolean {
  return stringScalar(s, INDENT_STEP, false) === s;
}

/** A double-quoted scalar. */
export function quote(s: string): string {
  return doubleQuoted(s, false);
}

/**
 * `text`, stored as one flat string. A document built with `+=` is a rope of thousands of pieces, which V8 flattens
 * only when something reads it whole; until then every piece stays on the heap, and everything after slows (a cold
 * seed compile rendered 60% slower while nothing read the ropes before emit). Converting a string to a number
 * flattens it in place, and for a YAML document the parse stops at its first character.
 */
function flattened(text: string): string {
  void Number(text);
  return text;
}

/** Serialises one document (a map, list or scalar) to YAML text ending in a newline. */
export function toYaml(value: unknown): string {
  if (Array.isArray(value)) return flattened((value.length === 0 ? "[]" : seqBlock(value, "")) + "\n");
  if (isObject(value)) {
    const keys = sortedKeys(value);
    return flattened((keys.length === 0 ? "{}" : mapBlock(value, keys, "")) + "\n");
  }
  if (typeof value === "string" && value.includes("\n")) return doubleQuoted(value, false) + "\n";
  return scalarText(value, "") + "\n";
}
