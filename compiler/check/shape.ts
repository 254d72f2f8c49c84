/**
 * A small run-time type checker for descriptions. Each shape checks a value
 * and reports problems with the dotted path of the field, so a JavaScript user
 * or a bad cast still gets `components.gateway.port: must be …`.
 */
import { isQuantity } from "../quantity.ts";
import { quantityHint } from "../suggest.ts";

export interface Problem {
  path: string;
  message: string;
}

export type Shape = (value: unknown, path: string, problems: Problem[]) => void;

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "object") return "an object";
  return String(value);
}

function join(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

/** Any string, optionally matching a pattern described in `what`. */
export function str(pattern?: RegExp, what?: string): Shape {
  return (v, path, problems) => {
    if (typeof v !== "string") problems.push({ path, message: `must be a string (got ${describe(v)})` });
    else if (pattern && !pattern.test(v)) problems.push({ path, message: `must be ${what} (got ${describe(v)})` });
  };
}

export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
export const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A DNS-1123 label: lower-case letters, digits and '-', at most 63 characters. */
export const dnsLabel: Shape = str(
  DNS_LABEL,
  "a DNS-1123 label (lower-case letters, digits and '-', at most 63 characters)",
);

/** An integer within bounds. */
export function int(min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): Shape {
  return (v, path, problems) => {
    if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `from ${min} to ${max}`;
      problems.push({ path, message: `must be an integer ${range} (got ${describe(v)})` });
    }
  };
}

/** A TCP/UDP port number. */
export const port: Shape = int(1, 65535);

export const bool: Shape = (v, path, problems) => {
  if (typeof v !== "boolean") problems.push({ path, message: `must be true or false (got ${describe(v)})` });
};

/** A Kubernetes quantity such as `500m`, `2` or `512Mi`. */
export const quantity: Shape = (v, path, problems) => {
  if (!isQuantity(v))
    problems.push({
      path,
      message: `must be a Kubernetes quantity such as 500m, 1, 512Mi or 10Gi (got ${describe(v)}${typeof v === "string" && quantityHint(v) ? `; did you mean "${quantityHint(v)}"?` : ""})`,
    });
};

/** One of a fixed set of literal values. */
export function oneOf<T extends string | number | boolean>(...values: T[]): Shape {
  return (v, path, problems) => {
    if (!values.includes(v as T))
      problems.push({
        path,
        message: `must be one of ${values.map((x) => JSON.stringify(x)).join(", ")} (got ${describe(v)})`,
      });
  };
}

/** A list whose items all have one shape. */
export function list(item: Shape, opts: { min?: number } = {}): Shape {
  return (v, path, problems) => {
    if (!Array.isArray(v)) return void problems.push({ path, message: `must be a list (got ${describe(v)})` });
    if (opts.min !== undefined && v.length < opts.min)
      problems.push({ path, message: `must have at least ${opts.min} item(s)` });
    v.forEach((x, i) => item(x, join(path, i), problems));
  };
}

/** A map from keys (checked by `key`) to values of one shape. */
export function record(value: Shape, key?: Shape): Shape {
  return (v, path, problems) => {
    if (typeof v !== "object" || v === null || Array.isArray(v))
      return void problems.push({ path, message: `must be an object (got ${describe(v)})` });
    for (const [k, x] of Object.entries(v)) {
      if (key) key(k, join(path, k), problems);
      value(x, join(path, k), problems);
    }
  };
}

export interface Fields {
  [name: string]: Shape | { optional: Shape };
}

/** Marks a field as optional. */
export function optional(shape: Shape): { optional: Shape } {
  return { optional: shape };
}

/** An object with known fields. Unknown fields are errors, with a hint when one looks like a typo. */
export function object(fields: Fields): Shape {
  const names = Object.keys(fields);
  return (v, path, problems) => {
    if (typeof v !== "object" || v === null || Array.isArray(v))
      return void problems.push({ path, message: `must be an object (got ${describe(v)})` });
    const obj = v as Record<string, unknown>;
    for (const key of Object.keys(obj)) {
      if (!Object.prototype.hasOwnProperty.call(fields, key)) {
        const hint = closest(key, names);
        problems.push({
          path: join(path, key),
          message: `unknown field${hint ? ` (did you mean "${hint}"?)` : ""}; known fields: ${names.join(", ")}`,
        });
      }
    }
    for (const [name, spec] of Object.entries(fields)) {
      const value = obj[name];
      if (typeof spec === "function") {
        if (value === undefined) problems.push({ path: join(path, name), message: "is required" });
        else spec(value, join(path, name), problems);
      } else if (value !== undefined) spec.optional(value, join(path, name), problems);
    }
  };
}

/** The first shape that accepts the value wins; otherwise the problems of the shape chosen by `pick`. */
export function either(pick: (v: unknown) => Shape): Shape {
  return (v, path, problems) => pick(v)(v, path, problems);
}

/** A shape plus an extra rule over the whole value. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a refinement reads a value its shape already checked
export function refine(shape: Shape, rule: (v: any) => string | undefined): Shape {
  return (v, path, problems) => {
    const before = problems.length;
    shape(v, path, problems);
    if (problems.length === before) {
      const message = rule(v);
      if (message) problems.push({ path, message });
    }
  };
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
