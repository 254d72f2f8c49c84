/**
 * The memory an engine's process may use, against its container's memory limit. A store process sizes its caches
 * from the host's memory unless told otherwise (JetStream, the JVM's page cache), or grows until the kernel kills it
 * (Redis without `maxmemory`, whose forks for persistence copy the pages written meanwhile): each engine sets its
 * ceilings from the limit (`StoreEngineDefinition.memory`), and the `memory-settings` rule reads them back.
 */
import type { StoreComponent } from "../describe/types.ts";
import { parseQuantity } from "../quantity.ts";

export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;

/** What a running container tells about its memory: its words (command and args), literal env, files it mounts. */
export interface MemoryView {
  /** Command and args, in order. */
  words: string[];
  /** Env variables with a literal value. */
  env: Record<string, string>;
  /** Files mounted from ConfigMaps of the target, by path. */
  files: Record<string, string>;
  /** The container's memory limit, in bytes. */
  limit: number;
  /** The data volume's size, in bytes, when the pod set claims one. */
  storage?: number;
}

/** One memory setting of a process, as configured, and the most it may be. */
export interface MemoryCeiling {
  /** The setting's name, as the engine spells it (`maxmemory`, `GOMEMLIMIT`, `heap + pagecache`). */
  setting: string;
  /** Its value in bytes; undefined when it is not set (or not readable). */
  bytes?: number;
  /** The most it may be, in bytes. */
  max: number;
  /** Why that is the most: the headroom it leaves, and what happens without it. */
  why: string;
  /** What bounds it, when not the memory limit (`the data volume`). */
  bound?: string;
}

/** How an engine reads its memory ceilings off a container. */
export interface StoreMemory {
  ceilings(view: MemoryView): MemoryCeiling[];
}

/** A Kubernetes quantity in bytes. */
export function quantityBytes(q: string | number): number {
  return Number(parseQuantity(q).nanos / 10n ** 9n);
}

/** A store's memory limit in bytes, or undefined when it sets none. */
export function memoryLimit(spec: StoreComponent): number | undefined {
  const limit = spec.resources?.limits?.memory;
  return limit === undefined ? undefined : quantityBytes(limit);
}

/** Whole MiB of `fraction` of `bytes` (rounded down). */
export function mibOf(bytes: number, fraction: number): number {
  return Math.floor((bytes * fraction) / MiB);
}

/** A byte size in words: `2 GiB`, `460 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes >= GiB) return `${Number((bytes / GiB).toFixed(2))} GiB`;
  return `${Math.round(bytes / MiB)} MiB`;
}
