/**
 * A line diff (Myers' O(ND) algorithm) and unified hunks with context, used
 * to show each changed object as a YAML diff of only what changed.
 */

export interface LineEdit {
  op: " " | "-" | "+";
  line: string;
}

/** Above this many differing lines the diff is shown as a plain replacement (bounded time and memory). */
const MAX_WORK = 4000;

/** The edits that turn `a` into `b`, shortest first (Myers). */
export function diffLines(a: string[], b: string[]): LineEdit[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const head: LineEdit[] = a.slice(0, start).map((line) => ({ op: " ", line }));
  const tail: LineEdit[] = a.slice(endA).map((line) => ({ op: " ", line }));
  const x = a.slice(start, endA);
  const y = b.slice(start, endB);
  let middle: LineEdit[];
  if (x.length + y.length > MAX_WORK)
    middle = [...x.map((line) => ({ op: "-" as const, line })), ...y.map((line) => ({ op: "+" as const, line }))];
  else middle = myers(x, y);
  return [...head, ...middle, ...tail];
}

function myers(a: string[], b: string[]): LineEdit[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let xi =
        k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let yi = xi - k;
      while (xi < n && yi < m && a[xi] === b[yi]) {
        xi++;
        yi++;
      }
      v[offset + k] = xi;
      if (xi >= n && yi >= m) {
        found = true;
        break;
      }
    }
  }
  const edits: LineEdit[] = [];
  let xi = n;
  let yi = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d];
    const k = xi - yi;
    const prevK = k === -d || (k !== d && vd[offset + k - 1] < vd[offset + k + 1]) ? k + 1 : k - 1;
    const prevX = vd[offset + prevK];
    const prevY = prevX - prevK;
    while (xi > prevX && yi > prevY) {
      edits.push({ op: " ", line: a[--xi] });
      yi--;
    }
    if (d > 0) {
      if (xi === prevX) edits.push({ op: "+", line: b[--yi] });
      else edits.push({ op: "-", line: a[--xi] });
    }
  }
  return edits.reverse();
}

/**
 * A unified diff of `before` and `after` (texts), with `context` lines around each change; empty when they are equal.
 */
export function unifiedDiff(before: string, after: string, context = 3): string {
  const a = before === "" ? [] : before.replace(/\n$/, "").split("\n");
  const b = after === "" ? [] : after.replace(/\n$/, "").split("\n");
  const edits = diffLines(a, b);
  const changed = edits.map((e, i) => (e.op !== " " ? i : -1)).filter((i) => i >= 0);
  if (changed.length === 0) return "";
  const hunks: [number, number][] = [];
  for (const i of changed) {
    const from = Math.max(0, i - context);
    const to = Math.min(edits.length, i + context + 1);
    const last = hunks[hunks.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else hunks.push([from, to]);
  }
  const out: string[] = [];
  for (const [from, to] of hunks) {
    let lineA = 1;
    let lineB = 1;
    for (let i = 0; i < from; i++) {
      if (edits[i].op !== "+") lineA++;
      if (edits[i].op !== "-") lineB++;
    }
    const slice = edits.slice(from, to);
    const countA = slice.filter((e) => e.op !== "+").length;
    const countB = slice.filter((e) => e.op !== "-").length;
    out.push(`@@ -${countA ? lineA : lineA - 1},${countA} +${countB ? lineB : lineB - 1},${countB} @@`);
    for (const e of slice) out.push(`${e.op}${e.line}`);
  }
  return out.join("\n") + "\n";
}
