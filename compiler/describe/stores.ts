import type { StoreComponent } from "./types.ts";
import { engineOf } from "../stores/index.ts";

type StoreOptions = Omit<StoreComponent, "type" | "engine" | "image"> & { image?: string };

function store(engine: StoreComponent["engine"], spec: StoreOptions): StoreComponent {
  return { type: "store", engine, ...spec, image: spec.image ?? engineOf({ engine, flavor: spec.flavor }).image };
}

/**
 * PostgreSQL. The default `cloudnative-pg` flavor runs a CloudNativePG Cluster in the primary region and
 * replica clusters that follow it through the object store everywhere else; `flavor: "official"` (official or
 * supabase images) runs one standalone server per region.
 */
export function postgres(spec: StoreOptions): StoreComponent {
  return store("postgres", spec);
}

/** Redis: a primary in the primary region, replicas that follow it everywhere else. */
export function redis(spec: StoreOptions): StoreComponent {
  return store("redis", spec);
}

/** Qdrant vector database: one Raft cluster per region. */
export function qdrant(spec: StoreOptions): StoreComponent {
  return store("qdrant", spec);
}

/** NATS messaging with JetStream persisted on the volume: one server, or a cluster of `replicas`. */
export function nats(spec: StoreOptions): StoreComponent {
  return store("nats", spec);
}

/** Neo4j graph database: one causal cluster per region (Enterprise image); `password` holds NEO4J_AUTH. */
export function neo4j(spec: StoreOptions): StoreComponent {
  return store("neo4j", spec);
}
