import { describe, expect, it } from "vitest";
import { memorySettingsRule } from "../compiler/validate/rules/memory-settings.ts";
import { probesRule } from "../compiler/validate/rules/probes.ts";
import { ENGINES } from "../compiler/stores/index.ts";
import { memoryArgs } from "../compiler/stores/redis.ts";
import { quantityBytes } from "../compiler/stores/memory.ts";
import type { Component, StoreComponent } from "../compiler/describe/types.ts";
import type { KubeObject } from "../compiler/model/object.ts";
import { findings, rendered, ruleTarget } from "./helpers/rule.ts";

const store = (engine: string, replicas = 3): Component =>
  ({ type: "store", engine, replicas, storage: "5Gi" }) as unknown as Component;
const set = (engine: string, container: Record<string, unknown>, volumes: unknown[] = [], replicas = 3) => ({
  apiVersion: "apps/v1",
  kind: "StatefulSet",
  metadata: { name: "db" },
  spec: {
    replicas,
    template: { spec: { containers: [{ name: engine, ...container }], volumes } },
    volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { resources: { requests: { storage: "5Gi" } } } }],
  },
});
const limit = (memory: string) => ({ resources: { limits: { memory } } });
const POINTER = "StatefulSet/db /spec/template/spec/containers/0/resources/limits/memory";
const natsConfig = (memoryStore: number, fileStore: number): KubeObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "nats-server-config" },
  data: { "nats.conf": `jetstream {\n  max_memory_store: ${memoryStore}\n  max_file_store: ${fileStore}\n}\n` },
});
const natsMounts = {
  args: ["--config=/etc/nats-config/nats.conf", "--jetstream"],
  volumeMounts: [{ name: "server-config", mountPath: "/etc/nats-config" }],
};
const natsVolumes = [{ name: "server-config", configMap: { name: "nats-server-config" } }];

const CASES: { name: string; engine: string; objects: KubeObject[]; expect: string[] }[] = [
  {
    name: "Redis at half its limit",
    engine: "redis",
    objects: [set("redis", { args: ["--maxmemory", "2048mb"], ...limit("4Gi") })],
    expect: [],
  },
  {
    name: "Redis without maxmemory (in its start script or arguments)",
    engine: "redis",
    objects: [set("redis", { command: ["/bin/sh", "-c", "exec redis-server '--appendonly' 'yes'"], ...limit("4Gi") })],
    expect: [
      `${POINTER}: container redis sets no maxmemory (at most 2 GiB for its 4Gi memory limit): its forks for snapshots, rewrites and replica syncs copy the pages written meanwhile: up to twice the data`,
    ],
  },
  {
    name: "Redis at 3gb (decimal gigabytes) under 4Gi, set in its start script",
    engine: "redis",
    objects: [
      set("redis", { command: ["/bin/sh", "-c", "set -- '--maxmemory' '3g'; exec redis-server"], ...limit("4Gi") }),
    ],
    expect: [
      `${POINTER}: container redis sets maxmemory to 2.79 GiB, above 2 GiB for its 4Gi memory limit: its forks for snapshots, rewrites and replica syncs copy the pages written meanwhile: up to twice the data`,
    ],
  },
  {
    name: "NATS with GOMEMLIMIT and JetStream limits within its limit and volume",
    engine: "nats",
    objects: [
      set("nats", { ...natsMounts, env: [{ name: "GOMEMLIMIT", value: "460MiB" }], ...limit("512Mi") }, natsVolumes),
      natsConfig(134217728, 4831838208),
    ],
    expect: [],
  },
  {
    name: "NATS with JetStream and nothing that bounds its memory",
    engine: "nats",
    objects: [set("nats", { args: ["--jetstream"], ...limit("512Mi") })],
    expect: [
      `${POINTER}: container nats sets no GOMEMLIMIT (at most 461 MiB for its 512Mi memory limit): the Go runtime grows its heap past the container's limit unless a soft limit below it makes it collect`,
      `${POINTER}: container nats sets no jetstream max_memory_store (at most 256 MiB for its 512Mi memory limit): JetStream otherwise sizes memory-backed streams from the host's memory, not the container's limit`,
      `${POINTER}: container nats sets no jetstream max_file_store (at most 5 GiB for the data volume): JetStream otherwise sizes file-backed streams from the disk's free space, and a full volume stops the server`,
    ],
  },
  {
    name: "NATS whose GOMEMLIMIT is its whole limit and whose file store is larger than its volume",
    engine: "nats",
    objects: [
      set("nats", { ...natsMounts, env: [{ name: "GOMEMLIMIT", value: "512MiB" }], ...limit("512Mi") }, natsVolumes),
      natsConfig(134217728, 10737418240),
    ],
    expect: [
      `${POINTER}: container nats sets GOMEMLIMIT to 512 MiB, above 461 MiB for its 512Mi memory limit: the Go runtime grows its heap past the container's limit unless a soft limit below it makes it collect`,
      `${POINTER}: container nats sets jetstream max_file_store to 10 GiB, above 5 GiB for the data volume: JetStream otherwise sizes file-backed streams from the disk's free space, and a full volume stops the server`,
    ],
  },
  {
    name: "Neo4j with 3g heap and 3g page cache under 8Gi",
    engine: "neo4j",
    objects: [
      set("neo4j", {
        env: [
          { name: "NEO4J_server_memory_heap_max__size", value: "3g" },
          { name: "NEO4J_server_memory_pagecache_size", value: "3g" },
        ],
        ...limit("8Gi"),
      }),
    ],
    expect: [],
  },
  {
    name: "Neo4j whose heap and page cache fill its limit",
    engine: "neo4j",
    objects: [
      set("neo4j", {
        env: [
          { name: "NEO4J_server_memory_heap_max__size", value: "4g" },
          { name: "NEO4J_server_memory_pagecache_size", value: "4096m" },
        ],
        ...limit("8Gi"),
      }),
    ],
    expect: [
      `${POINTER}: container neo4j sets heap + pagecache (server.memory.heap.max_size, server.memory.pagecache.size) to 8 GiB, above 6.4 GiB for its 8Gi memory limit: the JVM's off-heap memory and the OS need the rest; unset, the page cache is sized from the host's memory`,
    ],
  },
  {
    name: "an engine that declares no memory settings (Qdrant)",
    engine: "qdrant",
    objects: [set("qdrant", limit("1Gi"))],
    expect: [],
  },
];

