/**
 * Descriptions are data: every value a description exports must be JSON data (plain objects, lists, strings, finite
 * numbers, booleans and null; a field set to undefined counts as left out). The compiler's caches and checks know
 * an object by its JSON (the target and run keys, the validation memo), and the cluster receives YAML: a value
 * JSON cannot keep (a Date, which JSON turns into a string, a Map, which it turns into `{}`, NaN, which it turns
 * into null, a function, which it drops) would be rendered one way and cached or checked as another.
 */
import { fieldPath, type Problem } from "./shape.ts";

/** What a value that is not JSON data is, and how to write it as data. */
function notData(value: unknown): { what: string; fix: string } | undefined {
  switch (typeof value) {
    case "string":
    case "boolean":
      return undefined;
    case "number":
      return Number.isFinite(value) ? undefined : { what: String(value), fix: "write a finite number" };
    case "bigint":
      return { what: "a bigint", fix: "write it as a number or a string" };
    case "function":
      return { what: "a function", fix: "call it and write the value it gives" };
    case "symbol":
      return { what: "a symbol", fix: "write a string" };
    case "undefined":
      return { what: "undefined", fix: "leave the item out" };
  }
  if (value === null || Array.isArray(value)) return undefined;
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto === Object.prototype || proto === null) return undefined;
  if (value instanceof Date) return { what: "a Date", fix: "write it as a string (date.toISOString())" };
  const name = (proto as { constructor?: { name?: unknown } }).constructor?.name;
  return {
    what: typeof name === "string" && name ? `a ${name}` : "an object that is not a plain object",
    fix: "write a plain object or list of its data",
  };
}

/**
 * What a field that JSON, the YAML writer and the checks would each read in their own way is: a getter or setter
 * (computed at each read, and a throwing one cannot be read at all) or a hidden (non-enumerable) field, which JSON
 * and the YAML writer leave out while a check reading the field by name sees it. The compiler copies descriptions as
 * JSON data and reads the copies as given (compile.ts), so such a field would be rendered one way and checked another.
 */
function hiddenOrComputed(field: PropertyDescriptor): { what: string; fix: string } | undefined {
  if (field.get || field.set) return { what: "a getter or setter", fix: "write the value as a plain field" };
  if (!field.enumerable)
    return { what: "a hidden (non-enumerable) field", fix: "write it as a plain field, or leave it out" };
  return undefined;
}

/**
 * Every place in `value` (a description's export, at `path`) that is not JSON data, with the dotted path of the
 * field (as the shape checks name it) and what to write instead; a value that contains itself is one problem too.
 */
export function jsonDataProblems(value: unknown, path = ""): Problem[] {
  const problems: Problem[] = [];
  const inside = new Set<object>();
  const visit = (v: unknown, at: string): void => {
    const bad = notData(v);
    if (bad) return void problems.push({ path: at, message: `${bad.what} is not JSON data: ${bad.fix}` });
    if (typeof v !== "object" || v === null) return;
    if (inside.has(v)) return void problems.push({ path: at, message: "contains itself: write the data, not a cycle" });
    inside.add(v);
    if (Array.isArray(v)) for (let i = 0; i < v.length; i++) visit(v[i], fieldPath(at, i));
    else
      for (const key of Object.getOwnPropertyNames(v)) {
        const field = Object.getOwnPropertyDescriptor(v, key)!;
        const bad = hiddenOrComputed(field);
        if (bad) problems.push({ path: fieldPath(at, key), message: `${bad.what} is not JSON data: ${bad.fix}` });
        // an object's field set to undefined is left out, as JSON and every reader here treat it
        else if (field.value !== undefined) visit(field.value, fieldPath(at, key));
      }
    inside.delete(v);
  };
  visit(value, path);
  return problems;
}
