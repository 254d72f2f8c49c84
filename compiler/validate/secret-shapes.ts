/**
 * What a secret typed in as plain text looks like: a literal under a key whose
 * name says it is a secret (DB_PASSWORD, API_KEY, --token=…), credentials
 * inside a URL (`postgres://user:pass@host`), or the shape of a well-known
 * token (a known prefix such as `sk_live_`, `ghp_`, `AKIA`, `xoxb-`, a PEM
 * private key, or a long high-entropy string). References are not secrets:
 * a file path, an empty value, `$(VAR)` / `${VAR}` substitutions.
 */
import { WAIVER_PREFIX } from "../describe/waivers.ts";

/** Key names that announce a secret value (matched on words of the key, any case, `_`, `-` or `.` separated). */
const SECRET_WORDS =
  /(^|[_.-])(PASSWORD|PASSWD|PASSPHRASE|PWD|SECRET|TOKEN|API[_.-]?KEY|APIKEY|PRIVATE[_.-]?KEY|ACCESS[_.-]?KEY|CREDENTIALS?|AUTH[_.-]?KEY|CLIENT[_.-]?SECRET)($|[_.-])/i;

/** Key suffixes that name where a secret is, not the secret itself. */
const REFERENCE_KEY =
  /[_.-](FILE|PATH|DIR|NAME|REF|KEY[_.-]?NAME|SECRET[_.-]?NAME|ENABLED|LENGTH|TTL|EXPIRY|HEADER|URL|ENDPOINT|TYPE|ID)$/i;

/** Well-known token shapes, each with what it is. */
const TOKEN_SHAPES: [RegExp, string][] = [
  [/-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/, "a PEM private key"],
  [/\b(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{8,}/, "a Stripe secret key"],
  [/\bgh[pousr]_[0-9A-Za-z]{20,}/, "a GitHub token"],
  [/\bgithub_pat_[0-9A-Za-z_]{20,}/, "a GitHub token"],
  [/\bglpat-[0-9A-Za-z_-]{20,}/, "a GitLab token"],
  [/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/, "an AWS access key"],
  [/\bxox[abposr]-[0-9A-Za-z-]{10,}/, "a Slack token"],
  [/\bAIza[0-9A-Za-z_-]{35}\b/, "a Google API key"],
  [/\beyJ[0-9A-Za-z_-]{10,}\.eyJ[0-9A-Za-z_-]{10,}\.[0-9A-Za-z_-]{10,}/, "a JSON Web Token"],
  [/\bSG\.[0-9A-Za-z_-]{16,}\.[0-9A-Za-z_-]{16,}/, "a SendGrid key"],
];

/** `scheme://user:password@` with a literal password (not a `$(VAR)` or `${VAR}` substitution). */
const URL_CREDENTIALS = /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:([^\s/@]+)@/i;

/** A value that points at a secret instead of holding it. */
function isReference(value: string): boolean {
  const v = value.trim();
  return (
    v === "" ||
    /^(true|false|yes|no|on|off|enabled|disabled|required|optional|none|0|1)$/i.test(v) ||
    /^\$\([A-Za-z_][A-Za-z0-9_]*\)$/.test(v) ||
    /^\$\{[^}]+\}$/.test(v) ||
    /^(\/|\.\/|~\/|file:)/.test(v) ||
    /^(secretref|vault|awssm|gcpsm|azkv|op):/i.test(v) ||
    /^<[^>]*>$/.test(v)
  );
}

/** Shannon entropy in bits per character. */
function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / s.length) * Math.log2(n / s.length);
  return bits;
}

/** A long random-looking token: base64 characters, mixed case and digits, high entropy (hex digests are not). */
function looksRandom(value: string): boolean {
  for (const word of value.split(/[\s,;"'=]+/)) {
    if (word.length < 32 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(word)) continue;
    if (/^[0-9a-f]+$/i.test(word)) continue;
    if (!/[a-z]/.test(word) || !/[A-Z]/.test(word) || !/[0-9]/.test(word)) continue;
    if (entropy(word) >= 4.5) return true;
  }
  return false;
}

/** True when a key's name says its value is a secret (waiver annotations name a rule, not a secret). */
export function secretKeyName(key: string): boolean {
  if (key.startsWith(WAIVER_PREFIX)) return false;
  const bare = key.replace(/^-+/, "");
  return SECRET_WORDS.test(bare) && !REFERENCE_KEY.test(bare);
}

/**
 * Why `value` (found under `key`, when there is one) looks like a plaintext secret, or undefined when it does not.
 * The reason names what was recognised, never the value.
 */
export function secretReason(value: string, key?: string): string | undefined {
  const shape = TOKEN_SHAPES.find(([re]) => re.test(value));
  if (shape) return `looks like ${shape[1]}`;
  const url = URL_CREDENTIALS.exec(value);
  if (url && !isReference(url[1]) && !/^\$[({]/.test(url[1])) return "is a URL with a password in it";
  if (key !== undefined && secretKeyName(key) && !isReference(value))
    return `is a literal under the secret-like key ${key}`;
  const option = /^--?([A-Za-z][A-Za-z0-9_.-]*)=(.+)$/s.exec(value.trim());
  if (option && secretKeyName(option[1]) && !isReference(option[2]))
    return `is a literal for the secret-like option --${option[1]}`;
  if (looksRandom(value)) return "looks like a random token (long, high entropy)";
  return undefined;
}
