/** The source key of the compiler installed at `repo` (the folder holding compiler/ and package.json). */
export function sourceKey(repo: string): string;

/** sourceKey, remembered in the JSON file `memo` against every file's size, modification time and inode. */
export function cachedSourceKey(repo: string, memo: string): string;
