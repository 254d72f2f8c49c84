/**
 * Where a store takes writes. An engine with cross-region replication is writable only in the environment's primary
 * region (the other regions run replicas that follow it and send writes there); any other store is its own, writable
 * server in every region that runs it.
 */
import type { Component, StoreComponent } from "../describe/types.ts";
import { engineOf } from "./index.ts";

/** True when the store takes writes in a region of this role (`primary` or not). */
export function writableIn(c: StoreComponent, primary: boolean): boolean {
  return primary || !engineOf(c).crossRegion;
}

/** True when a region of this role depends on another region for the store: its replicas follow the primary's. */
export function followsPrimary(c: StoreComponent, primary: boolean): boolean {
  return !primary && engineOf(c).crossRegion;
}

/** True for a relational database: its schema is changed by the platform's migrations. */
export function isRelational(c: Component): c is StoreComponent {
  return c.type === "store" && c.engine === "postgres";
}
