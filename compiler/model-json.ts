/**
 * The plain JSON of a kubernetes-models instance. Kept apart from json.ts: importing kubernetes-models loads its
 * validation runtime (ajv formats and their parsers), which load and resolve, reading plain descriptions, never need.
 */
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { jsonCopy } from "./json.ts";

/** kubernetes-models' `Model.prototype.toJSON`: a copy of the own fields, which `jsonCopy` makes anyway. */
const MODEL_TO_JSON = (new ConfigMap({}) as unknown as { toJSON: unknown }).toJSON;

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
  return jsonCopy(model, MODEL_TO_JSON);
}
