/** The source key of the compiler installed at `repo` (the folder holding compiler/ and package.json). */
export function sourceKey(repo: string): string;
