/**
 * Where backups go: the region's object store (`backups` of the region description), one prefix per environment
 * and platform, and the store's backup settings with their default.
 */
import type { ObjectStoreDescription, StoreBackup, StoreComponent } from "../describe/types.ts";
import type { ResolvedTarget } from "../model/target.ts";

/** A daily backup at 02:00 UTC, kept two weeks: what a store gets when its description names no `backup`. */
export const DEFAULT_BACKUP: StoreBackup = { schedule: "0 2 * * *", retentionDays: 14 };

/** The keys of the object-store credentials Secret. */
export const ACCESS_KEY_ID = "access-key-id";
export const SECRET_ACCESS_KEY = "secret-access-key";

/** A store's backup settings, or undefined when its description turns backups off. */
export function backupOf(c: StoreComponent): StoreBackup | undefined {
  return c.backup === false ? undefined : (c.backup ?? DEFAULT_BACKUP);
}

/** The S3 endpoint of an object store. */
export function endpointOf(store: ObjectStoreDescription): string {
  return store.endpoint ?? `https://s3.${store.region}.amazonaws.com`;
}

/** `s3://<bucket>/<path>/<environment>/<platform>`: where one environment's platform keeps its backups. */
export function backupPrefix(store: ObjectStoreDescription, environment: string, platform: string): string {
  return `s3://${[store.bucket, store.path, environment, platform].filter(Boolean).join("/")}`;
}

/** Where this target's stores back up to, or undefined when the region names no object store. */
export function targetPrefix(target: ResolvedTarget): string | undefined {
  return target.objectStore ? backupPrefix(target.objectStore, target.environment, target.platform) : undefined;
}
