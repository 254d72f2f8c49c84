import type { Rule } from "../context.ts";

/** Secret values never reach git: a Secret carrying `data` or `stringData` is an error. */
export const plaintextSecretRule: Rule = {
  name: "no-plaintext-secret",
  description: "no Secret with data or stringData; secrets come from ExternalSecrets",
  check(ctx, report) {
    for (const o of ctx.objects) {
      if (o.object.kind !== "Secret") continue;
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
  },
};
