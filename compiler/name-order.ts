/**
 * The order of names in rendered output, the same on every machine. `String.prototype.localeCompare` sorts by the
 * locale of the process (LANG, LC_ALL): under Danish `aa` sorts after `z`, under Turkish `ı` before `I`, so the same
 * descriptions would render differently on two laptops. This is English (CLDR root) collation, fixed.
 */
const COLLATOR = new Intl.Collator("en");

/** Compares two names as English collation orders them, whatever the machine's locale. */
export function compareNames(a: string, b: string): number {
  return COLLATOR.compare(a, b);
}
