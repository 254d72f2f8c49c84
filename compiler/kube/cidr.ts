/** IPv4 CIDR ranges as NetworkPolicy `ipBlock`s and Istio `ipBlocks` read them. */

/** A parsed IPv4 range: its first address and prefix length, or undefined for anything else (IPv6 included). */
export interface Range {
  base: number;
  bits: number;
}

/** Parses `a.b.c.d/n` (or a bare address, as /32); undefined when it is not an IPv4 range. */
export function parseCidr(cidr: string): Range | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(cidr.trim());
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const bits = m[5] === undefined ? 32 : Number(m[5]);
  if (octets.some((o) => o > 255) || bits > 32) return undefined;
  const address = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  return { base: (address & mask(bits)) >>> 0, bits };
}

function mask(bits: number): number {
  return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
}

/** Whether range `inner` lies wholly inside `outer`. */
export function contains(outer: Range, inner: Range): boolean {
  return inner.bits >= outer.bits && (inner.base & mask(outer.bits)) >>> 0 === outer.base;
}

/** Whether two ranges share at least one address. */
export function overlaps(a: Range, b: Range): boolean {
  return contains(a, b) || contains(b, a);
}

/**
 * Whether every address of `source` is admitted by a block `cidr` with its `except` ranges: inside the block, and
 * overlapping none of the exceptions. A range that is not IPv4 admits nothing.
 */
export function blockAdmits(cidr: string, except: string[], source: string): boolean {
  const block = parseCidr(cidr);
  const s = parseCidr(source);
  if (!block || !s || !contains(block, s)) return false;
  return except.every((e) => {
    const r = parseCidr(e);
    return !r || !overlaps(r, s);
  });
}
