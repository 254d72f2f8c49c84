import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cleanProjects, edit, runCli } from "./helpers/project.ts";
import { git, gitTempDirs, makeRepo } from "./helpers/git.ts";
import { diff, type DiffResult } from "../compiler/diff/diff.ts";
import { compareTrees } from "../compiler/diff/objects.ts";
import { groupChanges } from "../compiler/diff/group.ts";
import { COMMENT_MARKER, renderMarkdown, renderText } from "../compiler/diff/report.ts";
import { unifiedDiff } from "../compiler/diff/lines.ts";
import { toYaml } from "../compiler/yaml.ts";
import type { Parsed } from "./helpers/parsed.ts";

let repo: string;
let oneNumber: DiffResult;

beforeAll(async () => {
  repo = makeRepo();
  edit(repo, "platforms/ossa.ts", `agentService("gateway", 5, 50,`, `agentService("gateway", 5, 60,`);
  oneNumber = await diff({ root: repo, base: "HEAD" });
});

afterAll(() => {
  cleanProjects();
  for (const d of gitTempDirs()) rmSync(d, { recursive: true, force: true });
});

const AFFECTED = [
  "production/eu-west-1/ossa",
  "production/us-east-1/ossa",
  "production/us-west-2/ossa",
  "staging/us-east-1/ossa",
  "staging/us-west-2/ossa",
];

