/**
 * The order of names in rendered output, the same on every machine. `String.prototype.localeCompare` sorts by the
 * locale of the process (LANG, LC_ALL): under Danish `aa` sorts after `z`, under Turkish `ı` before `I`, so the same
 * descriptions would render differently on two laptops. This is English (CLDR root) collation, fixed.
 */

let collator: Intl.Collator | undefined;

/**
 * Names of ASCII letters, digits, hyphens and underscores, the kinds Kubernetes names and environment variables take:
 * they are compared without loading ICU's collation data (about 10 ms per thread). English collation orders them by
 * each character's rank first (underscore, hyphen, digits, then letters whatever their case), a prefix first; names
 * that differ only in case, by their first letter whose case differs, lower case first (`rank`, `compareAscii`;
 * test/name-order.test.ts checks both orders agree on random names).
 */
const ASCII_NAME = /^[A-Za-z0-9_-]*$/;

/** A character's primary weight in English collation, for the characters of ASCII_NAME. */
function rank(code: number): number {
  if (code === 95) return 0; // _
  if (code === 45) return 1; // -
  if (code <= 57) return code - 46; // 0-9: 2 to 11
  return (code | 32) - 85; // a-z and A-Z: 12 to 37
}

/** English collation of two ASCII_NAME names. */
function compareAscii(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = rank(a.charCodeAt(i)) - rank(b.charCodeAt(i));
    if (d !== 0) return d;
  }
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return x > y ? -1 : 1; // the lower-case letter (the greater code) first
  }
  return 0;
}

/** Compares two names as English collation orders them, whatever the machine's locale. */
export function compareNames(a: string, b: string): number {
  if (ASCII_NAME.test(a) && ASCII_NAME.test(b)) return compareAscii(a, b);
  collator ??= new Intl.Collator("en");
  return collator.compare(a, b);
}
