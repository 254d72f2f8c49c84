/**
 * A small run-time type checker for descriptions. Each shape checks a value
 * and reports problems with the dotted path of the field, so a JavaScript user
 * or a bad cast still gets `components.gateway.port: must be …`.
 *
 * A shape is typed by the value it accepts: `Shape<T>` passes only values of
 * type `T`, and `object<T>({...})` takes exactly one field shape per key of
 * `T`, optional where `T`'s key is optional. So the TypeScript types of the
 * description language and their run-time checks cannot drift apart: a field
 * added to one and not the other fails the type check.
 */
import { isQuantity } from "../quantity.ts";
import { quantityHint } from "../suggest.ts";

export interface Problem {
  path: string;
  message: string;
}

/** What every shape does at run time: check `value` and push what is wrong with it. */
export type Check = (value: unknown, path: string, problems: Problem[]) => void;

declare const ACCEPTS: unique symbol;

/**
 * A check that passes only values of type `T`. The type is a compile-time tag
 * (no run-time property); it is invariant, so `Shape<"a" | "b">` is neither a
 * `Shape<string>` nor a `Shape<"a">`: the check and the type must agree.
 */
export type Shape<T> = Check & { readonly [ACCEPTS]: (value: T) => T };

/** The type a shape accepts. */
export type TypeOf<S> = S extends Shape<infer T> ? T : never;

/** A field that may be left out; when present its value must pass `shape`. */
export interface Optional<T> {
  optional: Shape<T>;
}

type OptionalKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? K : never }[keyof T];

/**
 * The field shapes of an object type: one per key, `optional(...)` exactly
 * where the key is optional. Unknown keys are excess-property errors.
 */
export type Fields<T> = {
  [K in keyof T]-?: K extends OptionalKeys<T> ? Optional<Exclude<T[K], undefined>> : Shape<T[K]>;
};

/** Tags a check with the type it accepts. The one place a check becomes a typed shape. */
function shape<T>(check: Check): Shape<T> {
  return check as Shape<T>;
}

/** A field's spec with its type tag forgotten, as the run-time code reads it. */
type Spec = Check | { optional: Check };

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "object") return "an object";
  return String(value);
}

/** The dotted path of a field or list item below `path`, as problems name it: `a.b[2].c`. */
export function fieldPath(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

/** Any string, optionally matching a pattern described in `what`. */
export function str(pattern?: RegExp, what?: string): Shape<string> {
  return shape((v, path, problems) => {
    if (typeof v !== "string") problems.push({ path, message: `must be a string (got ${describe(v)})` });
    else if (pattern && !pattern.test(v)) problems.push({ path, message: `must be ${what} (got ${describe(v)})` });
  });
}

export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
export const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A DNS-1123 label: lower-case letters, digits and '-', at most 63 characters. */
export const dnsLabel: Shape<string> = str(
  DNS_LABEL,
  "a DNS-1123 label (lower-case letters, digits and '-', at most 63 characters)",
);

/** An integer within bounds. */
export function int(min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): Shape<number> {
  return shape((v, path, problems) => {
    if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `from ${min} to ${max}`;
      problems.push({ path, message: `must be an integer ${range} (got ${describe(v)})` });
    }
  });
}

/** A finite number within bounds, ends excluded when `open` (a share strictly between 0 and 1, say). */
export function num(min: number, max: number, open = false): Shape<number> {
  return shape((v, path, problems) => {
    const inside = typeof v === "number" && Number.isFinite(v) && (open ? v > min && v < max : v >= min && v <= max);
    if (!inside)
      problems.push({
        path,
        message: `must be a number ${open ? "strictly " : ""}from ${min} to ${max} (got ${describe(v)})`,
      });
  });
}

/** A TCP/UDP port number. */
export const port: Shape<number> = int(1, 65535);

/** `true` or `false`. */
export const bool: Shape<boolean> = shape((v, path, problems) => {
  if (typeof v !== "boolean") problems.push({ path, message: `must be true or false (got ${describe(v)})` });
});

/** A Kubernetes quantity such as `500m`, `2` or `512Mi`. */
export const quantity: Shape<string> = shape((v, path, problems) => {
  if (!isQuantity(v))
    problems.push({
      path,
      message: `must be a Kubernetes quantity such as 500m, 1, 512Mi or 10Gi (got ${describe(v)}${typeof v === "string" && quantityHint(v) ? `; did you mean "${quantityHint(v)}"?` : ""})`,
    });
});

/** Any value at all: a field whose content is free-form (a JSON patch value, a dashboard model). */
export const anything: Shape<unknown> = shape(() => undefined);

/** One of a fixed set of literal values; the shape accepts exactly their union. */
export function oneOf<const T extends string | number | boolean>(...values: readonly T[]): Shape<T> {
  return shape((v, path, problems) => {
    if (!values.includes(v as T))
      problems.push({
        path,
        message: `must be one of ${values.map((x) => JSON.stringify(x)).join(", ")} (got ${describe(v)})`,
      });
  });
}

