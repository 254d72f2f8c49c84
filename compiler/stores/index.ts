import type { StoreEngine } from "../describe/types.ts";
import type { StoreEngineDefinition } from "./engine.ts";
import { neo4jEngine } from "./neo4j.ts";
import { postgresEngine } from "./postgres.ts";
import { qdrantEngine } from "./qdrant.ts";
import { redisEngine } from "./redis.ts";

/** Every data-store engine the `store` building block can run. */
export const ENGINES: Record<StoreEngine, StoreEngineDefinition> = {
  postgres: postgresEngine,
  redis: redisEngine,
  qdrant: qdrantEngine,
  neo4j: neo4jEngine,
};
