/**
 * The order of names in rendered output, the same on every machine. `String.prototype.localeCompare` sorts by the
 * locale of the process (LANG, LC_ALL): under Danish `aa` sorts after `z`, under Turkish `ı` before `I`, so the same
 * descriptions would render differently on two laptops. This is English (CLDR root) collation, fixed.
 */

let collator: Intl.Collator | undefined;

/**
 * Names of lower-case letters, digits and hyphens, the most common kind: for them English collation is code-unit
 * order (hyphen before digits before letters, a prefix first), so they are compared without loading ICU's collation
 * data, which takes about 10 ms (test/name-order.test.ts checks the two orders agree).
 */
const SIMPLE = /^[a-z0-9-]*$/;

/** Compares two names as English collation orders them, whatever the machine's locale. */
export function compareNames(a: string, b: string): number {
  if (SIMPLE.test(a) && SIMPLE.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  collator ??= new Intl.Collator("en");
  return collator.compare(a, b);
}
