/**
 * The one error type a user can cause. It always names where the problem is:
 * the file, the field and the target, so the CLI can print a single clear line.
 */
export interface ErrorLocation {
  /** Repository-relative file, e.g. `platforms/ossa.ts`. */
  file?: string;
  /** Dotted path inside the description, e.g. `components.gateway.port`. */
  field?: string;
  /** `platform/environment/region`, or a platform name when the error is not target-specific. */
  target?: string;
}

export class ManifoldError extends Error {
  readonly file?: string;
  readonly field?: string;
  readonly target?: string;
  /** Further errors found in the same run, reported together. */
  readonly others: ManifoldError[];

  constructor(message: string, where: ErrorLocation = {}, others: ManifoldError[] = []) {
    super(message);
    this.name = "ManifoldError";
    this.file = where.file;
    this.field = where.field;
    this.target = where.target;
    this.others = others;
  }

  /** One line: `file: field: message [target]`. */
  format(): string {
    const head = [this.file, this.field].filter(Boolean).join(": ");
    const target = this.target ? ` [target ${this.target}]` : "";
    return `${head ? head + ": " : ""}${this.message}${target}`;
  }
}

/** Builds one error that carries every problem found, the first as its message. */
export function combineErrors(errors: ManifoldError[]): ManifoldError {
  const [first, ...rest] = errors;
  return new ManifoldError(first.message, first, rest);
}

/**
 * Items that differ only in their target, grouped: one entry per distinct `key`, in order of first occurrence, with
 * every target it was found in. A platform renders once per environment and region, so the same problem usually
 * stands in several targets.
 */
export function groupAcrossTargets<T>(
  items: T[],
  key: (item: T) => string,
  target: (item: T) => string | undefined,
): { first: T; targets: string[] }[] {
  const groups = new Map<string, { first: T; targets: string[] }>();
  for (const item of items) {
    const k = key(item);
    const t = target(item);
    const group = groups.get(k);
    if (!group) groups.set(k, { first: item, targets: t ? [t] : [] });
    else if (t && !group.targets.includes(t)) group.targets.push(t);
  }
  return [...groups.values()];
}

/** Every line an error carries; the same problem in several targets is one line that lists the targets. */
export function errorLines(error: ManifoldError): string[] {
  const groups = groupAcrossTargets(
    [error, ...error.others],
    (e) => JSON.stringify([e.file, e.field, e.message]),
    (e) => e.target,
  );
  return groups.map(({ first: e, targets }) => {
    if (targets.length <= 1) return e.format();
    const head = [e.file, e.field].filter(Boolean).join(": ");
    return `${head ? head + ": " : ""}${e.message} [targets ${targets.join("; ")}]`;
  });
}
