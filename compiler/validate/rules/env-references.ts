import type { Rule } from "../context.ts";
import { containersOf } from "../../kube/pods.ts";
import { envReferences } from "../../kube/env-references.ts";

/** An env-style name (upper case): a `$(name)` in lower case in a shell script is the shell's command substitution. */
const ENV_STYLE = /^[A-Z_][A-Z0-9_]*$/;

/**
 * `$(NAME)` that Kubernetes expands: an env value refers only to variables defined earlier in its container's env
 * (a later or unknown one stays literal, as the text `$(NAME)`); command and args refer to variables of the env.
 * `$$(` is an escaped, literal `$(`. In command and args, `$(name)` in lower case is left to the shell.
 */
export const envReferencesRule: Rule = {
  name: "env-references",
  description: "every $(NAME) in env values, command and args names a variable Kubernetes can expand there",
  check(ctx, report) {
    for (const o of ctx.objects)
      for (const { container, pointer } of containersOf(o.object)) {
        const env = (container.env ?? []).map((e) => e?.name);
        const fix = `define the variable in the container's env before the values that refer to it (the blocks order env by dependency), or escape a literal $( as $$(`;
        (container.env ?? []).forEach((e, i) => {
          for (const name of envReferences(typeof e?.value === "string" ? e.value : "")) {
            const at = env.indexOf(name);
            if (at >= 0 && at < i) continue;
            report(o, {
              pointer: `${pointer}/env/${i}/value`,
              message:
                at > i
                  ? `${e?.name} refers to $(${name}), defined after it (env ${at}); Kubernetes expands only earlier variables, so the value keeps the literal text $(${name})`
                  : `${e?.name} refers to $(${name}), which container ${container.name} does not define; the value keeps the literal text $(${name})`,
              fix,
            });
          }
        });
        for (const field of ["command", "args"] as const)
          (container[field] ?? []).forEach((word, i) => {
            for (const name of envReferences(typeof word === "string" ? word : ""))
              if (!env.includes(name) && ENV_STYLE.test(name))
                report(o, {
                  pointer: `${pointer}/${field}/${i}`,
                  message: `refers to $(${name}), which container ${container.name} does not define; it stays the literal text $(${name})`,
                  fix,
                });
          });
      }
  },
};
