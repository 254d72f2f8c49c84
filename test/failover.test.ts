/**
 * Failover as a reviewed change: moving the primary role from us-west-2 to us-east-1 is an edit of two region
 * descriptions. In a copy of the repository (a real git repo in a temp dir), the edit compiles to a coherent fleet:
 * the replica cluster in us-east-1 is promoted, the old primary in us-west-2 is demoted to follow it, writes from
 * the other regions move to us-east-1, the migration Job moves with them, and the diff flags it as the highest risk.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rmSync } from "node:fs";
import { cleanProjects, edit } from "./helpers/project.ts";
import { gitTempDirs, makeRepo } from "./helpers/git.ts";
import { diff, type DiffResult } from "../compiler/diff/diff.ts";
import { renderText } from "../compiler/diff/report.ts";

let result: DiffResult;

beforeAll(async () => {
  const repo = makeRepo();
  edit(repo, "regions/us-west-2.ts", `role: "primary"`, `role: "secondary"`);
  edit(repo, "regions/us-east-1.ts", `role: "secondary"`, `role: "primary"`);
  // A region's role holds in every environment: dev, which runs only in the primary region, moves along.
  edit(
    repo,
    "regions/us-east-1.ts",
    "  clusters: {\n",
    `  clusters: {\n    dev: { name: "dev-us-east-1", server: "https://dev.us-east-1.k8s.example.com", ingressDomain: "dev.us-east-1.example.com", serviceDomain: "dev.us-east-1.svc.example.internal", capabilities: contract(), networks: ["10.11.0.0/16"] },\n`,
  );
  edit(repo, "environments/dev.ts", `regions: ["us-west-2"]`, `regions: ["us-east-1"]`);
  // The add-ons move with the dev cluster: external-dns owns its records by the cluster it runs on.
  edit(
    repo,
    "addons/external-dns.ts",
    `"dev/us-west-2": { values: { txtOwnerId: "dev-us-west-2" } }`,
    `"dev/us-east-1": { values: { txtOwnerId: "dev-us-east-1" } }`,
  );
  result = await diff({ root: repo, base: "HEAD" });
}, 600_000);

afterAll(() => {
  cleanProjects();
  for (const d of gitTempDirs()) rmSync(d, { recursive: true, force: true });
});

const change = (folder: string, kind: string, name: string) =>
  result.changes.find((c) => c.folder === folder && c.kind === kind && c.name === name);

describe("moving the primary region from us-west-2 to us-east-1", () => {
  it("promotes the replica cluster in us-east-1: it names itself the primary, still the same data (CloudNativePG reads bootstrap only at creation)", () => {
    const promoted = change("production/us-east-1/ossa", "Cluster", "ossa-postgresql");
    expect(promoted?.type).toBe("changed");
    expect(promoted?.before.spec.replica).toEqual({
      self: "ossa-postgresql-us-east-1",
      primary: "ossa-postgresql-us-west-2",
      source: "ossa-postgresql-us-west-2",
    });
    // It names itself the primary; without a promotion token (the outage path) CloudNativePG promotes it at once.
    expect(promoted?.after.spec.replica).toEqual({
      self: "ossa-postgresql-us-east-1",
      primary: "ossa-postgresql-us-east-1",
      source: "ossa-postgresql-us-west-2",
    });
    expect(promoted?.after.spec.backup.barmanObjectStore.serverName).toBe("ossa-postgresql-us-east-1");
  });

  it("demotes the old primary in us-west-2 to a replica cluster that follows us-east-1's object store", () => {
    const demoted = change("production/us-west-2/ossa", "Cluster", "ossa-postgresql");
    expect(demoted?.before.spec.replica).toEqual({
      self: "ossa-postgresql-us-west-2",
      primary: "ossa-postgresql-us-west-2",
      source: "ossa-postgresql-us-east-1",
    });
    expect(demoted?.after.spec.replica).toEqual({
      self: "ossa-postgresql-us-west-2",
      primary: "ossa-postgresql-us-east-1",
      source: "ossa-postgresql-us-east-1",
    });
    const source = demoted?.after.spec.externalClusters.find(
      (e: { name: string }) => e.name === "ossa-postgresql-us-east-1",
    );
    expect(source.barmanObjectStore.destinationPath).toBe("s3://manifold-backups-us-east-1/manifold/production/ossa");
  });

  it("the tertiary region's replica cluster follows the new primary, through an external cluster it already lists", () => {
    const tertiary = change("production/eu-west-1/ossa", "Cluster", "ossa-postgresql");
    expect(tertiary?.after.spec.replica).toEqual({
      self: "ossa-postgresql-eu-west-1",
      primary: "ossa-postgresql-us-east-1",
      source: "ossa-postgresql-us-east-1",
    });
    expect(
      tertiary?.patch.map((op: { path: string }) => op.path).filter((p: string) => p.includes("externalClusters")),
    ).toEqual([]);
  });

  it("moves writes: the tertiary region's client Service now points at us-east-1, the new primary's at its own cluster", () => {
    const tertiary = change("production/eu-west-1/ossa", "Service", "ossa-postgresql");
    expect(tertiary?.after.spec.externalName).toBe(
      "ossa-postgresql.ossa-platform.production.us-east-1.svc.example.internal",
    );
    const primary = change("production/us-east-1/ossa", "Service", "ossa-postgresql");
    expect(primary?.after.spec.externalName).toBe("ossa-postgresql-rw.ossa-platform.svc.cluster.local");
  });

  it("moves the migration Job to the new primary region", () => {
    expect(change("production/us-east-1/ossa", "Job", "ossa-migrate")?.type).toBe("added");
    expect(change("production/us-west-2/ossa", "Job", "ossa-migrate")?.type).toBe("removed");
  });

  it("flags the move as the highest risk, first, with the steps Argo CD and the operator take", () => {
    const text = renderText(result);
    const risks = text.slice(text.indexOf("RISKS"));
    const firstRisk = risks.split("\n").find((l) => l.trimStart().startsWith("!"));
    expect(firstRisk).toContain("Primary region moves (highest risk)");
    expect(risks).toMatch(
      /Cluster ossa-platform\/ossa-postgresql in production\/ossa \(us-east-1\): the primary moves here/,
    );
    expect(risks).toMatch(
      /Cluster ossa-platform\/ossa-postgresql in production\/ossa \(us-west-2\): the primary moves away/,
    );
    expect(risks).toContain("writes the demotion token to status.demotionToken");
    expect(risks).toContain("at once, from the WAL it has replayed: there is no promotion token");
    expect(risks).toMatch(
      /writes move: clients of this store now reach ossa-postgresql\.ossa-platform\.production\.us-east-1/,
    );
  });
});
