/**
 * The order of names in rendered output, the same on every machine. `String.prototype.localeCompare` sorts by the
 * locale of the process (LANG, LC_ALL): under Danish `aa` sorts after `z`, under Turkish `ı` before `I`, so the same
 * descriptions would render differently on two laptops. This is English (CLDR root) collation, fixed.
 */
let collator: Intl.Collator | undefined;

/** Compares two names as English collation orders them, whatever the machine's locale. */
export function compareNames(a: string, b: string): number {
  // made on first use: ICU's collation data takes about 10 ms to load, which a command that sorts nothing skips
  collator ??= new Intl.Collator("en");
  return collator.compare(a, b);
}
