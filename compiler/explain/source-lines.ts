/**
 * Where a property is written in a description file: the TypeScript parser
 * (loaded on demand, only when explaining) walks from `export default` through
 * object literals, building-block calls (`service({...})`), spreads and
 * constants of the same file to the property a dotted description path names.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type * as TS from "typescript";
import { ManifoldError } from "../errors.ts";

type Ts = typeof TS;

/** Where a description path is written. */
export interface SourceLocation {
  /** 1-based line of the deepest property found. */
  line: number;
  /** True when every key of the path was found; false when only a prefix was (the rest comes from a default). */
  exact: boolean;
  /** How many keys of the path were found. */
  depth: number;
  /** The building-block call that holds the deepest object found (`service`, `postgres`...), if any. */
  block?: string;
  /** The line of that call. */
  blockLine?: number;
}

/** Finds the line of a description path in one file. */
export type SourceIndex = (path: readonly (string | number)[]) => SourceLocation;

let typescript: Ts | undefined;

/** Loads the `typescript` package (a development dependency) once; a clear error when it is missing. */
export async function loadTypescript(): Promise<Ts> {
  if (typescript) return typescript;
  try {
    const mod = (await import("typescript")) as Ts & { default?: Ts };
    typescript = mod.default ?? mod;
    return typescript;
  } catch {
    throw new ManifoldError("explain needs the typescript package to find description lines; run npm ci", {
      field: "typescript",
    });
  }
}

interface Found {
  node: TS.Node;
  value: TS.Expression | undefined;
}

/** Builds the index of one description file (relative to `root`). */
export function indexSource(ts: Ts, root: string, file: string): SourceIndex {
  const text = readFileSync(join(root, file), "utf8");
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const lineOf = (node: TS.Node) => sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
  const constants = new Map<string, TS.Expression>();
  let exported: TS.Expression | undefined;
  const visit = (node: TS.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer)
      constants.set(node.name.text, node.initializer);
    if (ts.isExportAssignment(node)) exported = node.expression;
    ts.forEachChild(node, visit);
  };
  visit(sf);

  /** Unwraps an expression to the object or array literal it stands for, noting the building-block call on the way. */
  const unwrap = (
    expr: TS.Expression | undefined,
    seen = 0,
  ): { literal?: TS.ObjectLiteralExpression | TS.ArrayLiteralExpression; call?: TS.CallExpression } => {
    let call: TS.CallExpression | undefined;
    for (let e = expr, guard = seen; e && guard < 50; guard++) {
      if (ts.isObjectLiteralExpression(e) || ts.isArrayLiteralExpression(e)) return { literal: e, call };
      if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
      else if (ts.isCallExpression(e)) {
        call ??= e;
        e = e.arguments[0];
      } else if (ts.isIdentifier(e) && constants.has(e.text)) e = constants.get(e.text);
      else return { call };
    }
    return { call };
  };

  const nameOf = (name: TS.PropertyName): string | undefined => {
    if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
    if (ts.isComputedPropertyName(name) && ts.isStringLiteralLike(name.expression)) return name.expression.text;
    return undefined;
  };

  /** The property `key` of a literal (later properties win; spreads are searched too). */
  const property = (
    literal: TS.ObjectLiteralExpression | TS.ArrayLiteralExpression,
    key: string,
  ): Found | undefined => {
    if (ts.isArrayLiteralExpression(literal)) {
      const element = /^\d+$/.test(key) ? literal.elements[Number(key)] : undefined;
      return element && !ts.isSpreadElement(element) ? { node: element, value: element } : undefined;
    }
    for (const p of [...literal.properties].reverse()) {
      if (ts.isPropertyAssignment(p) && nameOf(p.name) === key) return { node: p, value: p.initializer };
      if (ts.isShorthandPropertyAssignment(p) && p.name.text === key) return { node: p, value: p.name };
      if (ts.isSpreadAssignment(p)) {
        const inner = unwrap(p.expression).literal;
        const found = inner && property(inner, key);
        if (found) return found;
      }
    }
    return undefined;
  };

  return (path) => {
    const top = unwrap(exported);
    let literal = top.literal;
    let call = top.call;
    let deepest: TS.Node | undefined = exported;
    let depth = 0;
    for (const key of path) {
      const found = literal && property(literal, String(key));
      if (!found) break;
      depth++;
      deepest = found.node;
      const next = unwrap(found.value);
      literal = next.literal;
      if (next.call) call = next.call;
    }
    const callee = call && ts.isIdentifier(call.expression) ? call.expression.text : undefined;
    return {
      line: deepest ? lineOf(deepest) : 1,
      exact: depth === path.length,
      depth,
      ...(callee && call ? { block: callee, blockLine: lineOf(call) } : {}),
    };
  };
}

/** Indexes of description files, parsed once each. */
export class SourceIndexes {
  private readonly indexes = new Map<string, SourceIndex>();
  constructor(
    private readonly ts: Ts,
    private readonly root: string,
  ) {}

  /** Where `path` is written in `file`. */
  locate(file: string, path: readonly (string | number)[]): SourceLocation {
    let index = this.indexes.get(file);
    if (!index) this.indexes.set(file, (index = indexSource(this.ts, this.root, file)));
    return index(path);
  }
}
