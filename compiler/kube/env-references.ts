/**
 * Kubernetes' `$(VAR)` expansion in a container's env values, command and args: an env value expands only variables
 * defined earlier in the container's env list (a later or unknown one stays literal), command and args expand any
 * variable of the env list, and `$$(` is an escaped, literal `$(`.
 */
import type { IIoK8sApiCoreV1EnvVar as EnvVar } from "kubernetes-models/v1";

/** A `$(NAME)` reference (or an escaped `$$`): names are environment variable names (C identifiers, `.` and `-`). */
const REFERENCE = /\$\$|\$\(([-._a-zA-Z][-._a-zA-Z0-9]*)\)/g;

/** The variable names a text refers to with `$(NAME)`, in order, without the escaped `$$(NAME)`. */
export function envReferences(text: string): string[] {
  return [...text.matchAll(REFERENCE)].flatMap((m) => (m[1] === undefined ? [] : [m[1]]));
}

/**
 * The env list in dependency order: each variable after the variables its value refers to, the order otherwise kept
 * (a stable topological order). A cycle keeps its input order (Kubernetes leaves one of its references literal).
 */
export function dependencyOrderedEnv(vars: EnvVar[]): EnvVar[] {
  const byName = new Map(vars.map((v) => [v.name, v]));
  const done = new Set<EnvVar>();
  const out: EnvVar[] = [];
  const visit = (v: EnvVar): void => {
    if (done.has(v)) return;
    done.add(v);
    for (const name of envReferences(v.value ?? "")) {
      const dep = byName.get(name);
      if (dep) visit(dep);
    }
    out.push(v);
  };
  vars.forEach(visit);
  return out;
}
