/** Copying plain JSON data fast, with exactly JSON's semantics. */

function isDropped(v: unknown): boolean {
  return v === undefined || typeof v === "function" || typeof v === "symbol";
}

/**
 * A fresh plain-JSON copy of `v`, exactly what `JSON.parse(JSON.stringify(v))`
 * gives for the data building blocks make (undefined fields dropped,
 * undefined list items and non-finite numbers become null, `toJSON` honoured),
 * in one pass instead of a print and a parse. `copiesOwnFields` is a `toJSON`
 * known to return a copy of its object's own fields (kubernetes-models'
 * Model's, model-json.ts): it is not called, since the copy is made anyway.
 */
export function jsonCopy(v: unknown, copiesOwnFields?: unknown): unknown {
  if (typeof v !== "object" || v === null) return typeof v === "number" && !Number.isFinite(v) ? null : v;
  const toJSON = (v as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function" && toJSON !== copiesOwnFields) return jsonCopy(toJSON.call(v, ""), copiesOwnFields);
  if (Array.isArray(v)) {
    // pushed, not set by index into new Array(length), so that V8 keeps the array packed
    const out: unknown[] = [];
    for (let i = 0; i < v.length; i++) out.push(isDropped(v[i]) ? null : jsonCopy(v[i], copiesOwnFields));
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(v)) {
    const x = (v as Record<string, unknown>)[key];
    if (!isDropped(x)) out[key] = jsonCopy(x, copiesOwnFields);
  }
  return out;
}
