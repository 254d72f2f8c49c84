/**
 * Type-level tests of `compiler/check/shape.ts`, run by `npm run typecheck`
 * (not by vitest): every `@ts-expect-error` below must meet a type error, so a
 * shape that drifted from its type and still compiled would fail the check.
 */
import { either, int, list, object, oneOf, optional, record, str, type Shape } from "../../compiler/check/shape.ts";

interface Route {
  host: string;
  port?: number;
  mode: "Prefix" | "Exact";
}

/** The reference: one shape per field, optional exactly where the type is. */
export const route = object<Route>({ host: str(), port: optional(int(1)), mode: oneOf("Prefix", "Exact") });

// @ts-expect-error a field of the type without its check
export const missing = object<Route>({ host: str(), mode: oneOf("Prefix", "Exact") });

export const extra = object<Route>({
  host: str(),
  port: optional(int(1)),
  mode: oneOf("Prefix", "Exact"),
  // @ts-expect-error a check without its field in the type
  path: optional(str()),
});

export const requiredChecked = object<Route>({
  host: str(),
  // @ts-expect-error an optional field checked as required
  port: int(1),
  mode: oneOf("Prefix", "Exact"),
});

export const optionalChecked = object<Route>({
  // @ts-expect-error a required field checked as optional
  host: optional(str()),
  port: optional(int(1)),
  mode: oneOf("Prefix", "Exact"),
});

export const wrongValue = object<Route>({
  // @ts-expect-error a check of another value type
  host: int(),
  port: optional(int(1)),
  mode: oneOf("Prefix", "Exact"),
});

export const fewerLiterals = object<Route>({
  host: str(),
  port: optional(int(1)),
  // @ts-expect-error a union member the check does not accept
  mode: oneOf("Prefix"),
});

export const moreLiterals = object<Route>({
  host: str(),
  port: optional(int(1)),
  // @ts-expect-error a check that accepts more than the union
  mode: oneOf("Prefix", "Exact", "Regex"),
});

export const looseString = object<Route>({
  host: str(),
  port: optional(int(1)),
  // @ts-expect-error any string is not the union
  mode: str(),
});

/** Nested objects take their type from the field they check. */
export const nested = object<{ routes: Route[]; byName?: Record<string, Route> }>({
  routes: list(object({ host: str(), port: optional(int(1)), mode: oneOf("Prefix", "Exact") })),
  byName: optional(record(route)),
});

export const nestedDrift = object<{ routes: Route[] }>({
  // @ts-expect-error a nested object missing a field
  routes: list(object({ host: str(), mode: oneOf("Prefix", "Exact") })),
});

/** A union is the union of what `either` can pick. */
export const routeOrOff: Shape<Route | false> = either((v) => (v === false ? oneOf(false) : route));

// @ts-expect-error a union member without a check
export const routeOnly: Shape<Route | false> = either(() => route);

// @ts-expect-error an object shape needs its type: object({...}) alone has nothing to check against
export const untyped = object({ host: str() });

// @ts-expect-error a plain function is not a typed shape
export const handWritten: Shape<string> = () => undefined;