describe("diff of one changed number in a platform (HEAD against the working tree)", () => {
  it("shows the HPA's maxReplicas change, and nothing else but the quota derived from it, in every affected target", () => {
    const hpa = oneNumber.changes.filter((c) => c.kind === "HorizontalPodAutoscaler");
    expect(hpa.map((c) => c.folder).sort()).toEqual(AFFECTED);
    for (const c of hpa) {
      expect(c.name).toBe("ossa-gateway");
      expect(c.type).toBe("changed");
      expect(c.patch).toEqual([{ op: "replace", path: "/spec/maxReplicas", value: 60 }]);
      expect(c.yamlDiff).toContain("-  maxReplicas: 50\n+  maxReplicas: 60");
    }
    const others = oneNumber.changes.filter((c) => c.kind !== "HorizontalPodAutoscaler");
    expect(others.map((c) => `${c.folder} ${c.kind}`).sort()).toEqual(AFFECTED.map((f) => `${f} ResourceQuota`));
    for (const c of others)
      expect(c.patch.every((op) => op.op === "replace" && op.path.startsWith("/spec/hard/"))).toBe(true);
  });

  it("leaves the user's checkout alone and removes its temporary worktree", () => {
    expect(git(repo, "worktree", "list").split("\n")).toHaveLength(1);
    expect(git(repo, "status", "--porcelain")).toBe("M platforms/ossa.ts");
  });

  it("collapses the identical change across regions into one entry listing the regions", () => {
    const entries = oneNumber.blocks
      .flatMap((b) => b.entries)
      .filter((e) => e.change.kind === "HorizontalPodAutoscaler");
    expect(entries.map((e) => [e.change.environment, e.regions])).toEqual([
      ["production", ["us-west-2", "us-east-1", "eu-west-1"]],
      ["staging", ["us-west-2", "us-east-1"]],
    ]);
    const md = renderMarkdown(oneNumber);
    expect(md.startsWith(COMMENT_MARKER)).toBe(true);
    expect(md).toContain("the same change in us-west-2, us-east-1 and eu-west-1");
    // One <details> per Application or group of Applications with identical changes; the ResourceQuota,
    // computed from the HPA maxima, changes by different amounts per region (hooks run in the primary only).
    expect(md.match(/<details>/g)?.length).toBe(md.match(/<\/details>/g)?.length);
    expect(md.match(/<details>/g)?.length).toBeGreaterThanOrEqual(2);
    expect(md.indexOf("### Summary")).toBeLessThan(md.indexOf("<details>"));
    expect(md).toContain("| production | us-west-2 | ossa | 0 | 2 | 0 |");
    expect(md).toContain("No risk flags.");
    expect(renderText(oneNumber)).toContain("+  maxReplicas: 60");
  });

  it("truncates the markdown at an object boundary with a clear note when it must", () => {
    const md = renderMarkdown(oneNumber, { maxLength: 2500, fullReport: "diff.md" });
    expect(md.length).toBeLessThanOrEqual(2500);
    expect(md).toMatch(
      /\*\*Truncated\*\*: this report shows \d+ of 10 changed object\(s\) to stay under 2,500 characters\. The full report is in `diff.md`/,
    );
    expect(md.match(/<details>/g)?.length ?? 0).toBe(md.match(/<\/details>/g)?.length ?? 0);
    expect((md.match(/```/g)?.length ?? 0) % 2).toBe(0);
    const full = renderMarkdown(oneNumber, { maxLength: Infinity });
    expect(full).not.toContain("Truncated");
  });

  it("the CLI prints JSON patch operations, writes the full report and exits 1 on changes with --exit-code", () => {
    const out = join(tmpdir(), `manifold-diff-${process.pid}.md`);
    const run = runCli(repo, ["diff", "--base", "HEAD", "--format", "json", "--exit-code", "--output", out]);
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout.length, run.stderr).toBeGreaterThan(0);
    const report = JSON.parse(run.stdout);
    const hpa = report.changes.find(
      (c: Parsed) => c.kind === "HorizontalPodAutoscaler" && c.application === "production/us-west-2/ossa",
    );
    expect(hpa.patch).toEqual([{ op: "replace", path: "/spec/maxReplicas", value: 60 }]);
    expect(
      report.entries.find((e: Parsed) => e.kind === "HorizontalPodAutoscaler" && e.environment === "production")
        .regions,
    ).toEqual(["us-west-2", "us-east-1", "eu-west-1"]);
    expect(JSON.parse(readFileSync(out, "utf8"))).toEqual(report);
    rmSync(out, { force: true });
  });

  it("between two refs (each compiled in its own temporary worktree) with no rendered change, finds nothing", async () => {
    const same = await diff({ root: repo, base: "HEAD", head: "main" });
    expect(same.changes).toEqual([]);
    expect(renderMarkdown(same)).toContain("**no rendered changes**");
    expect(git(repo, "worktree", "list").split("\n")).toHaveLength(1);
  });

  it("between two refs, one whose committed rendered/ still holds a platform its descriptions dropped: removed objects", async () => {
    const dropped = makeRepo();
    git(dropped, "rm", "-q", "platforms/alfred.ts");
    git(dropped, "commit", "-q", "-m", "Drop alfred, rendered/ not compiled");
    const result = await diff({ root: dropped, base: "HEAD~1", head: "HEAD" });
    expect(result.changes.length).toBeGreaterThan(100);
    expect(new Set(result.changes.map((c) => c.type))).toEqual(new Set(["removed"]));
    expect(result.changes.filter((c) => c.platform !== "alfred" && !c.file.startsWith("argocd/"))).toEqual([]);
    expect(git(dropped, "worktree", "list").split("\n")).toHaveLength(1);
  });

  it("names a ref that does not exist", async () => {
    await expect(diff({ root: repo, base: "no-such-branch" })).rejects.toThrow(`"no-such-branch" names no commit`);
  });
});

// Risk flags, on small hand-made trees: fast and exact.
const sts = (selector: Record<string, string>, extra: object = {}) => ({
  apiVersion: "apps/v1",
  kind: "StatefulSet",
  metadata: { name: "db", namespace: "app" },
  spec: {
    selector: { matchLabels: selector },
    serviceName: "db",
    template: {
      metadata: { labels: selector },
      spec: { containers: [{ name: "db", image: "docker.io/library/postgres:16" }] },
    },
    ...extra,
  },
});
const deployment = (opts: { wave?: string; replicas?: number; cpu?: string; secret?: string }) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: {
    name: "api",
    namespace: "app",
    ...(opts.wave ? { annotations: { "argocd.argoproj.io/sync-wave": opts.wave } } : {}),
  },
  spec: {
    replicas: opts.replicas,
    selector: { matchLabels: { app: "api" } },
    template: {
      metadata: { labels: { app: "api" } },
      spec: {
        containers: [
          {
            name: "api",
            image: "docker.io/library/api:1.0.0",
            env: [{ name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: opts.secret ?? "db", key: "password" } } }],
            resources: { requests: { cpu: opts.cpu ?? "1", memory: "1Gi" } },
          },
        ],
      },
    },
  },
});
const hpa = (min: number, max: number) => ({
  apiVersion: "autoscaling/v2",
  kind: "HorizontalPodAutoscaler",
  metadata: { name: "api", namespace: "app" },
  spec: { minReplicas: min, maxReplicas: max },
});
const job = (image: string, hook?: string) => ({
  apiVersion: "batch/v1",
  kind: "Job",
  metadata: {
    name: hook ? "migrate" : "backfill",
    namespace: "app",
    ...(hook ? { annotations: { "argocd.argoproj.io/hook": hook } } : {}),
  },
  spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "job", image }] } } },
});
const pvc = {
  apiVersion: "v1",
  kind: "PersistentVolumeClaim",
  metadata: { name: "data", namespace: "app" },
  spec: { resources: { requests: { storage: "1Gi" } } },
};
const service = (clusterIP: string) => ({
  apiVersion: "v1",
  kind: "Service",
  metadata: { name: "db", namespace: "app" },
  spec: { clusterIP },
});

function tree(objects: Record<string, object>): Map<string, string> {
  return new Map(Object.entries(objects).map(([path, o]) => [path, toYaml(o)]));
}

describe("risk flags", () => {
  const base = tree({
    "production/us-west-2/app/statefulset-db.yaml": sts({ app: "db" }),
    "production/us-west-2/app/service-db.yaml": service("None"),
    "production/us-west-2/app/persistentvolumeclaim-data.yaml": pvc,
    "production/us-west-2/app/deployment-api.yaml": deployment({ wave: "1", replicas: 3, cpu: "1" }),
    "production/us-west-2/app/horizontalpodautoscaler-api.yaml": hpa(3, 10),
    "staging/us-west-2/app/deployment-api.yaml": deployment({ replicas: 3, cpu: "1" }),
    "staging/us-west-2/app/horizontalpodautoscaler-api.yaml": hpa(3, 10),
    "production/us-west-2/app/job-backfill.yaml": job("docker.io/library/tool:1.0.0"),
    "production/us-west-2/app/job-migrate.yaml": job("docker.io/library/tool:1.0.0", "PreSync"),
  });
  const head = tree({
    "production/us-west-2/app/statefulset-db.yaml": sts({ app: "db", tier: "data" }),
    "production/us-west-2/app/service-db.yaml": service("10.0.0.5"),
    "production/us-west-2/app/deployment-api.yaml": deployment({
      wave: "2",
      replicas: 2,
      cpu: "500m",
      secret: "db-v2",
    }),
    "production/us-west-2/app/horizontalpodautoscaler-api.yaml": hpa(2, 10),
    "staging/us-west-2/app/deployment-api.yaml": deployment({ replicas: 1, cpu: "500m" }),
    "staging/us-west-2/app/horizontalpodautoscaler-api.yaml": hpa(1, 5),
    "production/us-west-2/app/job-backfill.yaml": job("docker.io/library/tool:1.1.0"),
    "production/us-west-2/app/job-migrate.yaml": job("docker.io/library/tool:1.1.0", "PreSync"),
  });
  const blocks = groupChanges(compareTrees(base, head));
  const risks = (kind: string, env = "production") =>
    blocks
      .flatMap((b) => b.entries)
      .filter((e) => e.change.kind === kind && e.change.environment === env)
      .flatMap((e) => e.risks);

  it("flags a StatefulSet selector change as an immutable-field change", () => {
    expect(risks("StatefulSet")).toEqual([
      expect.objectContaining({ rule: "immutable-field", message: expect.stringContaining("spec.selector") }),
    ]);
  });

  it.each([
    ["Service", "immutable-field", "spec.clusterIP"],
    ["PersistentVolumeClaim", "data-loss", "deleting a PersistentVolumeClaim"],
    ["HorizontalPodAutoscaler", "production-reduction", "minReplicas 3 → 2"],
  ])("flags %s: %s", (kind, rule, text) => {
    expect(risks(kind)).toEqual([expect.objectContaining({ rule, message: expect.stringContaining(text) })]);
  });

  it("flags the production Deployment's wave, replica and CPU request cuts and its Secret reference", () => {
    const r = risks("Deployment");
    expect(r.map((x) => x.rule).sort()).toEqual(["production-reduction", "secret-reference", "wave-reorder"]);
    expect(r.find((x) => x.rule === "production-reduction")!.message).toContain(
      "replicas 3 → 2; container api requests.cpu 1 → 500m",
    );
    expect(r.find((x) => x.rule === "wave-reorder")!.message).toBe("sync wave 1 → 2");
  });

  it("flags a Job's template change, but not a hook Job's (Argo CD recreates hooks on every sync)", () => {
    const jobs = blocks.flatMap((b) => b.entries).filter((e) => e.change.kind === "Job");
    expect(Object.fromEntries(jobs.map((e) => [e.change.name, e.risks.map((r) => r.rule)]))).toEqual({
      backfill: ["immutable-field"],
      migrate: [],
    });
  });

  it("does not flag reductions outside production", () => {
    expect(risks("Deployment", "staging")).toEqual([]);
    expect(risks("HorizontalPodAutoscaler", "staging")).toEqual([]);
  });

  it("puts the risks at the top of the markdown", () => {
    const md = renderMarkdown({
      base: { label: "main" },
      head: { label: "working tree" },
      changes: compareTrees(base, head),
      blocks,
    });
    expect(md.indexOf("### ⚠️ Risks (")).toBeGreaterThan(0);
    expect(md.indexOf("### ⚠️ Risks (")).toBeLessThan(md.indexOf("### Summary"));
    expect(md).toContain(
      "**Immutable field (high risk: the sync fails)**: StatefulSet app/db in production/app (us-west-2)",
    );
    expect(md).toContain("Runbook: kubectl -n app delete statefulset db --cascade=orphan");
  });
});

describe("unified YAML diff", () => {
  it("shows only the changed lines with context", () => {
    const before = Array.from({ length: 20 }, (_, i) => `k${i}: ${i}`).join("\n") + "\n";
    const after = before.replace("k10: 10", "k10: 11");
    expect(unifiedDiff(before, after, 1)).toBe("@@ -10,3 +10,3 @@\n k9: 9\n-k10: 10\n+k10: 11\n k11: 11\n");
    expect(unifiedDiff(before, before)).toBe("");
  });
});
