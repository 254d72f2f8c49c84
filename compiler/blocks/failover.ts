/**
 * Where a store fails over by itself: a `failover` engine (Redis Sentinel) in the primary region, with a primary and
 * replicas there. The names and hosts of its parts, shared by the store, sentinel, network and mesh blocks.
 */
import type { StoreComponent } from "../describe/types.ts";
import type { ResolvedTarget } from "../model/target.ts";
import type { FailoverContext } from "../stores/engine.ts";
import { SENTINEL_PORT } from "../stores/redis.ts";
import { engineOf } from "../stores/index.ts";

/** How many sentinels watch a store, and how many must agree that its primary is down. */
export const SENTINELS = 3;
export const QUORUM = 2;

/** True when Sentinel and HAProxy run here: a `failover` engine in its primary region, a primary with replicas. */
export function hasFailover(target: ResolvedTarget, c: StoreComponent): boolean {
  const engine = engineOf(c);
  return engine.failover === "sentinel" && engine.crossRegion && target.role === "primary" && c.replicas >= 2;
}

/** The sentinels' StatefulSet (and headless Service), and the HAProxy Deployment in front of the members. */
export function sentinelName(name: string): string {
  return `${name}-sentinel`;
}
export function haproxyName(name: string): string {
  return `${name}-haproxy`;
}

/** A pod's stable host through its StatefulSet's headless Service. */
function podHost(target: ResolvedTarget, set: string, i: number): string {
  return `${set}-${i}.${set}-headless.${target.namespace}.svc.cluster.local`;
}

/** Every member's host: the primary pod set's pod, then the replicas'. */
export function memberHosts(target: ResolvedTarget, name: string, c: StoreComponent): string[] {
  const replicas = Array.from({ length: c.replicas - 1 }, (_, i) => podHost(target, `${name}-replica`, i));
  return [podHost(target, `${name}-primary`, 0), ...replicas];
}

/** Each sentinel's host. */
export function sentinelHosts(target: ResolvedTarget, name: string): string[] {
  return Array.from({ length: SENTINELS }, (_, i) => podHost(target, sentinelName(name), i));
}

/** What a member of pod set `setName` needs to start under Sentinel. */
export function failoverContext(
  target: ResolvedTarget,
  name: string,
  c: StoreComponent,
  setName: string,
): FailoverContext {
  const members = memberHosts(target, name, c);
  return {
    master: name,
    sentinels: sentinelHosts(target, name),
    sentinelPort: SENTINEL_PORT,
    hostSuffix: `${setName}-headless.${target.namespace}.svc.cluster.local`,
    initialPrimary: members[0],
    members,
  };
}

/**
 * The ports a store's own pods use among themselves under failover, besides the engine's: Sentinel's, and the TLS port
 * HAProxy forwards other regions to (on the current primary). Empty without failover.
 */
export function failoverPorts(target: ResolvedTarget, c: StoreComponent): Record<string, number> {
  if (!hasFailover(target, c)) return {};
  const tls = engineOf(c).tls;
  return { sentinel: SENTINEL_PORT, ...(tls && target.peers.length ? { [tls.port.name]: tls.port.number } : {}) };
}
