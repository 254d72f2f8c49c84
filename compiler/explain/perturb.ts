/**
 * Description leaves and how to change one: the probe the trace uses to find
 * which description values a rendered field depends on. A leaf is a scalar,
 * a list or a reference (`secretRef`, `url`...); objects are walked into.
 */

const REFERENCE_KINDS = new Set(["secret", "url", "config", "ingress-url"]);

/** A leaf of a description value: its key path and value. */
export interface Leaf {
  path: (string | number)[];
  value: unknown;
}

/** True for plain objects the layering merges into (not lists, not references). */
export function isWalkable(v: unknown): v is Record<string, unknown> {
  return (
    typeof v === "object" &&
    v !== null &&
    !Array.isArray(v) &&
    !REFERENCE_KINDS.has(String((v as { kind?: unknown }).kind ?? ""))
  );
}

/** Every leaf under `value`, skipping the paths `skip` rejects. */
export function leaves(
  value: unknown,
  skip: (path: (string | number)[]) => boolean,
  path: (string | number)[] = [],
): Leaf[] {
  if (skip(path)) return [];
  if (isWalkable(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) return [{ path, value }];
    return keys.flatMap((k) => leaves(value[k], skip, [...path, k]));
  }
  return value === undefined ? [] : [{ path, value }];
}

const QUANTITY = /^(\d+(?:\.\d+)?)([A-Za-z]*)$/;

/**
 * Different values of the same kind to try, in order, or none worth trying. `siblings` are other values the
 * descriptions give a field of the same name (the enum-like strings, such as a VPA `mode`, need a valid one).
 */
export function perturbations(value: unknown, siblings: readonly unknown[] = []): unknown[] {
  const others = siblings.filter((s) => typeof s === typeof value && s !== value).slice(0, 2);
  if (typeof value === "number") return [Number.isInteger(value) ? value + 1 : value * 2 + 1, value + 7919];
  if (typeof value === "boolean") return [!value];
  if (typeof value === "string") {
    const q = QUANTITY.exec(value);
    return [q ? `${Number(q[1]) + 1}${q[2]}` : `${value}x`, ...others];
  }
  if (Array.isArray(value)) return value.length ? [value.slice(0, -1)] : [];
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value);
    if (entries.length === 0) return [{ explain: "x" }];
    let at = -1;
    entries.forEach(([k, v], i) => {
      if (k !== "kind" && typeof v === "string") at = i;
    });
    if (at < 0) return [];
    return [Object.fromEntries(entries.map(([k, v], i) => [k, i === at ? `${String(v)}x` : v]))];
  }
  return [];
}

/** Reads the value at `path` (undefined when absent). */
export function getAt(root: unknown, path: readonly (string | number)[]): unknown {
  let v = root;
  for (const key of path) {
    if (typeof v !== "object" || v === null) return undefined;
    v = (v as Record<string, unknown>)[String(key)];
  }
  return v;
}

/** Sets the value at `path`, which must exist up to its last key. */
export function setAt(root: unknown, path: readonly (string | number)[], value: unknown): void {
  const parent = getAt(root, path.slice(0, -1)) as Record<string, unknown>;
  parent[String(path[path.length - 1])] = value;
}
