/** "Did you mean …" hints for names and quantities a user mistyped. */

/** The edit distance between two strings (insertions, deletions, substitutions, swapped neighbours; any case). */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const d = Array.from({ length: x.length + 1 }, (_, i) =>
    Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= x.length; i++)
    for (let j = 1; j <= y.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[x.length][y.length];
}

/**
 * The candidate `word` most likely meant: the closest by edit distance when that is close enough to be a typo,
 * else the only candidate that contains `word` (or is contained in it); undefined when there is none.
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const all = [...candidates];
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of all) {
    const d = distance(word, c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  if (best !== undefined && bestDistance <= Math.max(1, Math.floor(Math.max(word.length, best.length) / 3)))
    return best;
  const lower = word.toLowerCase();
  if (lower.length < 3) return undefined;
  const containing = all.filter((c) => c.toLowerCase().includes(lower) || lower.includes(c.toLowerCase()));
  return containing.length === 1 ? containing[0] : undefined;
}

/** ` (did you mean "x"?)` for the closest candidate, or an empty string. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const best = closest(word, candidates);
  return best === undefined ? "" : ` (did you mean "${best}"?)`;
}

const UNIT = /^([+-]?\d+(?:\.\d+)?)\s*([kKmMgGtTpPeE])(i?)([bB]?)$/;

/**
 * The Kubernetes quantity a byte size written the everyday way most likely means (`512mb` → `512Mi`,
 * `2GB` → `2Gi`, `1k` stays undefined as it is already valid), or undefined.
 */
export function quantityHint(text: string): string | undefined {
  const m = UNIT.exec(text.trim());
  if (!m) return undefined;
  const [, number, unit, binary, bytes] = m;
  if (!binary && !bytes) return undefined;
  return `${number}${unit.toUpperCase() === "K" ? "K" : unit.toUpperCase()}i`;
}
