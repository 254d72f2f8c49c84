/**
 * Restores as an operator starts them: each store restores its own environment's backups unless its description says
 * otherwise (`backup.restoreFrom`, set in the dev layer only here), for every store type with a restore path; Neo4j
 * stages its backups on a platform volume and restores by seeding each database from a presigned URL.
 */
import { describe, expect, it } from "vitest";
import { neo4j, platform, postgres, qdrant, secretRef } from "../compiler/index.ts";
import { compilePlatforms, objectIn } from "./helpers/memory.ts";
import type { Parsed } from "./helpers/parsed.ts";
import type { ComponentOverride } from "../compiler/describe/types.ts";

const small = { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "200m", memory: "256Mi" } };
const stores = (dev?: Record<string, ComponentOverride>) =>
  platform({
    name: "demo",
    namespace: "demo",
    components: {
      db: postgres({ replicas: 1, storage: "1Gi", password: secretRef("demo-db", "password"), resources: small }),
      legacy: postgres({
        flavor: "official",
        image: "docker.io/library/postgres:16.4",
        replicas: 1,
        waive: { "min-replicas": "the official image runs one standalone server" },
        storage: "1Gi",
        password: secretRef("demo-legacy", "password"),
        resources: small,
      }),
      vectors: qdrant({ replicas: 3, storage: "1Gi", resources: small }),
      graph: neo4j({
        replicas: 3,
        storage: "1Gi",
        password: secretRef("demo-graph", "NEO4J_AUTH"),
        // A JVM's heap and page cache, and the headroom they leave (memory-settings): no 256Mi Neo4j.
        resources: { requests: { cpu: "500m", memory: "2Gi" }, limits: { cpu: "1", memory: "2Gi" } },
        backup: { schedule: "0 3 * * *", retentionDays: 7, volume: "staging-area" },
      }),
    },
    volumes: { "staging-area": { storage: "10Gi" } },
    migrations: { image: "docker.io/demo/migrate:1.0.0", command: ["migrate"], dependsOn: ["db", "legacy"] },
    // The official image runs one server: staging's and production's two-replica default does not apply to it.
    environments: {
      staging: { components: { legacy: { replicas: 1 } } },
      production: { components: { legacy: { replicas: 1 } } },
      ...(dev ? { dev: { components: dev } } : {}),
    },
  });

/** The script of a restore CronJob's first step (download or presign): where it reads. */
const fetchScript = (cron: Parsed): string => cron.spec.jobTemplate.spec.template.spec.initContainers[0].command[2];

describe("dev restores from staging's backups only when its description says so", () => {
  const restoreFromStaging = { schedule: "0 2 * * *", retentionDays: 14, restoreFrom: "staging" };

  it("without restoreFrom, every store reads its own environment's backups, and CloudNativePG runs initdb", async () => {
    const result = await compilePlatforms([stores()]);
    for (const key of ["legacy", "vectors", "graph"]) {
      const script = fetchScript(objectIn(result, "demo/dev/us-west-2", "CronJob", `${key}-restore`));
      expect(script).toContain(`s3://manifold-backups-us-west-2/manifold/dev/demo/${key}/`);
      expect(script).not.toContain("/staging/");
    }
    expect(objectIn(result, "demo/dev/us-west-2", "Cluster", "db").spec.bootstrap.initdb).toBeDefined();
  });

  it("with restoreFrom: staging in the dev layer, dev's stores read staging's backups; staging's own do not move", async () => {
    const dev = Object.fromEntries(
      ["db", "legacy", "vectors", "graph"].map((k) => [
        k,
        { backup: k === "graph" ? { ...restoreFromStaging, volume: "staging-area" } : restoreFromStaging },
      ]),
    );
    const result = await compilePlatforms([stores(dev)]);
    for (const key of ["legacy", "vectors", "graph"]) {
      const cron = objectIn(result, "demo/dev/us-west-2", "CronJob", `${key}-restore`);
      expect(fetchScript(cron)).toContain(`s3://manifold-backups-us-west-2/manifold/staging/demo/${key}/`);
      const staging = objectIn(result, "demo/staging/us-west-2", "CronJob", `${key}-restore`);
      expect(fetchScript(staging)).toContain(`s3://manifold-backups-us-west-2/manifold/staging/demo/${key}/`);
      // dev's backups still go to dev's prefix.
      const upload = objectIn(result, "demo/dev/us-west-2", "CronJob", `${key}-backup`).spec.jobTemplate.spec.template
        .spec.containers[0].command[2];
      expect(upload).toContain(`s3://manifold-backups-us-west-2/manifold/dev/demo/${key}/`);
    }
    const db = objectIn(result, "demo/dev/us-west-2", "Cluster", "db");
    expect(db.spec.bootstrap).toEqual({ recovery: { source: "db-staging" } });
    expect(db.spec.externalClusters[0].barmanObjectStore.destinationPath).toBe(
      "s3://manifold-backups-us-west-2/manifold/staging/demo",
    );
    expect(objectIn(result, "demo/staging/us-west-2", "Cluster", "db").spec.bootstrap.initdb).toBeDefined();
  });

  it("restoreFrom naming no environment is an error on the field", async () => {
    await expect(
      compilePlatforms([stores({ vectors: { backup: { ...restoreFromStaging, restoreFrom: "qa" } } })]),
    ).rejects.toThrow(/backup\.restoreFrom "qa" names no environment/);
  });
});

