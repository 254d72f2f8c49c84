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

/** Every line an error carries: its own, then the others. */
export function errorLines(error: ManifoldError): string[] {
  return [error.format(), ...error.others.map((e) => e.format())];
}
