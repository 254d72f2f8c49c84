/** JSON pointers (RFC 6901) into Kubernetes objects. */

/** Escapes one key for a JSON pointer: `~` becomes `~0`, `/` becomes `~1`. */
export function escapeKey(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** A JSON pointer from keys, each escaped. */
export function pointer(keys: (string | number)[]): string {
  return keys.map((k) => "/" + escapeKey(String(k))).join("");
}
