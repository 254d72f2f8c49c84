/**
 * A map of rendered files whose contents may be read late: a cached target's paths are known from its entry, and
 * its contents file is read only when a content is first asked for (get, or any iteration over the values). Used
 * where nothing changed, so that a compile checked against `rendered/` by stamps never reads the contents.
 */
export class LazyFiles extends Map<string, string> {
  /** How to read the content of each path not read yet. */
  #pending = new Map<string, () => string>();

  /** Adds `path`, whose content `read` gives when first asked for. */
  setLazy(path: string, read: () => string): this {
    super.set(path, "");
    this.#pending.set(path, read);
    return this;
  }

  override set(path: string, content: string): this {
    // Map's constructor calls set before the fields are initialised; LazyFiles is only ever made empty.
    this.#pending?.delete(path);
    return super.set(path, content);
  }

  override delete(path: string): boolean {
    this.#pending.delete(path);
    return super.delete(path);
  }

  override clear(): void {
    this.#pending.clear();
    super.clear();
  }

  override get(path: string): string | undefined {
    const read = this.#pending.get(path);
    if (!read) return super.get(path);
    const content = read();
    this.#pending.delete(path);
    super.set(path, content);
    return content;
  }

  override *entries(): MapIterator<[string, string]> {
    for (const path of super.keys()) yield [path, this.get(path)!];
  }

  override *values(): MapIterator<string> {
    for (const path of super.keys()) yield this.get(path)!;
  }

  override [Symbol.iterator](): MapIterator<[string, string]> {
    return this.entries();
  }

  override forEach(fn: (content: string, path: string, map: Map<string, string>) => void, self?: unknown): void {
    for (const [path, content] of this.entries()) fn.call(self, content, path, this);
  }
}
