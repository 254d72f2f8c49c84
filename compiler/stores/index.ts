import type { StoreComponent, StoreEngine } from "../describe/types.ts";
import type { StoreEngineDefinition } from "./engine.ts";
import { natsEngine } from "./nats.ts";
import { neo4jEngine } from "./neo4j.ts";
import { postgresEngine } from "./postgres.ts";
import { postgresOfficialEngine } from "./postgres-official.ts";
import { qdrantEngine } from "./qdrant.ts";
import { redisEngine } from "./redis.ts";

/** Every data-store engine the `store` building block can run (postgres in its default, Bitnami, flavor). */
export const ENGINES: Record<StoreEngine, StoreEngineDefinition> = {
  postgres: postgresEngine,
  redis: redisEngine,
  qdrant: qdrantEngine,
  nats: natsEngine,
  neo4j: neo4jEngine,
};

/** The engine definition a store runs on, its flavor included (postgres `official`). */
export function engineOf(c: Pick<StoreComponent, "engine" | "flavor">): StoreEngineDefinition {
  if (c.engine === "postgres" && c.flavor === "official") return postgresOfficialEngine;
  return ENGINES[c.engine];
}
