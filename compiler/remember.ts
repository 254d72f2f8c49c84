/**
 * Results kept by what they were computed from, for the checks that see the same few values over and over (the same
 * strings, keys and expressions in every object of every target). At most `limit` are kept: past that the kept ones
 * are dropped and kept afresh, so a long-running process does not grow without end.
 */

/**
 * `compute`, with each result kept under `keyOf` of its arguments (one or two: fixed, so that a call on a hot path
 * allocates no argument list). `compute` must depend on nothing but its arguments, and callers must not change what
 * it returns.
 */
export function remembered<A, V, B = undefined>(
  compute: (a: A, b: B) => V,
  keyOf: (a: A, b: B) => string,
  limit: number,
): (a: A, b?: B) => V {
  const kept = new Map<string, V>();
  return (a, b) => {
    const key = keyOf(a, b as B);
    if (kept.has(key)) return kept.get(key) as V;
    const value = compute(a, b as B);
    if (kept.size >= limit) kept.clear();
    kept.set(key, value);
    return value;
  };
}

/** The key of a one-string argument list: the string itself. */
export const itself = (s: string): string => s;

/**
 * `compute(value, key)`, kept under the pair: by `key`, then by `value`, so that no joined key string is built per
 * call (a value may be long: a whole dashboard). Same rules as `remembered`.
 */
export function rememberedPair<K, V>(
  compute: (value: string, key: K) => V,
  limit: number,
): (value: string, key: K) => V {
  const kept = new Map<K, Map<string, V>>();
  let size = 0;
  return (value, key) => {
    let byValue = kept.get(key);
    if (byValue?.has(value)) return byValue.get(value) as V;
    const result = compute(value, key);
    if (size >= limit) {
      kept.clear();
      size = 0;
      byValue = undefined;
    }
    if (!byValue) kept.set(key, (byValue = new Map()));
    byValue.set(value, result);
    size++;
    return result;
  };
}
