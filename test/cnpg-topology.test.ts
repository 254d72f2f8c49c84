/**
 * CloudNativePG's distributed topology, read as the operator's admission webhook reads it: every Cluster of the group
 * names itself, the group's primary and its source, each an external cluster it lists; exactly one member is the
 * primary; every member archives under a name of its own. A planned switchover is two reviewed edits: the primary
 * region hands over (its databases are demoted, nothing is promoted yet), then the primary role moves with the
 * demotion tokens (the new primary waits for the WAL up to the token). A promotion token on a replica is rejected.
 */
import { describe, expect, it } from "vitest";
import { platform, postgres, secretRef } from "../compiler/index.ts";
import type { CompileResult } from "../compiler/compile.ts";
import { compilePlatforms, objectsOf, repoProject } from "./helpers/memory.ts";
import type { Parsed } from "./helpers/parsed.ts";

const small = { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "200m", memory: "256Mi" } };
const demo = platform({
  name: "demo",
  namespace: "demo",
  components: {
    db: postgres({ replicas: 2, storage: "1Gi", password: secretRef("demo-db", "password"), resources: small }),
  },
  migrations: { image: "docker.io/demo/migrate:1.0.0", command: ["migrate"], dependsOn: ["db"] },
});
const TOKEN = "eyJsYXRlc3RDaGVja3BvaW50VGltZWxpbmVJRCI6IjEifQ==";

/** The repo's regions with edits applied by name. */
async function regions(edits: Record<string, Parsed>): Promise<Parsed[]> {
  const repo = await repoProject();
  return repo.regions.map((r) => ({
    ...structuredClone(r.value as Parsed),
    ...(edits[(r.value as Parsed).name] ?? {}),
  }));
}

/** dev runs in the primary region only: when the role moves, dev moves along (to a cluster of its own there). */
function devMoves(rs: Parsed[]): Parsed[] {
  const dev = rs.find((r) => r.name === "us-west-2")!.clusters.dev;
  return rs.map((r) =>
    r.name === "us-east-1" ? { ...r, clusters: { ...r.clusters, dev: { ...dev, name: "dev-us-east-1" } } } : r,
  );
}

const cluster = (result: CompileResult, region: string): Parsed =>
  objectsOf(result, `demo/production/${region}`, "Cluster")[0];

/** What the webhook checks: `self`, `primary` and `source` are external clusters; a token only on the primary. */
function admissible(c: Parsed): string[] {
  const names = new Set((c.spec.externalClusters ?? []).map((e: Parsed) => e.name));
  const r = c.spec.replica;
  if (!r) return [];
  const problems = (["self", "primary", "source"] as const)
    .filter((f) => !names.has(r[f]))
    .map((f) => `${f} ${r[f]} is no external cluster`);
  if (r.promotionToken && r.self !== r.primary) problems.push("promotionToken on a replica cluster");
  return problems;
}

describe("the distributed topology of one database across production's regions", () => {
  it("every member lists every member, names one primary, and archives under its own server name", async () => {
    const result = await compilePlatforms([demo]);
    const all = ["us-west-2", "us-east-1", "eu-west-1"].map((r) => cluster(result, r));
    for (const c of all) expect(admissible(c)).toEqual([]);
    expect(all.map((c) => c.spec.replica.primary)).toEqual(["db-us-west-2", "db-us-west-2", "db-us-west-2"]);
    expect(all.filter((c) => c.spec.replica.self === c.spec.replica.primary)).toHaveLength(1);
    expect(all[0].spec.replica.source).toBe("db-us-east-1");
    expect(new Set(all.map((c) => c.spec.backup.barmanObjectStore.serverName)).size).toBe(3);
    for (const c of all) {
      const own = c.spec.externalClusters.find((e: Parsed) => e.name === c.spec.replica.self);
      expect(own.barmanObjectStore).toEqual(c.spec.backup.barmanObjectStore);
    }
    // The primary bootstraps with initdb; replica clusters recover from the primary's object store.
    expect(all[0].spec.bootstrap.initdb).toBeDefined();
    expect(all[1].spec.bootstrap).toEqual({ recovery: { source: "db-us-west-2" } });
  });

  it("a single-region environment has no topology: no replica stanza, no external clusters", async () => {
    const result = await compilePlatforms([demo]);
    const dev = objectsOf(result, "demo/dev/us-west-2", "Cluster")[0];
    expect(dev.spec.replica).toBeUndefined();
    expect(dev.spec.externalClusters).toBeUndefined();
  });

  it("step one, handover: the primary is demoted to follow us-east-1, which stays a replica (nothing promoted)", async () => {
    const result = await compilePlatforms([demo], {
      regions: await regions({ "us-west-2": { handover: "us-east-1" } }),
    });
    const old = cluster(result, "us-west-2");
    const next = cluster(result, "us-east-1");
    expect(old.spec.replica).toEqual({ self: "db-us-west-2", primary: "db-us-east-1", source: "db-us-east-1" });
    expect(next.spec.replica).toEqual({ self: "db-us-east-1", primary: "db-us-west-2", source: "db-us-west-2" });
    expect(cluster(result, "eu-west-1").spec.replica.primary).toBe("db-us-west-2");
    for (const r of ["us-west-2", "us-east-1", "eu-west-1"]) {
      const c = cluster(result, r);
      expect(admissible(c)).toEqual([]);
      expect(c.spec.replica.self === c.spec.replica.primary).toBe(false);
    }
    // The demoted cluster keeps its bootstrap: CloudNativePG reads it only when the cluster is created.
    expect(old.spec.bootstrap.initdb).toBeDefined();
  });

  it("step two, the role moves with the token: only the new primary carries it, every member follows it", async () => {
    const result = await compilePlatforms([demo], {
      regions: await regions({
        "us-west-2": { role: "secondary" },
        "us-east-1": { role: "primary", promotionTokens: { "production/demo/db": TOKEN } },
      }).then(devMoves),
      environments: (await repoProject()).environments.map((e) => {
        const env = structuredClone(e.value as Parsed);
        return env.name === "dev" ? { ...env, regions: ["us-east-1"] } : env;
      }),
    });
    const next = cluster(result, "us-east-1");
    expect(next.spec.replica).toEqual({
      self: "db-us-east-1",
      primary: "db-us-east-1",
      source: "db-us-west-2",
      promotionToken: TOKEN,
    });
    for (const r of ["us-west-2", "eu-west-1"]) {
      const c = cluster(result, r);
      expect(c.spec.replica.primary).toBe("db-us-east-1");
      expect(c.spec.replica.source).toBe("db-us-east-1");
      expect(c.spec.replica.promotionToken).toBeUndefined();
      expect(admissible(c)).toEqual([]);
    }
    expect(admissible(next)).toEqual([]);
  });

  it("a handover must come from the primary region and name another known region", async () => {
    await expect(
      compilePlatforms([demo], { regions: await regions({ "us-east-1": { handover: "eu-west-1" } }) }),
    ).rejects.toThrow(/only the primary region hands its databases over \(this region is secondary\)/);
    await expect(
      compilePlatforms([demo], { regions: await regions({ "us-west-2": { handover: "ap-south-1" } }) }),
    ).rejects.toThrow(/unknown region "ap-south-1"/);
  });
});
