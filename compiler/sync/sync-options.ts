/** Argo CD's sync options: reading them off an object, adding one, and checking one against Argo CD's list. */
import type { KubeObject } from "../model/object.ts";
import { SYNC_OPTIONS, SYNC_OPTIONS_ANNOTATION } from "./annotations.ts";

/** The sync options an object carries, from its sync-options annotation. */
export function syncOptions(o: KubeObject): string[] {
  return (o.metadata.annotations?.[SYNC_OPTIONS_ANNOTATION] ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Adds `option` to the sync options in `annotations` (a copy of `o`'s), unless `o` carries it already. */
export function addSyncOption(o: KubeObject, annotations: Record<string, string>, option: string): void {
  const options = syncOptions(o);
  if (!options.includes(option)) annotations[SYNC_OPTIONS_ANNOTATION] = [...options, option].join(",");
}

/** Why one sync option is not one Argo CD knows, or undefined. */
export function syncOptionProblem(option: string): string | undefined {
  const [key, value, ...rest] = option.trim().split("=");
  const allowed = SYNC_OPTIONS[key];
  if (!allowed) return `unknown sync option "${option.trim()}"; known: ${Object.keys(SYNC_OPTIONS).join(", ")}`;
  if (rest.length || value === undefined || !allowed.includes(value))
    return `sync option "${option.trim()}" must be ${allowed.map((v) => `${key}=${v}`).join(" or ")}`;
  return undefined;
}
