/**
 * A rendered object, or a value inside one, read back as plain JSON (parsed YAML, a compile result's objects, a
 * findings report). Tests walk it freely (`o.spec.template.spec.containers[0]`) and pin what they find with exact
 * assertions (`toEqual`), which is the type check here: a wrong path fails the test, not the compiler.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed JSON the assertions check field by field
export type Parsed = any;