describe("Neo4j: backups staged on the platform's volume, restore by seeding from presigned URLs", () => {
  it("the backup CronJob mounts the claim (own subdirectory, emptied first); the restore presigns and seeds", async () => {
    const result = await compilePlatforms([stores()]);
    const backup = objectIn(result, "demo/staging/us-west-2", "CronJob", "graph-backup").spec.jobTemplate.spec.template
      .spec;
    expect(backup.volumes.find((v: Parsed) => v.name === "backup")).toEqual({
      name: "backup",
      persistentVolumeClaim: { claimName: "staging-area" },
    });
    const dump = backup.initContainers[0];
    expect(dump.volumeMounts[0]).toEqual({ name: "backup", mountPath: "/backup", subPath: "graph" });
    expect(dump.command[2]).toMatch(/^find \/backup -mindepth 1 -delete\nneo4j-admin database backup /);
    // Other stores keep staging on the node's disk.
    const vectors = objectIn(result, "demo/staging/us-west-2", "CronJob", "vectors-backup");
    expect(vectors.spec.jobTemplate.spec.template.spec.volumes[0].emptyDir).toBeDefined();

    const restore = objectIn(result, "demo/staging/us-west-2", "CronJob", "graph-restore");
    expect(restore.spec.suspend).toBe(true);
    const spec = restore.spec.jobTemplate.spec.template.spec;
    expect(spec.initContainers[0].name).toBe("presign");
    expect(spec.initContainers[0].command[2]).toContain("aws s3 presign");
    expect(spec.containers[0].command[2]).toContain(
      "CREATE DATABASE \\`$db\\` OPTIONS { existingData: 'use', seedURI: '$url' } WAIT",
    );
    // The servers fetch the seed themselves: their pods may leave on 443, and read https seeds.
    const policy = objectIn(result, "demo/staging/us-west-2", "NetworkPolicy", "graph");
    expect(policy.spec.egress).toContainEqual({
      to: [{ ipBlock: { cidr: "0.0.0.0/0" } }],
      ports: [{ protocol: "TCP", port: 443 }],
    });
    const env = objectIn(result, "demo/staging/us-west-2", "StatefulSet", "graph").spec.template.spec.containers[0].env;
    expect(env).toContainEqual({
      name: "NEO4J_dbms_databases_seed__from__uri__providers",
      value: "URLConnectionSeedProvider",
    });
  });

  it("a ReadWriteOnce volume stages one store's backups only; the volume must exist", async () => {
    const shared = stores({
      vectors: { backup: { schedule: "0 2 * * *", retentionDays: 14, volume: "staging-area" } },
    });
    await expect(compilePlatforms([shared])).rejects.toThrow(
      /volume "staging-area" is ReadWriteOnce and also stages the backups of (graph|vectors)/,
    );
    const missing = stores({ graph: { backup: { schedule: "0 2 * * *", retentionDays: 14, volume: "nowhere" } } });
    await expect(compilePlatforms([missing])).rejects.toThrow(/names no volume of the platform; volumes: staging-area/);
  });
});