/** A list whose items all have one shape. */
export function list<T>(item: Shape<T>, opts: { min?: number } = {}): Shape<T[]> {
  return shape((v, path, problems) => {
    if (!Array.isArray(v)) return void problems.push({ path, message: `must be a list (got ${describe(v)})` });
    if (opts.min !== undefined && v.length < opts.min)
      problems.push({ path, message: `must have at least ${opts.min} item(s)` });
    v.forEach((x, i) => item(x, fieldPath(path, i), problems));
  });
}

/**
 * A map from keys (checked by `key`) to values of one shape. With keys from a
 * fixed set (`oneOf(...)`) every key may be left out: `Partial<Record<K, V>>`.
 */
export function record<V>(value: Shape<V>, key?: Shape<string>): Shape<Record<string, V>>;
export function record<K extends string, V>(value: Shape<V>, key: Shape<K>): Shape<Partial<Record<K, V>>>;
export function record(value: Check, key?: Check): Check {
  return (v, path, problems) => {
    if (typeof v !== "object" || v === null || Array.isArray(v))
      return void problems.push({ path, message: `must be an object (got ${describe(v)})` });
    for (const [k, x] of Object.entries(v)) {
      if (key) key(k, fieldPath(path, k), problems);
      value(x, fieldPath(path, k), problems);
    }
  };
}

/** Marks a field as optional. */
export function optional<T>(shape: Shape<T>): Optional<T> {
  return { optional: shape };
}

/**
 * An object with exactly the fields of `T`, e.g. `object<Expose>({ host: dnsLabel, path: optional(str()) })`.
 * Unknown fields are errors, with a hint when one looks like a typo; fields are checked in the order given.
 */
export function object<T extends object = never>(fields: Fields<NoInfer<T>>): Shape<T> {
  const specs: Record<string, Spec> = fields;
  const names = Object.keys(specs);
  return shape((v, path, problems) => {
    if (typeof v !== "object" || v === null || Array.isArray(v))
      return void problems.push({ path, message: `must be an object (got ${describe(v)})` });
    const obj = v as Record<string, unknown>;
    for (const key of Object.keys(obj)) {
      if (!Object.prototype.hasOwnProperty.call(specs, key)) {
        const hint = closest(key, names);
        problems.push({
          path: fieldPath(path, key),
          message: `unknown field${hint ? ` (did you mean "${hint}"?)` : ""}; known fields: ${names.join(", ")}`,
        });
      }
    }
    for (const [name, spec] of Object.entries(specs)) {
      const value = obj[name];
      if (typeof spec === "function") {
        if (value === undefined) problems.push({ path: fieldPath(path, name), message: "is required" });
        else spec(value, fieldPath(path, name), problems);
      } else if (value !== undefined) spec.optional(value, fieldPath(path, name), problems);
    }
  });
}

/**
 * A union checked by one of its members: `pick` looks at the value and returns
 * the shape to check it with. The result accepts the union of what every
 * returned shape accepts, e.g. `either((v) => (v === false ? oneOf(false) : probe))`.
 */
export function either<S extends Check>(pick: (v: unknown) => S): Shape<TypeOf<S>> {
  return shape((v, path, problems) => pick(v)(v, path, problems));
}

/**
 * A check for a value already known to be wrong (a union member's discriminator
 * that is missing or unknown): it only reports, so it accepts no type at all.
 */
export function rejects(check: Check): Shape<never> {
  return shape(check);
}

/** A shape plus an extra rule over the whole value, run once the shape passes. */
export function refine<T>(inner: Shape<T>, rule: (v: T) => string | undefined): Shape<T> {
  return shape((v, path, problems) => {
    const before = problems.length;
    inner(v, path, problems);
    if (problems.length === before) {
      const message = rule(v as T);
      if (message) problems.push({ path, message });
    }
  });
}

/** Same fields with every one optional: the shape of a `Partial<T>`. */
export function partial<T>(fields: Fields<T>): Fields<Partial<T>> {
  const specs: Record<string, Spec> = fields;
  const out: Record<string, Spec> = {};
  for (const [k, v] of Object.entries(specs)) out[k] = typeof v === "function" ? { optional: v } : v;
  return out as Fields<Partial<T>>;
}

/** The same fields without `keys`: the shape of an `Omit<T, K>`. */
export function omit<T, K extends keyof T & string>(fields: Fields<T>, ...keys: K[]): Fields<Omit<T, K>> {
  const out: Record<string, unknown> = { ...fields };
  for (const k of keys) delete out[k];
  return out as Fields<Omit<T, K>>;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(
        row[j] + 1,
        row[j - 1] + 1,
        prev + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1),
      );
      prev = row[j];
      row[j] = next;
    }
  }
  return row[b.length];
}

function closest(name: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const c of candidates) {
    const d = distance(name, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}
