/** JSON pointers (RFC 6901) into Kubernetes objects. */

/** Escapes one key for a JSON pointer: `~` becomes `~0`, `/` becomes `~1`. */
export function escapeKey(key: string): string {
  if (!key.includes("~") && !key.includes("/")) return key;
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** A JSON pointer from keys, each escaped. */
export function pointer(keys: (string | number)[]): string {
  return keys.map((k) => "/" + escapeKey(String(k))).join("");
}

/** The keys of a JSON pointer, unescaped (`/a~1b/0` → `["a/b", "0"]`). */
export function pointerKeys(path: string): string[] {
  if (path === "") return [];
  return path
    .slice(1)
    .split("/")
    .map((k) => k.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/**
 * The first key of `path` that `doc` does not have, with the pointer of its parent and the keys the parent
 * does have; the last key may be missing when `lastMayBeNew` (an `add`). Undefined when the path resolves.
 */
export function missingKey(
  doc: unknown,
  path: string,
  lastMayBeNew: boolean,
): { key: string; parent: string; present: string[] } | undefined {
  const keys = pointerKeys(path);
  let node: unknown = doc;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const last = i === keys.length - 1;
    if (Array.isArray(node)) {
      const ok =
        (key === "-" && lastMayBeNew && last) ||
        (/^\d+$/.test(key) && Number(key) < node.length + (last && lastMayBeNew ? 1 : 0));
      if (!ok) return { key, parent: pointer(keys.slice(0, i)), present: node.map((_, n) => String(n)) };
      node = node[Number(key)];
    } else if (node !== null && typeof node === "object") {
      if (!(key in node) && !(last && lastMayBeNew))
        return { key, parent: pointer(keys.slice(0, i)), present: Object.keys(node) };
      node = (node as Record<string, unknown>)[key];
    } else return { key, parent: pointer(keys.slice(0, i)), present: [] };
  }
  return undefined;
}
