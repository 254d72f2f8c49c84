import type { Rule } from "../context.ts";
import { escapeKey } from "../../kube/pointer.ts";
import { byContent } from "../content-memo.ts";
import { secretKeyName, secretReason } from "../secret-shapes.ts";
import { itself, remembered, rememberedPair } from "../../remember.ts";

const FIX = "declare the value with secretRef() so it renders as an ExternalSecret, and reference it";

/** Kinds whose fields name secrets rather than hold them (ExternalSecret), or are checked as a whole (Secret). */
const SKIP_KINDS = new Set(["Secret", "ExternalSecret", "SecretStore", "ClusterSecretStore"]);

/**
 * Fields whose name says token but whose value is public, by `<group>/<kind>`: CloudNativePG's promotion token is the
 * old primary's demotion token, base64 JSON of `pg_controldata` (system identifier, timeline, WAL position), no
 * credential; it has to be in the Cluster's spec for the controlled switchover.
 */
const PUBLIC_FIELDS: Record<string, string[]> = {
  "postgresql.cnpg.io/Cluster": ["/spec/replica/promotionToken"],
};

type Found = (pointer: string, reason: string) => void;

/** Why a string under `key` looks like a secret: itself, or else its first `key: value` / `KEY=value` line. */
function stringReason(value: string, key: string | undefined): string | undefined {
  const reason = secretReason(value, key);
  if (reason || !value.includes("\n")) return reason;
  for (const line of value.split("\n")) {
    const pair = /^\s*["']?([A-Za-z_][A-Za-z0-9_.-]*)["']?\s*[:=]\s*["']?([^"'#\s]+)["']?\s*$/.exec(line);
    const inner = pair ? secretReason(pair[2], pair[1]) : undefined;
    if (inner) return `has a line that ${inner}`;
  }
  return undefined;
}

/** stringReason of each (value, key) pair seen, kept: the same strings recur in every object and target. */
const rememberedReason = rememberedPair(stringReason, 50_000);

/** A field name as the secret-word check reads it: camelCase split into words (`clientSecret` → `client_Secret`). */
const underscored = remembered((key: string) => key.replace(/([a-z0-9])([A-Z])/g, "$1_$2"), itself, 50_000);

/** The JSON pointer of a path of keys and indexes, made only for a finding. */
function pointerOf(path: (string | number)[]): string {
  let pointer = "";
  for (const part of path) pointer += `/${typeof part === "number" ? part : escapeKey(part)}`;
  return pointer;
}

/**
 * Every string in `value`, with the key it sits under: an env entry's `name` for its `value`, else the field name.
 * `path` is where `value` sits (its keys and indexes, changed in place and restored).
 */
function walk(value: unknown, path: (string | number)[], key: string | undefined, found: Found): void {
  if (typeof value === "string") {
    const reason = rememberedReason(value, key);
    if (reason) found(pointerOf(path), reason);
    return;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      // `["--password", "hunter2"]`: the option names the next argument.
      const previous: unknown = i > 0 ? value[i - 1] : undefined;
      const option = typeof previous === "string" && /^--?[A-Za-z]/.test(previous) && !previous.includes("=");
      path.push(i);
      walk(value[i], path, option && secretKeyName(previous) ? previous : undefined, found);
      path.pop();
    }
    return;
  }
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    const entryName = typeof record.name === "string" && "value" in record ? record.name : undefined;
    for (const k in record) {
      const under = k === "value" && entryName !== undefined ? entryName : underscored(k);
      path.push(k);
      walk(record[k], path, under, found);
      path.pop();
    }
  }
}

/** The secret-looking literals of an object, with why each looks like a secret. */
function literals(object: object): { pointer: string; reason: string }[] {
  const found: { pointer: string; reason: string }[] = [];
  walk(object, [], undefined, (pointer, reason) => found.push({ pointer, reason }));
  return found;
}

/**
 * Secret values never reach git: a Secret carrying `data` or `stringData` is an error, and so is a secret-looking
 * literal anywhere else in any object (env values, ConfigMap data, args, annotations, patched fields). No annotation
 * waives it. An object of the same content as one checked before is not walked again.
 */
export const plaintextSecretRule: Rule = {
  name: "no-plaintext-secret",
  description:
    "no Secret with data or stringData, and no secret-looking literal anywhere; secrets come from secretRef()",
  check(ctx, report) {
    for (const o of ctx.objects) {
      if (o.object.kind === "Secret") {
        for (const field of ["data", "stringData"]) {
          const value = o.object[field] as Record<string, unknown> | undefined;
          if (value && Object.keys(value).length)
            report(o, {
              pointer: `/${field}`,
              message: `a Secret carries plaintext ${field}`,
              fix: "declare the value with secretRef() so it renders as an ExternalSecret",
            });
        }
      }
      if (SKIP_KINDS.has(o.object.kind)) continue;
      const group = String(o.object.apiVersion ?? "").split("/")[0];
      const exempt = PUBLIC_FIELDS[`${group}/${o.object.kind}`] ?? [];
      for (const { pointer, reason } of byContent("no-plaintext-secret", o.object, literals))
        if (!exempt.includes(pointer))
          report(o, { pointer, message: `a value that ${reason} would be written to git in plain text`, fix: FIX });
    }
  },
};