describe("memory-settings", () => {
  it.each(CASES)("$name", (c) => {
    const target = ruleTarget({ components: { db: store(c.engine) } });
    expect(findings(memorySettingsRule, rendered(c.objects, "db"), target)).toEqual(c.expect);
  });

  it("Redis gets half its memory limit and refuses writes when full", () => {
    expect(memoryArgs({ resources: { limits: { memory: "4Gi" } } } as StoreComponent)).toEqual([
      "--maxmemory",
      "2048mb",
      "--maxmemory-policy",
      "noeviction",
    ]);
  });

  it("NATS's JetStream file store fits its volume, its memory store a quarter of the limit", () => {
    const file = ENGINES.nats.configFile!({
      storage: "5Gi",
      resources: { limits: { memory: "512Mi" } },
    } as StoreComponent);
    expect(file.content).toBe("jetstream {\n  max_memory_store: 134217728\n  max_file_store: 4831838208\n}\n");
    expect(4831838208).toBeLessThanOrEqual(quantityBytes("5Gi"));
  });
});

describe("probes: quorum store members start under a startup probe", () => {
  const liveness = { tcpSocket: { port: "bolt" }, initialDelaySeconds: 30, periodSeconds: 10, failureThreshold: 12 };
  const probes = { readinessProbe: liveness, livenessProbe: liveness };
  const CASES = [
    {
      name: "a Neo4j cluster without one",
      engine: "neo4j",
      container: probes,
      replicas: 3,
      expect: [
        "StatefulSet/db /spec/template/spec/containers/0/startupProbe: container neo4j is a quorum store member with a livenessProbe but no startupProbe; liveness restarts it while it waits for its peers (150s)",
      ],
    },
    {
      name: "a Neo4j cluster with a short one",
      engine: "neo4j",
      replicas: 3,
      container: { ...probes, startupProbe: { ...liveness, initialDelaySeconds: undefined, failureThreshold: 30 } },
      expect: [
        "StatefulSet/db /spec/template/spec/containers/0/startupProbe: container neo4j is a quorum store member whose start may take 5000s, but its startupProbe allows 300s; liveness then restarts it while its peers form the quorum",
      ],
    },
    {
      name: "a Neo4j cluster with Neo4j's own budget",
      engine: "neo4j",
      replicas: 3,
      container: { ...probes, startupProbe: { tcpSocket: { port: "bolt" }, periodSeconds: 5, failureThreshold: 1000 } },
      expect: [],
    },
    { name: "a single NATS server waits for no peers", engine: "nats", container: probes, replicas: 1, expect: [] },
    { name: "Redis is no quorum store", engine: "redis", container: probes, replicas: 3, expect: [] },
  ];
  it.each(CASES)("$name", (c) => {
    const target = ruleTarget({ components: { db: store(c.engine, c.replicas) } });
    expect(findings(probesRule, rendered([set(c.engine, c.container, [], c.replicas)], "db"), target)).toEqual(
      c.expect,
    );
  });

  it("every engine whose members wait for their peers declares how long its start may take", () => {
    for (const [name, engine] of Object.entries(ENGINES))
      if (engine.peersForReadiness) expect(engine.startupSeconds, name).toBeGreaterThanOrEqual(600);
  });
});
