/**
 * Reads the description language from its TypeScript sources with the compiler API: every function
 * `compiler/index.ts` exports that returns a component, a description or a reference, its doc comment, and
 * the fields of its input with their types, optionality and doc comments; then every named object type those
 * fields reach. It walks the entry point's exports, so it does not care which file declares a type.
 */
import ts from "typescript";
import { compareNames } from "../name-order.ts";

export interface FieldDoc {
  name: string;
  type: string;
  optional: boolean;
  doc: string;
  /** The `@default` tag, when the doc comment has one. */
  default?: string;
}

export interface FunctionDoc {
  name: string;
  /** `block` (returns a component or a description) or `reference` (returns a `…Ref` value). */
  kind: "block" | "reference";
  signature: string;
  doc: string;
  returns: string;
  /** The fields of the first parameter, when it is an object. */
  fields: FieldDoc[];
}

export interface TypeDoc {
  name: string;
  doc: string;
  fields: FieldDoc[];
}

export interface LanguageDoc {
  functions: FunctionDoc[];
  types: TypeDoc[];
}

const FORMAT = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope;

/** One line of text from a symbol's doc comment (paragraphs joined, whitespace folded). */
function docOf(symbol: ts.Symbol, checker: ts.TypeChecker): string {
  return ts.displayPartsToString(symbol.getDocumentationComment(checker)).replace(/\s+/g, " ").trim();
}

/** The names of the named object types (interfaces and aliases of object types) inside a type. */
function namedTypes(type: ts.Type, checker: ts.TypeChecker, out: Map<string, ts.Type>, depth = 0): void {
  if (depth > 4) return;
  if (type.isUnion() || type.isIntersection()) {
    for (const t of type.types) namedTypes(t, checker, out, depth + 1);
    return;
  }
  const symbol = type.aliasSymbol ?? type.getSymbol();
  if (checker.isArrayType(type) || checker.isTupleType(type)) {
    for (const t of checker.getTypeArguments(type as ts.TypeReference)) namedTypes(t, checker, out, depth + 1);
    return;
  }
  if (!(type.flags & ts.TypeFlags.Object)) return;
  const index = type.getStringIndexType();
  if (index) namedTypes(index, checker, out, depth + 1);
  const name = symbol?.getName();
  const declaration = symbol?.declarations?.[0];
  const own = declaration && !declaration.getSourceFile().fileName.includes("/node_modules/");
  if (name && own && /^[A-Z]/.test(name) && !out.has(name) && checker.getPropertiesOfType(type).length) {
    out.set(name, type);
    for (const p of checker.getPropertiesOfType(type))
      namedTypes(checker.getNonNullableType(checker.getTypeOfSymbol(p)), checker, out, depth + 1);
  }
}

/** The fields of an object type, in declaration order. */
function fieldsOf(type: ts.Type, checker: ts.TypeChecker): FieldDoc[] {
  return checker.getPropertiesOfType(type).map((p) => {
    const optional = (p.flags & ts.SymbolFlags.Optional) !== 0;
    const t = checker.getTypeOfSymbol(p);
    const tag = p.getJsDocTags(checker).find((x) => x.name === "default");
    return {
      name: p.getName(),
      type: checker.typeToString(optional ? checker.getNonNullableType(t) : t, undefined, FORMAT),
      optional,
      doc: docOf(p, checker),
      ...(tag ? { default: ts.displayPartsToString(tag.text).trim() } : {}),
    };
  });
}

/** The language exported by `entry` (the path of `compiler/index.ts`). */
export function readLanguage(entry: string): LanguageDoc {
  const program = ts.createProgram([entry], {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  const module = source && checker.getSymbolAtLocation(source);
  if (!module) throw new Error(`cannot read the exports of ${entry}`);
  const functions: FunctionDoc[] = [];
  const reached = new Map<string, ts.Type>();
  for (const exported of checker.getExportsOfModule(module)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    if (!(symbol.flags & ts.SymbolFlags.Function)) continue;
    const [signature] = checker.getSignaturesOfType(checker.getTypeOfSymbol(symbol), ts.SignatureKind.Call);
    if (!signature) continue;
    const returns = checker.typeToString(signature.getReturnType(), undefined, FORMAT);
    const kind = /(Component|Description)$/.test(returns) ? "block" : /Ref$/.test(returns) ? "reference" : undefined;
    if (!kind) continue;
    const [first] = signature.getParameters();
    const input = first && checker.getTypeOfSymbol(first);
    const fields = kind === "block" && input ? fieldsOf(input, checker) : [];
    if (kind === "block" && input)
      for (const p of checker.getPropertiesOfType(input))
        namedTypes(checker.getNonNullableType(checker.getTypeOfSymbol(p)), checker, reached);
    namedTypes(signature.getReturnType(), checker, reached);
    functions.push({
      name: exported.getName(),
      kind,
      signature: `${exported.getName()}${checker.signatureToString(signature, undefined, FORMAT)}`,
      doc: docOf(symbol, checker),
      returns,
      fields,
    });
  }
  const types = [...reached]
    .map(([name, type]) => ({
      name,
      doc: docOf((type.aliasSymbol ?? type.getSymbol())!, checker),
      fields: fieldsOf(type, checker),
    }))
    .sort((a, b) => compareNames(a.name, b.name));
  functions.sort((a, b) => (a.kind === b.kind ? compareNames(a.name, b.name) : a.kind === "block" ? -1 : 1));
  return { functions, types };
}
