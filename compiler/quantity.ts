/**
 * Kubernetes resource quantities in the API server's canonical form, so that
 * Argo CD never sees `1000m` in git and `1` in the cluster and loops OutOfSync.
 * Mirrors apimachinery's `resource.Quantity` canonicalisation: exact arithmetic,
 * the largest suffix that keeps an integer mantissa, binary suffixes preserved.
 */
import { remembered } from "./remember.ts";

const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

const DECIMAL_SUFFIX: Record<string, number> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIX: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL_BY_EXP = new Map(Object.entries(DECIMAL_SUFFIX).map(([s, e]) => [e, s]));
const BINARY_BY_POWER = new Map(Object.entries(BINARY_SUFFIX).map(([s, p]) => [p, s]));

const NANO = 10n ** 9n;

/** True when `value` parses as a Kubernetes quantity. */
export function isQuantity(value: unknown): boolean {
  return (typeof value === "string" && QUANTITY.test(value)) || (typeof value === "number" && Number.isFinite(value));
}

/** A quantity in nano-units, and the format it was written in. */
export interface ParsedQuantity {
  readonly nanos: bigint;
  readonly format: "binary" | "decimal" | "exponent";
}

/**
 * Parses a quantity into nano-units (rounded up, as the API server does) and its format. Each distinct text is
 * parsed once (the same few quantities recur in every object): the result is shared and frozen.
 */
export const parseQuantity: (input: string | number) => ParsedQuantity = remembered(
  (input: string | number) => Object.freeze(parse(input)),
  String,
  10_000,
);

function parse(input: string | number): ParsedQuantity {
  const text = String(input);
  const m = QUANTITY.exec(text);
  if (!m) throw new Error(`"${text}" is not a Kubernetes quantity (examples: 500m, 2, 512Mi, 10Gi)`);
  const [, sign, number, suffix = ""] = m;
  const [whole, fraction = ""] = number.split(".");
  // value = digits / 10^fraction.length, kept exact as a big integer ratio.
  let numerator = BigInt((whole || "0") + fraction);
  let denominator = 10n ** BigInt(fraction.length);
  let format: "binary" | "decimal" | "exponent" = "decimal";
  if (suffix in BINARY_SUFFIX) {
    numerator *= 1024n ** BigInt(BINARY_SUFFIX[suffix]);
    format = "binary";
  } else {
    const exp = suffix in DECIMAL_SUFFIX ? DECIMAL_SUFFIX[suffix] : Number(suffix.slice(1));
    if (suffix && !(suffix in DECIMAL_SUFFIX)) format = "exponent";
    if (exp >= 0) numerator *= 10n ** BigInt(exp);
    else denominator *= 10n ** BigInt(-exp);
  }
  const scaled = numerator * NANO;
  let nanos = scaled / denominator;
  if (scaled % denominator !== 0n) nanos += 1n; // round up to the smallest representable unit
  if (sign === "-") nanos = -nanos;
  return { nanos, format };
}

/** Returns the canonical text of a quantity: `1000m` gives `1`, `3072Mi` gives `3Gi`, `0.5` gives `500m`. */
export const canonicalQuantity: (input: string | number) => string = remembered(canonical, String, 10_000);

function canonical(input: string | number): string {
  const { nanos, format } = parseQuantity(input);
  if (nanos === 0n) return "0";
  const negative = nanos < 0n;
  const abs = negative ? -nanos : nanos;
  const sign = negative ? "-" : "";
  if (format === "binary" && abs % NANO === 0n && abs / NANO >= 1024n) {
    let units = abs / NANO;
    let power = 0;
    while (power < 6 && units % 1024n === 0n) {
      units /= 1024n;
      power += 1;
    }
    return `${sign}${units}${BINARY_BY_POWER.get(power) ?? ""}`;
  }
  // Decimal: the largest exponent (a multiple of 3) that leaves an integer mantissa.
  let exp = -9;
  let mantissa = abs;
  while (exp < 18 && mantissa % 1000n === 0n) {
    mantissa /= 1000n;
    exp += 3;
  }
  if (format === "exponent") return `${sign}${mantissa}${exp === 0 ? "" : `e${exp}`}`;
  return `${sign}${mantissa}${DECIMAL_BY_EXP.get(exp)}`;
}

/** Compares two quantities: negative when a < b, 0 when equal, positive when a > b. */
export function compareQuantities(a: string | number, b: string | number): number {
  const x = parseQuantity(a).nanos;
  const y = parseQuantity(b).nanos;
  return x < y ? -1 : x > y ? 1 : 0;
}
