/** Copying plain JSON data fast, with exactly JSON's semantics. */
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";

/** kubernetes-models' `Model.prototype.toJSON`: a copy of the own fields, which `jsonCopy` makes anyway. */
const MODEL_TO_JSON = (new ConfigMap({}) as unknown as { toJSON: unknown }).toJSON;

function isDropped(v: unknown): boolean {
  return v === undefined || typeof v === "function" || typeof v === "symbol";
}

/**
 * A fresh plain-JSON copy of `v`, exactly what `JSON.parse(JSON.stringify(v))`
 * gives for the data building blocks make (undefined fields dropped,
 * undefined list items and non-finite numbers become null, `toJSON` honoured),
 * in one pass instead of a print and a parse.
 */
export function jsonCopy(v: unknown): unknown {
  if (typeof v !== "object" || v === null) return typeof v === "number" && !Number.isFinite(v) ? null : v;
  const toJSON = (v as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function" && toJSON !== MODEL_TO_JSON) return jsonCopy(toJSON.call(v, ""));
  if (Array.isArray(v)) {
    const out = new Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = isDropped(v[i]) ? null : jsonCopy(v[i]);
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(v)) {
    const x = (v as Record<string, unknown>)[key];
    if (!isDropped(x)) out[key] = jsonCopy(x);
  }
  return out;
}

/**
 * True when `v` holds only plain objects, arrays without holes or undefined items, strings, finite numbers, booleans
 * and null.
 */
function isPlainData(v: unknown): boolean {
  if (typeof v !== "object" || v === null)
    return (
      typeof v === "string" || typeof v === "boolean" || v === null || (typeof v === "number" && Number.isFinite(v))
    );
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (v[i] === undefined || !isPlainData(v[i])) return false;
    return true;
  }
  if (Object.getPrototypeOf(v) !== Object.prototype) return false;
  for (const key of Object.keys(v)) {
    const x = (v as Record<string, unknown>)[key];
    if (x !== undefined && !isPlainData(x)) return false;
    if (x === undefined) return false;
  }
  return true;
}

/**
 * The plain JSON of a kubernetes-models instance. Its constructor already
 * copied the data it was given (dropping undefined fields), so when every
 * field holds plain data the instance's own fields are taken as they are,
 * with no second copy; anything else goes through `jsonCopy`.
 */
export function modelJson(model: unknown): unknown {
  if (typeof model === "object" && model !== null && (model as { toJSON?: unknown }).toJSON === MODEL_TO_JSON) {
    const own: Record<string, unknown> = { ...(model as Record<string, unknown>) };
    let plain = true;
    for (const key of Object.keys(own)) {
      if (own[key] === undefined || !isPlainData(own[key])) {
        plain = false;
        break;
      }
    }
    if (plain) return own;
  }
  return jsonCopy(model);
}
